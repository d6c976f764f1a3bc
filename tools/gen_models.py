#!/usr/bin/env python3
"""Regenerate sim/models/*.json from the pinned botocore (requirements.txt).

The models are botocore's service-2.json with documentation stripped, minified, in the
model's own member order (AWS serialises in that order). awssim embeds them at build time
(tools/embed_models.py) and drives validation and serialisation from them.
"""
import glob, gzip, json, os, sys
import botocore

SERVICES = ["sts", "iam", "stepfunctions", "route53", "dms", "ram"]
DROP = {"documentation", "documentationUrl", "examples", "deprecatedMessage"}


def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in DROP}
    if isinstance(o, list):
        return [strip(x) for x in o]
    return o


def main(out_dir):
    base = os.path.join(os.path.dirname(botocore.__file__), "data")
    for s in SERVICES:
        path = sorted(glob.glob(f"{base}/{s}/*/service-2.json*"))[-1]
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt") as f:
            model = strip(json.load(f))
        with open(os.path.join(out_dir, f"{s}.json"), "w") as f:
            f.write(json.dumps(model, separators=(",", ":")))
    print(f"botocore {botocore.__version__}: wrote {len(SERVICES)} models to {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sim/models")
