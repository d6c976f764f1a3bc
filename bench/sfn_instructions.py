#!/usr/bin/env python3
"""sfn_instructions.py — work done per StartExecution, independent of machine load.

Starts awssim, creates the workload's state machine (bench/sfn_bench.py's chain or map), warms up for
1 s (another state machine, so execution names never collide), then counts the awssim process's
user-space instructions, cycles, CPU time, page faults and context switches (`perf stat -p PID`)
around a fixed-duration wrk load and divides by the requests wrk completed. Prints one line; wall-clock exec/s is printed too but only
means something on a quiet machine.
Usage: sfn_instructions.py AWSSIM_BINARY [seconds=4] [chain|map]
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sfn_bench as B  # noqa: E402


class Load:
    threads, connections, duration = 2, 8, 1


def main():
    binary = sys.argv[1]
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    workload = sys.argv[3] if len(sys.argv) > 3 else "chain"
    _, definition, inp, _ = [w for w in B.WORKLOADS if w[0] == workload][0]
    proc, url = B.start_awssim(binary)
    try:
        def create(name):
            return B.call(url, "CreateStateMachine", {"name": name, "roleArn": B.ROLE,
                                                      "definition": json.dumps(definition)})["stateMachineArn"]
        B.wrk(url, {"stateMachineArn": create("warm"), "input": json.dumps(inp)}, Load)
        arn = create("measured")
        Load.duration = seconds
        events = "instructions:u,cycles:u,cycles:k,task-clock,page-faults,context-switches"
        perf = subprocess.Popen(["perf", "stat", "-x,", "-e", events, "-p", str(proc.pid)],
                                stderr=subprocess.PIPE, text=True)
        time.sleep(0.2)
        n, secs, errors = B.wrk(url, {"stateMachineArn": arn, "input": json.dumps(inp)}, Load)
        perf.send_signal(2)
        counters = {}
        for line in perf.communicate()[1].strip().splitlines():
            f = line.split(",")
            if len(f) > 2 and f[0].replace(".", "").isdigit():
                counters[f[2]] = float(f[0])
        instructions = counters.get("instructions:u", 0)
        cpu_us = counters.get("task-clock", 0) * 1000 / max(n, 1)  # task-clock is in ms
        done = B.count_status(url, arn).get("SUCCEEDED", 0)
        print(f"{workload}: {instructions / max(n, 1) / 1000:,.1f} k instructions per StartExecution "
              f"{cpu_us:.1f} µs CPU (user+kernel) each, "
              f"{counters.get('cycles:u', 0) / max(n, 1) / 1000:,.1f} k user + "
              f"{counters.get('cycles:k', 0) / max(n, 1) / 1000:,.1f} k kernel cycles, "
              f"{counters.get('page-faults', 0) / max(n, 1):.2f} page faults, "
              f"{counters.get('context-switches', 0) / max(n, 1):.2f} context switches "
              f"({n} requests, {errors} errors, {done} SUCCEEDED; {n / secs:,.0f}/s at load average "
              f"{os.getloadavg()[0]:.1f})")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
