#!/usr/bin/env python3
"""route53_bench.py — Route 53 through boto3: awssim vs moto server, plus awssim's simulated parts.

Workloads (one boto3 client, sequential calls, so numbers are per-call latency bound):
  * upsert  — N ChangeResourceRecordSets calls, one UPSERT each, into one zone (calls/s, p50, p99);
  * list    — page through ListResourceRecordSets of that zone (N + 2 record sets, 300 per page);
  * answer  — TestDNSAnswer on a weighted pair (calls/s);
awssim only:
  * resolve — /_awssim/route53/resolve with samples=100000 on the weighted pair (answers/s);
  * health  — 200 health checks with faults, clock moved 30 days, GetHealthCheckStatus on each
              (lazy evaluation over ~86,000 evaluations per check: calls/s).
Writes bench/results/route53.md and prints it.
Usage: route53_bench.py --awssim PATH [--records 2000] [--no-moto]
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import free_port, wait_port  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VENV_BIN = os.path.dirname(sys.executable)


def client(url):
    return boto3.client("route53", endpoint_url=url, region_name="us-east-1", aws_access_key_id="123456789012",
                        aws_secret_access_key="bench", config=Config(retries={"max_attempts": 1}))


def timed(fn, n):
    lat = []
    t0 = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        lat.append(time.perf_counter() - t)
    total = time.perf_counter() - t0
    lat.sort()
    return {"n": n, "per_s": n / total, "p50_ms": statistics.median(lat) * 1000,
            "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000}


def api_workloads(url, records):
    r53 = client(url)
    zid = r53.create_hosted_zone(Name="bench.example.com", CallerReference="bench")["HostedZone"]["Id"]

    def upsert(i):
        r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [{"Action": "UPSERT",
            "ResourceRecordSet": {"Name": f"h{i}.bench.example.com", "Type": "A", "TTL": 60,
                                  "ResourceRecords": [{"Value": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"}]}}]})

    res = {"upsert": timed(upsert, records)}
    t0 = time.perf_counter()
    seen = sum(len(p["ResourceRecordSets"]) for p in
               r53.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zid))
    res["list"] = {"records": seen, "seconds": time.perf_counter() - t0}
    r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "w.bench.example.com", "Type": "A", "TTL": 60,
                                                   "SetIdentifier": s, "Weight": w,
                                                   "ResourceRecords": [{"Value": v}]}}
        for s, w, v in (("blue", 90, "192.0.2.1"), ("green", 10, "192.0.2.2"))]})
    try:
        res["answer"] = timed(lambda i: r53.test_dns_answer(HostedZoneId=zid, RecordName="w.bench.example.com",
                                                            RecordType="A"), 300)
    except Exception:  # moto 5.2 has no TestDNSAnswer
        res["answer"] = None
    return res, r53, zid


def control(url, method, path, body=None):
    req = urllib.request.Request(url + "/_awssim/" + path, method=method,
                                 data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read() or b"{}")


def awssim_only(url, r53):
    out = {}
    t0 = time.perf_counter()
    body = control(url, "GET", "route53/resolve?name=w.bench.example.com&type=A&samples=100000&account=123456789012")
    secs = time.perf_counter() - t0
    out["resolve"] = {"samples": 100000, "seconds": secs, "counts": body.get("counts")}
    ids = []
    for i in range(200):
        hc = r53.create_health_check(CallerReference=f"hc{i}", HealthCheckConfig={
            "Type": "HTTP", "IPAddress": f"192.0.2.{i % 250 + 1}", "Port": 80, "RequestInterval": 30,
            "FailureThreshold": 3})["HealthCheck"]
        ids.append(hc["Id"])
        control(url, "POST", "faults", {"service": "route53", "healthCheckId": hc["Id"],
                                        "until": int(time.time()) + 86400})
    control(url, "POST", "clock", {"advance": 30 * 86400})
    out["health"] = timed(lambda i: r53.get_health_check_status(HealthCheckId=ids[i]), len(ids))
    return out


def run_awssim(path, records):
    tmp = tempfile.mkdtemp(prefix="r53bench-")
    ready = os.path.join(tmp, "ready")
    proc = subprocess.Popen([path, "serve", "--port", "0", "--ready-file", ready, "--seed", "1", "--log-level",
                             "error"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 20
        while not os.path.exists(ready):
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("awssim did not start")
            time.sleep(0.01)
        url = open(ready).read().strip()
        res, r53, _ = api_workloads(url, records)
        res.update(awssim_only(url, r53))
        res["alive"] = proc.poll() is None
        return res
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


def run_moto(records):
    exe = os.path.join(VENV_BIN, "moto_server")
    if not os.path.exists(exe):
        return None
    port = free_port()
    proc = subprocess.Popen([exe, "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, proc)
        res, _, _ = api_workloads(f"http://127.0.0.1:{port}", records)
        return res
    finally:
        proc.terminate()
        proc.wait(10)


def row(name, r):
    if r is None:
        return f"| {name} | - | - | - |"
    return f"| {name} | {r['per_s']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} |"


def report(a, mine, moto):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = ["## Route 53 (bench/route53_bench.py)\n",
         f"Run: {now} on {platform.node() or 'host'} ({os.cpu_count()} CPUs). One boto3 client, sequential "
         f"calls; {a.records} single-record UPSERTs into one zone.\n",
         "| workload | calls/s | p50 ms | p99 ms |", "|---|---|---|---|",
         row("awssim ChangeResourceRecordSets (UPSERT)", mine["upsert"]),
         row("moto ChangeResourceRecordSets (UPSERT)", moto["upsert"] if moto else None),
         row("awssim TestDNSAnswer (weighted)", mine["answer"]),
         row("moto TestDNSAnswer (weighted; not implemented by moto)", moto["answer"] if moto else None),
         row("awssim GetHealthCheckStatus after 30 days of faults", mine["health"]), "",
         f"- ListResourceRecordSets, all {mine['list']['records']} record sets (300 per page): awssim "
         f"{mine['list']['seconds']:.3f} s" + (f", moto {moto['list']['seconds']:.3f} s" if moto else ""),
         f"- resolver: {mine['resolve']['samples']} weighted answers in {mine['resolve']['seconds']:.3f} s "
         f"({mine['resolve']['samples'] / mine['resolve']['seconds']:.0f}/s), counts {mine['resolve']['counts']} "
         "(weights 90/10)",
         f"- server alive after the run: {mine['alive']}", ""]
    text = "\n".join(L)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "route53.md"), "w") as f:
        f.write(text)
    print(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--awssim", required=True)
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--no-moto", action="store_true")
    a = ap.parse_args()
    mine = run_awssim(a.awssim, a.records)
    moto = None if a.no_moto else run_moto(a.records)
    report(a, mine, moto)


if __name__ == "__main__":
    main()
