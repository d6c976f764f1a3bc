#!/usr/bin/env python3
"""record.py — sums libFuzzer runs per target from build/fuzz/stats/<t>.log into
fuzz/stats.json (committed: cumulative execs and findings per target across campaigns).

Usage: record.py STATS_DIR   (each .last.log is the run just finished; it is added once)
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DB = os.path.join(HERE, "stats.json")


def main():
    stats_dir = sys.argv[1]
    db = json.load(open(DB)) if os.path.exists(DB) else {}
    for name in sorted(os.listdir(stats_dir)):
        if not name.endswith(".last.log"):
            continue
        t = name[: -len(".last.log")]
        text = open(os.path.join(stats_dir, name), errors="replace").read()
        execs = sum(int(x) for x in re.findall(r"stat::number_of_executed_units:\s*(\d+)", text))
        secs = sum(int(x) for x in re.findall(r"stat::total_run_time? ?:?\s*(\d+)", text)) or 0
        m = re.findall(r"Done (\d+) runs in (\d+) second", text)
        if not execs and m:
            execs = int(m[-1][0])
        if m:
            secs = int(m[-1][1])
        crash = bool(re.search(r"ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:", text))
        cov = re.findall(r"cov: (\d+)", text)
        e = db.setdefault(t, {"execs": 0, "seconds": 0, "runs": 0, "findings": 0, "max_cov": 0})
        e["execs"] += execs
        e["seconds"] += secs
        e["runs"] += 1
        e["findings"] += 1 if crash else 0
        if cov:
            e["max_cov"] = max(e["max_cov"], max(int(c) for c in cov))
        os.rename(os.path.join(stats_dir, name), os.path.join(stats_dir, name + ".recorded"))
    with open(DB, "w") as f:
        json.dump(db, f, indent=2, sort_keys=True)
        f.write("\n")
    for t, e in sorted(db.items()):
        print(f"{t:16} execs {e['execs']:>12,}  findings {e['findings']}  cov {e['max_cov']}")


if __name__ == "__main__":
    main()
