#!/usr/bin/env python3
"""run.py — awssim's benchmark driver (`make bench`); writes bench/results.md.

Side by side in one run, with the same wrk settings (threads, connections, duration):
  * awssim   — signed GetCallerIdentity with a 12-digit access key (lenient: not verified) and with
               a key from --accounts (verified: SigV4 recomputed on every request);
  * moto     — `moto_server` from the venv, same requests;
  * nginx    — Debian nginx, `return 200` (the ceiling for an HTTP server on this machine).
Plus: start → first answer (median of N starts), idle RSS after start, RSS after load, and a
mixed signed workload over all six services (64 connections) whose errors must be 0.
Other engineers' benchmark scripts (bench/sfn_bench.py, bench/route53_bench.py, bench/mixed3_bench.py,
bench/replay_bench.py) run when present;
their sections and any bench/results/*.md are appended.

Usage: run.py --awssim PATH [--duration 10] [--mixed-duration 60] [--connections 64] [--threads 2]
              [--starts 20] [--no-moto] [--no-nginx] [--no-extra] [--out bench/results.md]
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import free_port  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV_BIN = os.path.dirname(sys.executable)
KNOWN_KEY = "AKIABENCHMARK0000001"
KNOWN_SECRET = "benchSecretKey0000000000000000000000000"
KNOWN_ACCOUNT = "222233334444"
LENIENT_KEY = "111122223333"
R53 = "https://route53.amazonaws.com/doc/2013-04-01/"


def http_get(port, path="/", timeout=0.5):
    """Minimal HTTP/1.1 GET; returns the status code or None."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
            data = s.recv(64)
            m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
            return int(m.group(1)) if m else None
    except OSError:
        return None


def rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def smaps_kib(pids, field):
    """Pss / Anonymous from smaps_rollup, summed (RSS counts shared library pages in full)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith(field + ":"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def children(pid):
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
        return [int(x) for x in out.split()]
    except OSError:
        return []


class Server:
    """A server process started for one measurement; knows its port and pids."""

    def __init__(self, name, argv, port, health="/", env=None, cwd=None):
        self.name, self.port, self.health = name, port, health
        self.log = tempfile.TemporaryFile()
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        deadline = t0 + 30
        while True:
            if http_get(port, health, timeout=0.2) is not None:
                break
            if self.proc.poll() is not None or time.perf_counter() > deadline:
                self.log.seek(0)
                raise RuntimeError(f"{name} did not start: {self.log.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.0002)
        self.start_ms = (time.perf_counter() - t0) * 1000

    def pids(self):
        return [self.proc.pid] + children(self.proc.pid)

    def rss(self):
        return rss_kib(self.pids())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def awssim_server(binary, accounts, port=None):
    port = port or free_port()
    return Server("awssim", [binary, "serve", "--port", str(port), "--accounts", accounts, "--log-level", "error"],
                  port, health="/_awssim/health")


def moto_server(port=None):
    port = port or free_port()
    exe = os.path.join(VENV_BIN, "moto_server")
    return Server("moto", [exe, "-H", "127.0.0.1", "-p", str(port)], port, health="/moto-api/")


def nginx_server(workdir, workers, port=None):
    port = port or free_port()
    d = tempfile.mkdtemp(prefix="nginx-", dir=workdir)
    conf = open(os.path.join(HERE, "wrk", "nginx.conf.in")).read()
    conf = conf.replace("@PORT@", str(port)).replace("@DIR@", d).replace("@WORKERS@", str(workers))
    path = os.path.join(d, "nginx.conf")
    with open(path, "w") as f:
        f.write(conf)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return Server("nginx", [nginx, "-c", path, "-p", d, "-e", os.path.join(d, "error.log")], port)


# ---- signed requests ----

def sign(method, port, path, query, headers, body, service, key, secret, region="us-east-1"):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    url = f"http://127.0.0.1:{port}{path}" + (f"?{query}" if query else "")
    req = AWSRequest(method=method, url=url, data=body.encode() if body else b"", headers=dict(headers))
    req.headers["Host"] = f"127.0.0.1:{port}"
    SigV4Auth(Credentials(key, secret), service, region).add_auth(req)
    hdrs = {k: v for k, v in req.headers.items()}
    full = path + (f"?{query}" if query else "")
    return method, full, hdrs, body or ""


def gci(port, key, secret):
    return sign("POST", port, "/", None, {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                "Action=GetCallerIdentity&Version=2011-06-15", "sts", key, secret)


def mixed_requests(port, key, secret):
    form = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    policy = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"
    j10 = {"Content-Type": "application/x-amz-json-1.0"}
    j11 = {"Content-Type": "application/x-amz-json-1.1"}
    reqs = [
        sign("POST", port, "/", None, form, "Action=GetCallerIdentity&Version=2011-06-15", "sts", key, secret),
        sign("POST", port, "/", None, form, "Action=ListRoles&Version=2010-05-08&MaxItems=10", "iam", key, secret),
        sign("POST", port, "/", None, form, "Action=GetRole&Version=2010-05-08&RoleName=bench-role", "iam", key,
             secret),
        sign("POST", port, "/", None, form, "Action=PutRolePolicy&Version=2010-05-08&RoleName=bench-role"
             f"&PolicyName=p&PolicyDocument={policy}", "iam", key, secret),
        sign("POST", port, "/", None, dict(j10, **{"X-Amz-Target": "AWSStepFunctions.ListStateMachines"}),
             "{}", "states", key, secret),
        sign("POST", port, "/", None, dict(j11, **{"X-Amz-Target": "AmazonDMSv20160101.DescribeReplicationInstances"}),
             "{}", "dms", key, secret),
        sign("GET", port, "/2013-04-01/hostedzone", "maxitems=10", {}, "", "route53", key, secret),
        sign("POST", port, "/getresourceshares", None, {"Content-Type": "application/json"},
             '{"resourceOwner":"SELF"}', "ram", key, secret),
    ]
    return reqs


def write_requests(reqs, path):
    with open(path, "w") as f:
        for method, full, hdrs, body in reqs:
            h = "\x01".join(f"{k}: {v}" for k, v in hdrs.items())
            assert "\t" not in body and "\n" not in body
            f.write(f"{method}\t{full}\t{h}\t{body}\n")


def setup_mixed(port, key, secret):
    """Creates what the mixed workload reads (a role) through the real API, signed."""
    import boto3
    from botocore.config import Config

    iam = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                       aws_access_key_id=key, aws_secret_access_key=secret, config=Config(retries={"max_attempts": 1}))
    iam.create_role(RoleName="bench-role", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))


# ---- wrk ----

def wrk(port, reqfile, a, duration=None):
    duration = duration or a.duration
    env = dict(os.environ, WRK_REQUESTS=reqfile)
    argv = ["wrk", "-t", str(a.threads), "-c", str(a.connections), "-d", f"{duration}s", "--latency", "--timeout",
            "5s", "-s", os.path.join(HERE, "wrk", "requests.lua"), f"http://127.0.0.1:{port}"]
    out = subprocess.run(argv, capture_output=True, text=True, env=env).stdout
    return parse_wrk(out)


def to_ms(v, unit):
    return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out):
    r = {"raw": out}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"(\d+) requests in", out)
    r["requests"] = int(m.group(1)) if m else 0
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        r[f"p{pct}_ms"] = to_ms(m.group(1), m.group(2)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    r["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    r["errors"] = r["non2xx"] + r["socket_errors"]
    return r


def median_start(factory, n):
    times, rss, pss, anon = [], [], [], []
    for _ in range(n):
        s = factory()
        time.sleep(0.3)
        rss.append(s.rss())
        pss.append(smaps_kib(s.pids(), "Pss"))
        anon.append(smaps_kib(s.pids(), "Anonymous"))
        times.append(s.start_ms)
        s.stop()
    return statistics.median(times), min(times), statistics.median(rss), statistics.median(pss), statistics.median(anon)


STARTBENCH = os.path.join(ROOT, "build", "startbench")


def low_free_port():
    """A free port below the ephemeral range: startbench connects before the server listens, and a
    refused connect to an ephemeral port can land on itself (TCP simultaneous open)."""
    import random
    for _ in range(100):
        port = random.randint(20000, 32000)
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            s.close()
    raise RuntimeError("no free port")


def exec_start(argv_for_port, path, n):
    """(median ms, min ms) from fork+exec to the first answer, by bench/start/startbench.c — no
    interpreter between the clock and the server. None when it is not built."""
    if not os.access(STARTBENCH, os.X_OK):
        return None
    port = low_free_port()
    out = subprocess.run([STARTBENCH, str(n), str(port), path, "--", *argv_for_port(port)], capture_output=True,
                         text=True, timeout=300).stdout
    m = re.search(r"median_ms ([\d.]+) min_ms ([\d.]+)", out)
    return (float(m.group(1)), float(m.group(2))) if m else None


def with_exec_start(res, argv_for_port, path, n):
    """Replace median_start's Python-polled times by startbench's when available."""
    t = exec_start(argv_for_port, path, n)
    return (t[0], t[1], *res[2:]) if t else res


def nginx_argv(workdir, workers):
    def argv(port):
        d = tempfile.mkdtemp(prefix="nginx-start-", dir=workdir)
        conf = open(os.path.join(HERE, "wrk", "nginx.conf.in")).read()
        conf = conf.replace("@PORT@", str(port)).replace("@DIR@", d).replace("@WORKERS@", str(workers))
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(conf)
        return [shutil.which("nginx") or "/usr/sbin/nginx", "-c", os.path.join(d, "nginx.conf"), "-p", d,
                "-e", os.path.join(d, "error.log")]
    return argv


def fmt(v, spec=",.0f"):
    return "n/a" if v is None else format(v, spec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--awssim", required=True)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--mixed-duration", type=int, default=60)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--starts", type=int, default=20)
    ap.add_argument("--no-moto", action="store_true")
    ap.add_argument("--no-nginx", action="store_true")
    ap.add_argument("--no-extra", action="store_true", help="skip bench/sfn_bench.py, route53_bench.py, mixed3_bench.py, replay_bench.py")
    ap.add_argument("--out", default=os.path.join(HERE, "results.md"))
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="awssim-bench-")
    accounts = os.path.join(work, "accounts.json")
    with open(accounts, "w") as f:
        json.dump({"credentials": [{"accessKeyId": KNOWN_KEY, "secretAccessKey": KNOWN_SECRET,
                                    "account": KNOWN_ACCOUNT, "userName": "bench"}]}, f)
    cpus = os.cpu_count() or 1
    res = {}

    print("== start -> first answer, idle RSS", flush=True)
    res["awssim_start"] = with_exec_start(
        median_start(lambda: awssim_server(a.awssim, accounts), a.starts),
        lambda port: [a.awssim, "serve", "--port", str(port), "--accounts", accounts, "--log-level", "error"],
        "/_awssim/health", max(a.starts, 30))
    if not a.no_nginx:
        res["nginx_start"] = with_exec_start(median_start(lambda: nginx_server(work, cpus), min(a.starts, 10)),
                                             nginx_argv(work, cpus), "/", max(a.starts, 30))
    if not a.no_moto:
        res["moto_start"] = median_start(moto_server, 3)

    print("== GetCallerIdentity throughput", flush=True)
    srv = awssim_server(a.awssim, accounts)
    try:
        f_len = os.path.join(work, "gci_lenient.tsv")
        write_requests([gci(srv.port, LENIENT_KEY, "test")], f_len)
        f_ver = os.path.join(work, "gci_verified.tsv")
        write_requests([gci(srv.port, KNOWN_KEY, KNOWN_SECRET)], f_ver)
        wrk(srv.port, f_len, a, duration=2)  # warm-up (models parsed, pages touched)
        res["idle_rss_after_warmup"] = srv.rss()
        res["awssim_lenient"] = wrk(srv.port, f_len, a)
        res["awssim_verified"] = wrk(srv.port, f_ver, a)
        res["awssim_rss_after"] = srv.rss()
    finally:
        srv.stop()
    if not a.no_nginx:
        ng = nginx_server(work, cpus)
        try:
            f = os.path.join(work, "gci_nginx.tsv")
            write_requests([gci(ng.port, LENIENT_KEY, "test")], f)
            res["nginx"] = wrk(ng.port, f, a)
        finally:
            ng.stop()
    if not a.no_moto:
        mo = moto_server()
        try:
            f = os.path.join(work, "gci_moto.tsv")
            write_requests([gci(mo.port, LENIENT_KEY, "test")], f)
            res["moto"] = wrk(mo.port, f, a)
            res["moto_rss_after"] = mo.rss()
        finally:
            mo.stop()

    print("== mixed signed workload", flush=True)
    srv = awssim_server(a.awssim, accounts)
    try:
        setup_mixed(srv.port, KNOWN_KEY, KNOWN_SECRET)
        f = os.path.join(work, "mixed.tsv")
        write_requests(mixed_requests(srv.port, KNOWN_KEY, KNOWN_SECRET), f)
        res["mixed_rss_before"] = srv.rss()
        res["mixed"] = wrk(srv.port, f, a, duration=a.mixed_duration)
        res["mixed_rss_after"] = srv.rss()
        res["mixed_alive"] = srv.proc.poll() is None
    finally:
        srv.stop()

    extra = []
    for script in () if a.no_extra else ("sfn_bench.py", "route53_bench.py", "mixed3_bench.py", "replay_bench.py"):
        p = os.path.join(HERE, script)
        if os.path.exists(p):
            print(f"== {script}", flush=True)
            r = subprocess.run([sys.executable, p, "--awssim", a.awssim], capture_output=True, text=True, timeout=1800)
            extra.append((script, r.returncode, r.stdout[-6000:], r.stderr[-2000:]))

    write_report(a, res, extra, cpus)
    shutil.rmtree(work, ignore_errors=True)
    print(open(a.out).read())


def write_report(a, res, extra, cpus):
    L = []
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L.append("# awssim benchmarks\n")
    L.append(f"Run: {now} on {platform.node() or 'host'} ({cpus} CPUs, {platform.machine()}), written by "
             "`make bench` (bench/run.py). All servers measured in this same run with the same wrk settings: "
             f"`wrk -t{a.threads} -c{a.connections} -d{a.duration}s --latency` (wrk runs on the same machine and "
             "competes for the same CPUs). Requests are SigV4-signed `sts:GetCallerIdentity` POSTs "
             "(bench/wrk/requests.lua replays pre-signed requests).\n")
    L.append(f"Load average when the run ended: {os.getloadavg()[0]:.1f} (on an otherwise busy machine every "
             "number here is low; the side-by-side ratios are the comparable part).\n")
    L.append("## GetCallerIdentity throughput\n")
    L.append("| server | req/s | p50 ms | p99 ms | errors |")
    L.append("|---|---:|---:|---:|---:|")
    rows = [("awssim, 12-digit key (lenient, not verified)", res.get("awssim_lenient")),
            ("awssim, known key (SigV4 verified every request)", res.get("awssim_verified")),
            ("moto_server (same requests)", res.get("moto")),
            ("nginx `return 200` (same requests)", res.get("nginx"))]
    for name, r in rows:
        if r:
            L.append(f"| {name} | {fmt(r['rps'])} | {fmt(r['p50_ms'], '.2f')} | {fmt(r['p99_ms'], '.2f')} | "
                     f"{r['errors']} |")
    L.append("")
    al, av, mo, ng = (res.get(k) for k in ("awssim_lenient", "awssim_verified", "moto", "nginx"))
    L.append("Ratios reached (targets: ≥ 100× moto, ≥ 50 % of nginx):\n")
    if al and mo and mo["rps"]:
        L.append(f"- awssim / moto: **{al['rps'] / mo['rps']:.0f}×** (lenient), "
                 f"**{av['rps'] / mo['rps']:.0f}×** (verified) — target 100×: "
                 f"{'met' if al['rps'] >= 100 * mo['rps'] else 'NOT met'}")
    if al and ng and ng["rps"]:
        L.append(f"- awssim / nginx: **{100 * al['rps'] / ng['rps']:.0f} %** (lenient), "
                 f"**{100 * av['rps'] / ng['rps']:.0f} %** (verified) — target 50 %: "
                 f"{'met' if al['rps'] >= 0.5 * ng['rps'] else 'NOT met'}")
    L.append("")
    L.append("## Start → first answer, memory\n")
    L.append("Start = from fork+exec to the first HTTP answer on a fresh port, median of 30 starts, measured by "
             "bench/start/startbench.c (C: connect() retried every 20 µs, so no interpreter sits between the clock "
             "and the server; moto's is polled from Python). RSS = VmRSS summed over the server's processes, 0.3 s after the first answer "
             "(idle), and after the load.\n")
    L.append("| server | start median ms | start min ms | idle RSS MiB | idle PSS MiB | idle anonymous MiB | RSS after load MiB |")
    L.append("|---|---:|---:|---:|---:|---:|---:|")
    for key, name, after in (("awssim_start", "awssim", res.get("awssim_rss_after")),
                             ("moto_start", "moto_server", res.get("moto_rss_after")),
                             ("nginx_start", "nginx (master + workers)", None)):
        if key in res:
            med, mn, rss, pss, anon = res[key]
            L.append(f"| {name} | {med:.1f} | {mn:.1f} | {rss / 1024:.1f} | {pss / 1024:.1f} | {anon / 1024:.1f} | "
                     f"{fmt(after / 1024 if after else None, '.1f')} |")
    L.append("")
    if "awssim_start" in res:
        med, mn, rss, pss, anon = res["awssim_start"]
        L.append(f"Targets: start ≤ 5 ms — {'met' if med <= 5 else 'NOT met'} ({med:.1f} ms); idle RSS ≤ 4 MiB — "
                 f"{'met' if rss <= 4096 else 'NOT met'} ({rss / 1024:.1f} MiB RSS; of it {anon / 1024:.1f} MiB is awssim's "
                 f"own anonymous memory, the rest file-backed pages of the binary and any shared libraries; PSS {pss / 1024:.1f} MiB). After a "
                 f"2 s warm-up load (models parsed, thread pool touched): "
                 f"{res.get('idle_rss_after_warmup', 0) / 1024:.1f} MiB. RSS after load includes the request log "
                 "(GET /_awssim/requests keeps the last 10,000 calls in memory, `--request-log`).\n")
    m = res.get("mixed")
    if m:
        L.append("## Mixed signed workload (issue 8 load test)\n")
        L.append(f"`wrk -t{a.threads} -c{a.connections} -d{a.mixed_duration}s`, round robin over 8 requests signed "
                 "with a known key (every signature verified): STS GetCallerIdentity, IAM ListRoles / GetRole / "
                 "PutRolePolicy (a write, one transaction), Step Functions ListStateMachines, DMS "
                 "DescribeReplicationInstances, Route 53 ListHostedZones (GET), RAM GetResourceShares.\n")
        L.append("| requests | req/s | p50 ms | p99 ms | non-2xx | socket errors | RSS before → after MiB | server alive |")
        L.append("|---:|---:|---:|---:|---:|---:|---|---|")
        L.append(f"| {m['requests']:,} | {fmt(m['rps'])} | {fmt(m['p50_ms'], '.2f')} | {fmt(m['p99_ms'], '.2f')} | "
                 f"{m['non2xx']} | {m['socket_errors']} | {res['mixed_rss_before'] / 1024:.1f} → "
                 f"{res['mixed_rss_after'] / 1024:.1f} | {'yes' if res.get('mixed_alive') else 'NO'} |")
        L.append("")
        L.append(f"Result: {'0 errors' if m['errors'] == 0 else str(m['errors']) + ' ERRORS'}.\n")
    for script, rc, out, err in extra:
        if rc == 0:
            continue  # its section is the bench/results/*.md file it writes (merged below)
        L.append(f"## {script} FAILED (exit {rc})\n")
        L.append("```\n" + out.strip()[-3000:] + "\n" + err.strip() + "\n```\n")
    fuzz_stats = os.path.join(ROOT, "fuzz", "stats.json")
    if os.path.exists(fuzz_stats):
        st = json.load(open(fuzz_stats))
        L.append("## Fuzzing (cumulative, fuzz/stats.json)\n")
        L.append("libFuzzer + ASan + UBSan (`make fuzz`). Execs and findings summed over all campaigns run so far; "
                 "target ≥ 10 M execs per target over time. Findings are listed in fuzz/FINDINGS.md.\n")
        L.append("| target | execs | seconds | findings | max cov |")
        L.append("|---|---:|---:|---:|---:|")
        for t, e in sorted(st.items()):
            L.append(f"| {t} | {e['execs']:,} | {e['seconds']:,} | {e['findings']} | {e['max_cov']} |")
        L.append("")
    for path in sorted(glob.glob(os.path.join(HERE, "results", "*.md"))):
        L.append(open(path).read().rstrip() + "\n")
    with open(a.out, "w") as f:
        f.write("\n".join(L))


if __name__ == "__main__":
    main()
