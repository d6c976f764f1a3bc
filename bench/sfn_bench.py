#!/usr/bin/env python3
"""sfn_bench.py — Step Functions throughput: awssim vs moto server vs aws-local-stepfunctions.

Two workloads, each measured as executions/s and state transitions/s:
  * chain — a 20-state Pass chain (20 transitions per execution);
  * map   — one inline Map over 1,000 items with a one-Pass-state processor (1,001 transitions).
awssim and moto are driven through the API with wrk (StartExecution, same request bytes, same
threads/connections/duration); awssim runs on its virtual clock and finishes each execution inside
StartExecution. moto runs with `execute_state_machine` on (set through /moto-api/config); moto 5.2.1
answers HTTP 500 to a state machine's second StartExecution in that mode, so moto is driven by one
Python client creating a state machine per execution, and counts executions that SUCCEEDED. aws-local-stepfunctions is a library: bench/node/bench.js runs the same definitions in
process (no HTTP), sequentially.

awssim's chain is measured three times (a fresh server each) and reported as the median with the
range; for each trial the CPU time per execution is read from /proc (awssim user and kernel time)
and from wrk's rusage, because on a small machine the client and the kernel's loopback TCP take a
large share of the CPUs the target is measured on.

AWSSIM_ARGS (environment, split on spaces) is appended to awssim's `serve` arguments, e.g.
AWSSIM_ARGS="--threads 2" to compare worker counts (bench/sfn_instructions.py starts awssim through
this script too).

Writes bench/results/sfn.md — the new run on top, earlier runs kept below it — (bench/run.py merges
it into bench/results.md) and prints it.
Usage: sfn_bench.py --awssim PATH [--duration 5] [--threads 2] [--connections 8] [--no-moto] [--no-node]
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import free_port, wait_port  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV_BIN = os.path.dirname(sys.executable)
ROLE = "arn:aws:iam::123456789012:role/bench"


def chain_definition(n=20):
    states = {}
    for i in range(n):
        states[f"S{i}"] = {"Type": "Pass", "Next": f"S{i + 1}"} if i < n - 1 else {"Type": "Pass", "End": True}
    return {"StartAt": "S0", "States": states}


MAP_DEFINITION = {"StartAt": "M", "States": {"M": {
    "Type": "Map", "ItemsPath": "$.items",
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, "End": True}}}
MAP_INPUT = {"items": [{"i": i} for i in range(1000)]}

WORKLOADS = [("chain", chain_definition(), {"a": 1}, 20), ("map", MAP_DEFINITION, MAP_INPUT, 1001)]


def call(url, target, body):
    req = urllib.request.Request(url + "/", data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AWSStepFunctions." + target,
        "Authorization": "AWS4-HMAC-SHA256 Credential=123456789012/20260101/us-east-1/states/aws4_request, "
                         "SignedHeaders=host, Signature=0"})
    with urllib.request.urlopen(req, timeout=600) as resp:
        return json.loads(resp.read() or b"{}")


def start_awssim(binary):
    tmp = tempfile.mkdtemp(prefix="sfnbench-")
    ready = os.path.join(tmp, "ready")
    args = [binary, "serve", "--port", "0", "--ready-file", ready, "--log-level", "error"]
    proc = subprocess.Popen(args + os.environ.get("AWSSIM_ARGS", "").split(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.time() + 20
    while not os.path.exists(ready) or not open(ready).read().strip():
        if proc.poll() is not None or time.time() > end:
            raise RuntimeError("awssim did not start")
        time.sleep(0.01)
    return proc, open(ready).read().strip()


def start_moto():
    port = free_port()
    proc = subprocess.Popen([os.path.join(VENV_BIN, "moto_server"), "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, proc)
    url = f"http://127.0.0.1:{port}"
    req = urllib.request.Request(url + "/moto-api/config", method="POST",
                                 data=json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode())
    urllib.request.urlopen(req, timeout=10).read()
    return proc, url


def wrk(url, body, a):
    # every request names its execution uniquely (thread id + counter): moto needs a name
    body = dict(body, name="NAME")
    prefix, suffix = json.dumps(body).split("NAME")
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write('wrk.method = "POST"\n'
                 'wrk.headers["Content-Type"] = "application/x-amz-json-1.0"\n'
                 'wrk.headers["X-Amz-Target"] = "AWSStepFunctions.StartExecution"\n'
                 'wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=123456789012/20260101/us-east-1/'
                 'states/aws4_request, SignedHeaders=host, Signature=0"\n'
                 f"local prefix = {json.dumps(prefix)}\n"
                 f"local suffix = {json.dumps(suffix)}\n"
                 "local counter = 1\n"
                 "function setup(thread) thread:set('tid', counter); counter = counter + 1 end\n"
                 "function init(args) n = 0 end\n"
                 "function request() n = n + 1; return wrk.format(nil, nil, nil, prefix .. 'e' .. tid .. '-' .. n .. suffix) end\n")
    script.close()
    out = subprocess.run(["wrk", "-t", str(a.threads), "-c", str(a.connections), "-d", f"{a.duration}s",
                          "--timeout", "30s", "-s", script.name, url], capture_output=True, text=True).stdout
    os.unlink(script.name)
    reqs = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    n = int(reqs.group(1)) if reqs else 0
    secs = float(reqs.group(2)) * {"s": 1, "ms": 0.001, "m": 60}.get(reqs.group(3), 1) if reqs else a.duration
    return n, secs, int(non2xx.group(1)) if non2xx else 0


def count_status(url, arn):
    counts = {}
    token = None
    while True:
        body = {"stateMachineArn": arn, "maxResults": 1000}
        if token:
            body["nextToken"] = token
        r = call(url, "ListExecutions", body)
        for e in r.get("executions", []):
            counts[e["status"]] = counts.get(e["status"], 0) + 1
        token = r.get("nextToken")
        if not token:
            return counts


def proc_cpu(pid):
    """(user, system) CPU seconds of a process so far."""
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(f[11]) / tick, int(f[12]) / tick


def bench_awssim_chain(binary, a, trials=3):
    """The chain on a fresh awssim per trial: exec/s and CPU microseconds per execution."""
    _, definition, inp, transitions = WORKLOADS[0]
    runs = []
    for _ in range(trials):
        proc, url = start_awssim(binary)
        try:
            arn = call(url, "CreateStateMachine", {"name": "bench-chain", "roleArn": ROLE,
                                                   "definition": json.dumps(definition)})["stateMachineArn"]
            u0, s0 = proc_cpu(proc.pid)
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            n, secs, errors = wrk(url, {"stateMachineArn": arn, "input": json.dumps(inp)}, a)
            u1, s1 = proc_cpu(proc.pid)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            counts = count_status(url, arn)
        finally:
            proc.terminate()
            proc.wait()
        done = counts.get("SUCCEEDED", 0)
        per = 1e6 / max(done, 1)
        runs.append({"requests": n, "seconds": secs, "errors": errors, "statuses": counts,
                     "exec_per_s": done / secs if secs else 0,
                     "transitions_per_s": done * transitions / secs if secs else 0,
                     "user_us": (u1 - u0) * per, "sys_us": (s1 - s0) * per,
                     "wrk_us": (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * per})
        print(f"awssim chain trial: {runs[-1]}", flush=True)
    runs.sort(key=lambda r: r["exec_per_s"])
    med = dict(runs[len(runs) // 2])
    med["trials"] = runs
    return med


def bench_api(name, url, a, settle=0.0, skip=()):
    res = {}
    for wl, definition, inp, transitions in WORKLOADS:
        if wl in skip:
            continue
        arn = call(url, "CreateStateMachine", {"name": f"bench-{wl}", "roleArn": ROLE,
                                               "definition": json.dumps(definition)})["stateMachineArn"]
        n, secs, errors = wrk(url, {"stateMachineArn": arn, "input": json.dumps(inp)}, a)
        if settle:
            time.sleep(settle)
        counts = count_status(url, arn)
        done = counts.get("SUCCEEDED", 0)
        res[wl] = {"requests": n, "seconds": secs, "errors": errors, "statuses": counts,
                   "exec_per_s": done / secs if secs else 0, "transitions_per_s": done * transitions / secs if secs else 0}
        print(f"{name} {wl}: {res[wl]}", flush=True)
    return res


def bench_moto_fresh(url, a):
    """moto 5.2.1 fails the second StartExecution of a state machine when execute_state_machine is on
    (deepcopy of an RLock, HTTP 500), so each execution here gets its own state machine: a Python client
    runs CreateStateMachine + StartExecution pairs for the duration, then counts SUCCEEDED executions."""
    res = {}
    for wl, definition, inp, transitions in WORKLOADS:
        arns, n, errors = [], 0, 0
        text, inp_text = json.dumps(definition), json.dumps(inp)
        start = time.time()
        while time.time() - start < a.duration:
            try:
                arn = call(url, "CreateStateMachine", {"name": f"{wl}-{n}", "roleArn": ROLE, "definition": text})[
                    "stateMachineArn"]
                arns.append(call(url, "StartExecution", {"stateMachineArn": arn, "name": "e", "input": inp_text})[
                    "executionArn"])
            except Exception:
                errors += 1
            n += 1
        secs = time.time() - start
        time.sleep(2.0)
        counts = {}
        for ex in arns:
            st = call(url, "DescribeExecution", {"executionArn": ex})["status"]
            counts[st] = counts.get(st, 0) + 1
        done = counts.get("SUCCEEDED", 0)
        res[wl] = {"requests": n, "seconds": secs, "errors": errors, "statuses": counts,
                   "exec_per_s": done / secs, "transitions_per_s": done * transitions / secs}
        print(f"moto {wl}: {res[wl]}", flush=True)
    return res


def bench_node(a):
    node_dir = os.path.join(HERE, "node")
    if not os.path.isdir(os.path.join(node_dir, "node_modules")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=node_dir, check=True)
    out = subprocess.run(["node", "bench.js", str(a.duration)], cwd=node_dir, capture_output=True, text=True,
                         timeout=600)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"aws-local-stepfunctions: {res}", flush=True)
    return res


def fmt(v):
    return f"{v:,.0f}" if v >= 10 else f"{v:,.1f}"


def write(a, results):
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## Step Functions (bench/sfn_bench.py), latest run: {now}", "",
             f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} CPUs; "
             f"wrk -t{a.threads} -c{a.connections} -d{a.duration}s StartExecution for the API engines; "
             f"load average at the end {os.getloadavg()[0]:.1f} (numbers are only comparable on an idle machine).", "",
             "| engine | 20-state Pass chain exec/s | chain transitions/s | Map over 1,000 items exec/s | "
             "map transitions/s | notes |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    notes = {"awssim": "through the API, virtual clock; each execution completes inside StartExecution",
             "moto": "through the API, execute_state_machine on; one Python client, CreateStateMachine + "
                     "StartExecution per execution (moto 5.2.1 answers HTTP 500 to StartExecution once "
                     "one execution has run: deepcopy of an RLock); counts executions SUCCEEDED",
             "aws-local-stepfunctions": "in-process library, sequential, no HTTP"}
    for name, r in results.items():
        if "error" in r:
            lines.append(f"| {name} | – | – | – | – | {r['error']} |")
            continue
        c, m = r["chain"], r["map"]
        extra = ""
        if "statuses" in c:
            bad = {k: v for k, v in list(c["statuses"].items()) + list(m["statuses"].items()) if k != "SUCCEEDED"}
            errs = c.get("errors", 0) + m.get("errors", 0)
            if bad or errs:
                extra = f"; not finished/failed: {bad}, HTTP errors: {errs}"
        lines.append(f"| {name} | {fmt(c['exec_per_s'])} | {fmt(c['transitions_per_s'])} | {fmt(m['exec_per_s'])} | "
                     f"{fmt(m['transitions_per_s'])} | {notes.get(name, '')}{extra} |")
    aw = results.get("awssim", {}).get("chain", {})
    if "trials" in aw:
        lines += ["", "awssim chain, three trials on a fresh server each (the table shows the median); CPU time per "
                      "execution, read from /proc for awssim and from rusage for wrk:", "",
                  "| trial | exec/s | awssim user µs | awssim kernel µs | wrk µs | CPU µs per execution, all |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for i, t in enumerate(aw["trials"], 1):
            lines.append(f"| {i} | {fmt(t['exec_per_s'])} | {t['user_us']:.0f} | {t['sys_us']:.0f} | "
                         f"{t['wrk_us']:.0f} | {t['user_us'] + t['sys_us'] + t['wrk_us']:.0f} |")
        lines += ["", f"At 20,000 executions/s the {os.cpu_count()} CPUs give at most "
                      f"{os.cpu_count() * 1e6 / 20000:.0f} µs of CPU per execution for awssim, its kernel work "
                      "and the client together."]
    target = "Target for awssim: 20,000 executions/s of the chain"
    if "exec_per_s" in aw:
        clean = not aw.get("errors") and set(aw.get("statuses", {})) <= {"SUCCEEDED"}
        met = aw["exec_per_s"] >= 20000 and clean
        target += (f" — {'met' if met else 'NOT met'} ({fmt(aw['exec_per_s'])}/s, median of the trials"
                   f"{'' if clean else '; some executions did not succeed or requests failed'})")
    lines += ["", target + ".", ""]
    text = "\n".join(lines)
    # the new run on top; earlier runs stay below it
    old = open(a.out).read() if os.path.exists(a.out) else ""
    old = re.sub(r"^## Step Functions \(bench/sfn_bench.py\), latest run: ", "## Step Functions (bench/sfn_bench.py), run of ",
                 old, count=1)
    with open(a.out, "w") as f:
        f.write(text + ("\n" + old if old else ""))
    print(text)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--awssim", default=os.environ.get("AWSSIM_BIN", os.path.join(ROOT, "build", "release", "awssim")))
    p.add_argument("--duration", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--no-moto", action="store_true")
    p.add_argument("--no-node", action="store_true")
    p.add_argument("--out", default=os.path.join(HERE, "results", "sfn.md"))
    a = p.parse_args()
    results = {}
    proc, url = start_awssim(a.awssim)
    try:
        results["awssim"] = bench_api("awssim", url, a, skip=("chain",))
    finally:
        proc.terminate()
        proc.wait()
    results["awssim"]["chain"] = bench_awssim_chain(a.awssim, a)
    if not a.no_moto:
        try:
            proc, url = start_moto()
            try:
                results["moto"] = bench_moto_fresh(url, a)
            finally:
                proc.terminate()
                proc.wait()
        except Exception as exc:  # report, do not hide
            results["moto"] = {"error": f"moto failed: {exc}"}
    if not a.no_node:
        try:
            results["aws-local-stepfunctions"] = bench_node(a)
        except Exception as exc:
            results["aws-local-stepfunctions"] = {"error": f"node bench failed: {exc}"}
    write(a, results)


if __name__ == "__main__":
    main()
