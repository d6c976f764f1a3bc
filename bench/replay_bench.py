#!/usr/bin/env python3
"""replay_bench.py — time to replay the whole scenario library (issue 7).

For each --jobs value (default 2 and 4) runs `awssim replay scenarios --jobs N --report <tmpdir>` once and
measures:
  * wall time of the whole library (target from issue 7: < 60 s on the 2-core machine);
  * where the time goes, two ways:
      - wall per step kind: the runner prints each step's wall time on the console ("ok (12.3s)", steps
        under 0.05 s print none and count 0); matched with results.json to know each step's kind
        (deploy = Pulumi SDK deploy child; run = a program's test command; the rest is awssim itself);
      - CPU: total CPU of the replay process tree from os.wait4 (user+sys), split by polling /proc every
        20 ms: a scenario runner (a forked awssim) reports in cutime/cstime the CPU of the deploy / run
        children it has reaped, so CPU(children of runners) is what the Pulumi SDK and test commands used
        and the rest is awssim (replay parent + runners, the in-process sim). Polling can miss the last
        < 20 ms of a runner: the split is approximate, the total is exact;
  * virtual time covered (sum over scenarios of end - start in results.json) per wall second.
Writes bench/results/replay.md and prints it.
Usage: replay_bench.py --awssim PATH [--jobs 2,4] [--scenarios DIR] [--out PATH]
"""
import argparse
import datetime
import glob
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TICK = os.sysconf("SC_CLK_TCK")
STEP_RE = re.compile(r"^\[([^\]]+)\] \[(\d+)/(\d+)\] .*? \u2026 (ok|FAILED|ERROR)(?: \(([\d.]+)s\))?")


def proc_cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def proc_stat(pid):
    """(ppid, comm, utime+stime s, cutime+cstime s) or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    comm = s[s.index("(") + 1:s.rindex(")")]
    f = s[s.rindex(")") + 2:].split()
    return int(f[1]), comm, (int(f[11]) + int(f[12])) / TICK, (int(f[13]) + int(f[14])) / TICK


class Poller(threading.Thread):
    """Tracks the runner children of the replay process (its direct children) and their cutime."""

    def __init__(self, root_pid):
        super().__init__(daemon=True)
        self.root, self.stop_ev = root_pid, threading.Event()
        self.runner_children_cpu = {}  # runner pid -> last seen cutime+cstime
        self.runner_self_cpu = {}
        self.server_self_cpu = {}

    def run(self):
        while not self.stop_ev.is_set():
            for d in os.listdir("/proc"):
                if not d.isdigit():
                    continue
                st = proc_stat(int(d))
                if st and st[0] == self.root:
                    self.runner_children_cpu[int(d)] = st[3]
                    self.runner_self_cpu[int(d)] = st[2]
                    if st[1] != "awssim" and "awssim_mock.forkserver" in proc_cmdline(int(d)):
                        # the Python deploy server (its forks are the deploys): its imports are deploy CPU
                        self.server_self_cpu[int(d)] = st[2]
            time.sleep(0.02)


def parse_iso(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def one_run(binary, scenarios, jobs):
    out = tempfile.mkdtemp(prefix=f"replay-bench-j{jobs}-")
    t0 = time.perf_counter()
    proc = subprocess.Popen([binary, "replay", scenarios, "--jobs", str(jobs), "--report", out], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    poll = Poller(proc.pid)
    poll.start()
    text = proc.stdout.read()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    poll.stop_ev.set()
    poll.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    results = json.load(open(os.path.join(out, "results.json")))
    by_name = {r["name"]: r for r in results}
    kinds = {}
    for line in text.splitlines():
        m = STEP_RE.match(line)
        if not m or m.group(1) not in by_name:
            continue
        steps = by_name[m.group(1)].get("steps", [])
        i = int(m.group(2)) - 1
        kind = steps[i]["kind"] if i < len(steps) else "?"
        kinds[kind] = kinds.get(kind, 0.0) + float(m.group(5) or 0)
    virt, per = 0.0, []
    for r in results:
        v = parse_iso(r["end"]) - parse_iso(r["start"]) if r.get("start") and r.get("end") else 0.0
        virt += v
        per.append((r["name"], r.get("status"), v))
    statuses = {}
    for r in results:
        statuses[r.get("status")] = statuses.get(r.get("status"), 0) + 1
    total_cpu = ru.ru_utime + ru.ru_stime  # replay parent + every descendant it (transitively) reaped
    child_cpu = sum(poll.runner_children_cpu.values()) + sum(poll.server_self_cpu.values())
    shutil.rmtree(out, ignore_errors=True)
    tail = "\n".join(text.splitlines()[-40:])
    return {"jobs": jobs, "wall": wall, "rc": proc.returncode, "cpu": total_cpu, "deploy_cpu": child_cpu,
            "awssim_cpu": max(0.0, total_cpu - child_cpu), "kinds": kinds, "virtual": virt, "per": per,
            "statuses": statuses, "tail": tail}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--awssim", required=True)
    ap.add_argument("--jobs", default="2,4")
    ap.add_argument("--scenarios", default="scenarios")
    ap.add_argument("--out", default=os.path.join(HERE, "results", "replay.md"))
    a = ap.parse_args()
    binary = os.path.abspath(a.awssim)
    runs = []
    for j in [int(x) for x in a.jobs.split(",")]:
        print(f"== replay {a.scenarios} --jobs {j}", flush=True)
        r = one_run(binary, a.scenarios, j)
        print(f"   wall {r['wall']:.1f} s, exit {r['rc']}, {r['statuses']}", flush=True)
        runs.append(r)

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    n = sum(runs[0]["statuses"].values())
    L = ["## Scenario library replay (bench/replay_bench.py)\n",
         f"Run: {now} on {platform.node() or 'host'} ({os.cpu_count()} CPUs, {platform.machine()}). "
         f"`awssim replay {a.scenarios} --jobs N --report DIR`, {n} scenarios, once per N. Target (issue 7): whole "
         f"library < 60 s wall on this 2-core machine.\n",
         "| jobs | wall (s) | < 60 s? | exit | scenarios | CPU total (s) | CPU awssim (s) | CPU deploy/run children (s) "
         "| virtual time | virtual s per wall s |",
         "|---:|---:|---|---:|---|---:|---:|---:|---:|---:|"]
    for r in runs:
        st = ", ".join(f"{v} {k}" for k, v in sorted(r["statuses"].items()))
        cpu = r["cpu"] or 1
        L.append(f"| {r['jobs']} | {r['wall']:.1f} | {'yes' if r['wall'] < 60 else 'NO'} | {r['rc']} | {st} | "
                 f"{r['cpu']:.1f} | {r['awssim_cpu']:.1f} ({100 * r['awssim_cpu'] / cpu:.0f} %) | "
                 f"{r['deploy_cpu']:.1f} ({100 * r['deploy_cpu'] / cpu:.0f} %) | {r['virtual'] / 3600:.1f} h | "
                 f"{r['virtual'] / r['wall']:,.0f} |")
    L.append("")
    L.append("Wall time summed over scenarios by step kind (from the runner's per-step console timings; "
             "`deploy` is the Pulumi SDK deploy child, `run` a program's test command, the other kinds are "
             "awssim alone; scenarios run in parallel, so the sums exceed the wall time):\n")
    kinds = sorted({k for r in runs for k in r["kinds"]})
    L.append("| jobs | " + " | ".join(kinds) + " | deploy + run share |")
    L.append("|---:|" + "---:|" * len(kinds) + "---:|")
    for r in runs:
        tot = sum(r["kinds"].values()) or 1
        ext = r["kinds"].get("deploy", 0) + r["kinds"].get("run", 0)
        L.append(f"| {r['jobs']} | " + " | ".join(f"{r['kinds'].get(k, 0):.1f} s" for k in kinds) +
                 f" | {100 * ext / tot:.0f} % |")
    L.append("")
    L.append("Per scenario (last run): status, virtual time covered.\n")
    L.append("| scenario | status | virtual |")
    L.append("|---|---|---:|")
    for name, st, v in runs[-1]["per"]:
        L.append(f"| {name} | {st} | {int(v) // 3600}h{int(v) // 60 % 60:02d}m |")
    L.append("")
    L.append("CPU split method: total from os.wait4 on the replay process (it reaps its runners, which reap "
             "their deploy/run children); children share = sum of the runners' cutime+cstime polled from /proc, plus "
             "the Python deploy server's own CPU and its forks' (the Python deploys) "
             "every 20 ms (approximate, may miss a runner's last 20 ms). On 2 CPUs, CPU total / wall above 2 "
             "is impossible; below 2 means time waiting (timeouts, sleeps, I/O).\n")
    bad = [r for r in runs if r["rc"] != 0]
    for r in bad:
        L.append(f"Replay with --jobs {r['jobs']} exited {r['rc']}; console tail:\n")
        L.append("```\n" + r["tail"] + "\n```\n")
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        f.write("\n".join(L))
    print("\n".join(L))


if __name__ == "__main__":
    main()
