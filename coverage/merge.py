"""Merged coverage summary for awssim: C (gcov/lcov), Python (coverage.py), TypeScript (c8).

  python coverage/merge.py [--check] [--quick] [--replay-build build/cov-gate]

Collects what the test runs left behind and writes coverage/html/summary.json, coverage/html/summary.txt
and (unless --quick) coverage/html/index.html linking the per-component HTML reports:
  sim/ (C)            coverage/sim.info from `make coverage` (unit + integration tests + scenario
                      replay with the coverage build); --replay-build DIR also captures DIR's gcda
                      files as "sim/ (scenarios only)".
  pulumi/python, mocks/python     the .coverage data file of the component's pytest run
  pulumi/typescript, mocks/typescript   the c8 raw data (coverage/tmp) of the component's mocha run
--check enforces coverage/thresholds.json on every component that was measured (lines %, and for
the programs branches % too); a component without data is reported as "not measured", never as
passing a threshold. Exit status 1 when a measured component is below its threshold.
"""

import argparse
import html
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "coverage")
DATA = os.path.join(OUT, "html", "data")  # generated (gitignored with coverage/html/)
PY = sys.executable


def run(cmd, cwd=ROOT):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def lcov_totals(info_path):
    """(lines hit, lines found, branches hit, branches found) over sim/ sources of an lcov file,
    counted from the DA/BRDA records (raw geninfo output has no LH/LF summary lines)."""
    lines, branches = {}, {}
    keep, path = False, ""
    with open(info_path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line.startswith("SF:"):
                path = os.path.relpath(line[3:], ROOT)
                keep = path.startswith("sim/") and "/tests/" not in path and not path.endswith("models.c")
            elif keep and line.startswith("DA:"):
                num, count = line[3:].split(",")[:2]
                key = (path, int(num))
                lines[key] = lines.get(key, 0) + (int(count) if count.isdigit() else 0)
            elif keep and line.startswith("BRDA:"):
                parts = line[5:].split(",")
                key = (path, *parts[:3])
                taken = parts[3] if len(parts) > 3 else "-"
                branches[key] = branches.get(key, 0) + (int(taken) if taken.isdigit() else 0)
    lh = sum(1 for v in lines.values() if v > 0)
    bh = sum(1 for v in branches.values() if v > 0)
    return lh, len(lines), bh, len(branches)


def c_component(name, info, html_dir, quick):
    if not os.path.exists(info):
        return {"name": name, "measured": False}
    lh, lf, bh, bf = lcov_totals(info)
    comp = {"name": name, "measured": True, "lines": round(100.0 * lh / lf, 2) if lf else 0.0,
            "linesHit": lh, "linesFound": lf, "source": os.path.relpath(info, ROOT)}
    if not quick and shutil.which("genhtml"):
        r = run(["genhtml", "-q", info, "--output-directory", html_dir])
        if r.returncode == 0:
            comp["html"] = os.path.relpath(os.path.join(html_dir, "index.html"), os.path.join(OUT, "html"))
    return comp


def capture_replay(build_dir):
    info = os.path.join(OUT, "replay.info")
    r = run(["lcov", "-q", "--capture", "--directory", build_dir, "--output-file", info,
             "--rc", "lcov_branch_coverage=0"])
    if r.returncode != 0:
        print(f"lcov capture of {build_dir} failed: {r.stderr.strip()[:300]}", file=sys.stderr)
        return None
    return info


def py_component(rel, quick):
    d = os.path.join(ROOT, rel)
    data = os.path.join(d, ".coverage")
    name = rel
    if not os.path.exists(data):
        return {"name": name, "measured": False}
    tag = rel.replace("/", "-")
    out_json = os.path.join(DATA, f"py-{tag}.json")
    rc = os.path.join(d, ".coveragerc")
    base = [PY, "-m", "coverage"]
    opts = [f"--data-file={data}"] + ([f"--rcfile={rc}"] if os.path.exists(rc) else [])
    r = run(base + ["json", "-q", "-o", out_json, "--fail-under=0"] + opts, cwd=d)
    if r.returncode != 0 or not os.path.exists(out_json):
        return {"name": name, "measured": False, "error": (r.stderr or r.stdout).strip()[:300]}
    totals = json.load(open(out_json))["totals"]
    comp = {"name": name, "measured": True,
            "lines": round(100.0 * totals["covered_lines"] / max(1, totals["num_statements"]), 2),
            "linesHit": totals["covered_lines"], "linesFound": totals["num_statements"],
            "branches": round(100.0 * totals.get("covered_branches", 0) / max(1, totals.get("num_branches", 0)), 2)
            if totals.get("num_branches") else 100.0,
            "source": os.path.relpath(data, ROOT)}
    if not quick:
        hd = os.path.join(OUT, "html", f"py-{tag}")
        if run(base + ["html", "-q", "-d", hd, "--fail-under=0"] + opts, cwd=d).returncode == 0:
            comp["html"] = f"py-{tag}/index.html"
    return comp


def ts_component(rel, quick):
    d = os.path.join(ROOT, rel)
    raw = os.path.join(d, "coverage", "tmp")
    name = rel
    if not os.path.isdir(raw) or not os.listdir(raw) or not os.path.isdir(os.path.join(d, "node_modules")):
        return {"name": name, "measured": False}
    tag = rel.replace("/", "-")
    out = os.path.join(DATA, f"ts-{tag}")
    reporters = ["--reporter=json-summary"] + ([] if quick else ["--reporter=html"])
    r = run(["npx", "--no-install", "c8", "report", "--no-check-coverage", *reporters, "--temp-directory", os.path.join("coverage", "tmp"), "--report-dir", out], cwd=d)
    summary = os.path.join(out, "coverage-summary.json")
    if r.returncode != 0 or not os.path.exists(summary):
        return {"name": name, "measured": False, "error": (r.stderr or r.stdout).strip()[:300]}
    total = json.load(open(summary))["total"]
    comp = {"name": name, "measured": True, "lines": float(total["lines"]["pct"]),
            "linesHit": total["lines"]["covered"], "linesFound": total["lines"]["total"],
            "branches": float(total["branches"]["pct"]), "source": os.path.relpath(raw, ROOT)}
    if not quick and os.path.exists(os.path.join(out, "index.html")):
        dest = os.path.join(OUT, "html", f"ts-{tag}")
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(out, dest)
        comp["html"] = f"ts-{tag}/index.html"
    return comp


def write_index(components):
    rows = []
    for c in components:
        lines = f"{c['lines']:.2f} %" if c.get("measured") else "not measured"
        br = f"{c['branches']:.2f} %" if c.get("measured") and "branches" in c else ""
        link = f"<a href=\"{html.escape(c['html'])}\">{html.escape(c['name'])}</a>" if c.get("html") else html.escape(c["name"])
        thr = c.get("threshold")
        verdict = c.get("verdict", "")
        rows.append(f"<tr class=\"{verdict}\"><td>{link}</td><td>{lines}</td><td>{br}</td>"
                    f"<td>{'' if thr is None else thr}</td><td>{verdict}</td></tr>")
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>awssim coverage</title><style>"
            "body{font:14px system-ui,sans-serif;margin:24px}td,th{padding:4px 10px;border-bottom:1px solid #eee}"
            "tr.below td{background:#fdecea}</style></head><body><h1>awssim merged coverage</h1>"
            "<table><tr><th>component</th><th>lines</th><th>branches</th><th>threshold (lines %)</th><th></th></tr>"
            + "".join(rows) + "</table></body></html>\n")
    os.makedirs(os.path.join(OUT, "html"), exist_ok=True)
    with open(os.path.join(OUT, "html", "index.html"), "w", encoding="utf-8") as fh:
        fh.write(page)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="enforce coverage/thresholds.json")
    ap.add_argument("--quick", action="store_true", help="no HTML")
    ap.add_argument("--replay-build", help="a coverage build directory the scenario replay ran with")
    args = ap.parse_args(argv)
    os.makedirs(DATA, exist_ok=True)
    components = [c_component("sim/ (C: unit + integration + scenarios)", os.path.join(OUT, "sim.info"),
                              os.path.join(OUT, "html", "sim"), args.quick)]
    if args.replay_build:
        info = capture_replay(args.replay_build)
        if info:
            components.append(c_component("sim/ (C: scenarios only)", info, os.path.join(OUT, "html", "sim-replay"),
                                          args.quick))
    for rel in ("pulumi/python", "mocks/python"):
        components.append(py_component(rel, args.quick))
    for rel in ("pulumi/typescript", "mocks/typescript"):
        components.append(ts_component(rel, args.quick))
    thresholds = json.load(open(os.path.join(OUT, "thresholds.json")))
    failed = False
    for c in components:
        key = c["name"].split(" ")[0] if not c["name"].startswith("sim/") else \
            ("sim-replay" if "scenarios only" in c["name"] else "sim")
        t = thresholds.get(key, {})
        c["threshold"] = t.get("lines")
        if not c.get("measured") or c["threshold"] is None:
            c["verdict"] = "not measured" if not c.get("measured") else "no threshold"
            continue
        below = c["lines"] + 1e-9 < t["lines"] or ("branches" in t and c.get("branches", 100) + 1e-9 < t["branches"])
        c["verdict"] = "below" if below else "ok"
        failed |= below
    lines = [f"{'component':44} {'lines':>9} {'branches':>9} {'threshold':>9}  verdict"]
    for c in components:
        lp = f"{c['lines']:.2f}%" if c.get("measured") else "-"
        bp = f"{c['branches']:.2f}%" if c.get("measured") and "branches" in c else "-"
        th = f"{c['threshold']}%" if c.get("threshold") is not None else "-"
        lines.append(f"{c['name'][:44]:44} {lp:>9} {bp:>9} {th:>9}  {c['verdict']}")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(OUT, "html", "summary.txt"), "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    with open(os.path.join(OUT, "html", "summary.json"), "w", encoding="utf-8") as fh:
        json.dump({"components": components, "thresholds": thresholds}, fh, indent=2)
        fh.write("\n")
    if not args.quick:
        write_index(components)
    if args.check and failed:
        print("coverage below threshold (coverage/thresholds.json)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
