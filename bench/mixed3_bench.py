#!/usr/bin/env python3
"""mixed3_bench.py — a mixed Route 53 / DMS / RAM workload through boto3: awssim vs moto server (issue 4).

Per iteration (11 calls): Route 53 CreateHostedZone, ChangeResourceRecordSets (UPSERT of a weighted A record),
ListResourceRecordSets; DMS CreateReplicationSubnetGroup, DescribeReplicationSubnetGroups,
DescribeReplicationTasks, DeleteReplicationSubnetGroup; Route 53 ChangeResourceRecordSets (DELETE of that
record), DeleteHostedZone; RAM CreateResourceShare, GetResourceShares (SELF).
The subnet group and the zone are deleted in the same iteration because awssim enforces the AWS default
quotas (60 replication subnet groups per account and region, 500 hosted zones per account): without the
deletes, runs of 300 iterations fail with ResourceQuotaExceededFault / TooManyHostedZones on awssim (moto
does not enforce them).
Both servers are started on free ports in the same run and stopped at the end. Each runs the workload with
one client (sequential) and with 4 client threads (each thread its own boto3 client, iterations split).
A call that raises (any botocore error, e.g. an operation moto does not implement) is counted as an error
per operation and reported; its latency still counts. Writes bench/results/mixed3.md and prints it.
Usage: mixed3_bench.py --awssim PATH [--iterations 300] [--threads 4] [--no-moto]
"""
import argparse
import collections
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import free_port, wait_port  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VENV_BIN = os.path.dirname(sys.executable)
ACCOUNT = "123456789012"


def clients(url):
    cfg = Config(retries={"max_attempts": 1}, max_pool_connections=4)
    kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id=ACCOUNT, aws_secret_access_key="bench",
              config=cfg)
    return boto3.client("route53", **kw), boto3.client("dms", **kw), boto3.client("ram", **kw)


def worker(url, tag, start, count, lat, errors, samples):
    r53, dms, ram = clients(url)

    def call(op, fn):
        t = time.perf_counter()
        try:
            fn()
        except Exception as e:  # counted and reported, never hidden
            errors[op] += 1
            code = getattr(e, "response", {}).get("Error", {}).get("Code") if hasattr(e, "response") else None
            samples.setdefault(op, f"{type(e).__name__}: {code or str(e)[:120]}")
        lat.append(time.perf_counter() - t)

    for i in range(start, start + count):
        name = f"{tag}-{i}"
        zone = {}

        def cz():
            zone["id"] = r53.create_hosted_zone(Name=f"{name}.bench.example.com",
                                                CallerReference=name)["HostedZone"]["Id"]

        call("route53:CreateHostedZone", cz)
        zid = zone.get("id", "/hostedzone/ZNONE")
        call("route53:ChangeResourceRecordSets", lambda: r53.change_resource_record_sets(
            HostedZoneId=zid, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {
                "Name": f"app.{name}.bench.example.com", "Type": "A", "SetIdentifier": "new", "Weight": 25,
                "TTL": 60, "ResourceRecords": [{"Value": "10.0.0.1"}]}}]}))
        call("route53:ListResourceRecordSets", lambda: r53.list_resource_record_sets(HostedZoneId=zid))
        call("dms:CreateReplicationSubnetGroup", lambda: dms.create_replication_subnet_group(
            ReplicationSubnetGroupIdentifier=name, ReplicationSubnetGroupDescription="bench",
            SubnetIds=["subnet-0a1b2c3d", "subnet-1a2b3c4d"]))
        call("dms:DescribeReplicationSubnetGroups", lambda: dms.describe_replication_subnet_groups(
            Filters=[{"Name": "replication-subnet-group-id", "Values": [name]}]))
        call("dms:DescribeReplicationTasks", lambda: dms.describe_replication_tasks(MaxRecords=20))
        call("dms:DeleteReplicationSubnetGroup", lambda: dms.delete_replication_subnet_group(
            ReplicationSubnetGroupIdentifier=name))
        call("route53:ChangeResourceRecordSets", lambda: r53.change_resource_record_sets(
            HostedZoneId=zid, ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": {
                "Name": f"app.{name}.bench.example.com", "Type": "A", "SetIdentifier": "new", "Weight": 25,
                "TTL": 60, "ResourceRecords": [{"Value": "10.0.0.1"}]}}]}))
        call("route53:DeleteHostedZone", lambda: r53.delete_hosted_zone(Id=zid))
        call("ram:CreateResourceShare", lambda: ram.create_resource_share(name=name, allowExternalPrincipals=False))
        call("ram:GetResourceShares", lambda: ram.get_resource_shares(resourceOwner="SELF", maxResults=20))


def run(url, tag, iterations, threads):
    lat, errors, samples = [], collections.Counter(), {}
    per = [iterations // threads + (1 if k < iterations % threads else 0) for k in range(threads)]
    starts = [sum(per[:k]) for k in range(threads)]
    lats = [[] for _ in range(threads)]
    errs = [collections.Counter() for _ in range(threads)]  # one per thread, merged after join
    ts = [threading.Thread(target=worker, args=(url, tag, starts[k], per[k], lats[k], errs[k], samples))
          for k in range(threads)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.perf_counter() - t0
    for x in lats:
        lat.extend(x)
    for e in errs:
        errors.update(e)
    lat.sort()
    return {"calls": len(lat), "wall": wall, "per_s": len(lat) / wall, "p50_ms": statistics.median(lat) * 1000,
            "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000, "errors": dict(errors),
            "samples": samples}


def start_server(name, argv, port):
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_port(port, proc)
    except RuntimeError:
        proc.kill()
        log.seek(0)
        raise RuntimeError(f"{name} did not start: {log.read().decode(errors='replace')[-1500:]}")
    return proc, log


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--awssim", required=True)
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--no-moto", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "mixed3.md"))
    a = ap.parse_args()

    servers = [("awssim", lambda p: [a.awssim, "serve", "--port", str(p), "--log-level", "error"])]
    if not a.no_moto:
        servers.append(("moto", lambda p: [os.path.join(VENV_BIN, "moto_server"), "-H", "127.0.0.1", "-p", str(p)]))
    res = {}
    for name, argv in servers:
        port = free_port()
        proc, log = start_server(name, argv(port), port)
        try:
            url = f"http://127.0.0.1:{port}"
            for threads in (1, a.threads):
                print(f"== {name}, {threads} client thread(s), {a.iterations} iterations", flush=True)
                res[(name, threads)] = run(url, f"b{threads}", a.iterations, threads)
        finally:
            stop(proc)
            log.close()

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = ["## Mixed Route 53 / DMS / RAM workload through boto3 (bench/mixed3_bench.py)\n",
         f"Run: {now} on {platform.node() or 'host'} ({os.cpu_count()} CPUs, {platform.machine()}). "
         f"{a.iterations} iterations of 11 calls each (Route 53 CreateHostedZone, ChangeResourceRecordSets UPSERT "
         "weighted A, ListResourceRecordSets; DMS CreateReplicationSubnetGroup, DescribeReplicationSubnetGroups, "
         "DescribeReplicationTasks, DeleteReplicationSubnetGroup; Route 53 ChangeResourceRecordSets DELETE, "
         "DeleteHostedZone; RAM CreateResourceShare, GetResourceShares), one boto3 client sequentially "
         f"and {a.threads} client threads (own clients, iterations split). Client and server share the 2 CPUs; "
         "boto3's own per-call cost (signing, serialising, parsing) is included in every number. "
         "Errors are calls that raised (counted, latency included). The subnet group and zone are deleted in each "
         "iteration: awssim enforces AWS's default quotas (60 DMS replication subnet groups, 500 hosted zones per "
         "account), which a create-only loop of 300 iterations exceeds (ResourceQuotaExceededFault, "
         "TooManyHostedZones on awssim; moto does not enforce them).\n",
         "| server | client threads | calls | wall (s) | calls/s | p50 ms | p99 ms | errors |",
         "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for (name, threads), r in res.items():
        L.append(f"| {name} | {threads} | {r['calls']:,} | {r['wall']:.1f} | {r['per_s']:.0f} | {r['p50_ms']:.2f} | "
                 f"{r['p99_ms']:.2f} | {sum(r['errors'].values())} |")
    L.append("")
    errs = [(k, r) for k, r in res.items() if r["errors"]]
    if errs:
        L.append("Errors by operation:\n")
        for (name, threads), r in errs:
            for op, n in sorted(r["errors"].items()):
                L.append(f"- {name}, {threads} thread(s): {op} — {n} ({r['samples'].get(op, '')})")
        L.append("")
    else:
        L.append("No errors on either server.\n")
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        f.write("\n".join(L))
    print("\n".join(L))


if __name__ == "__main__":
    main()
