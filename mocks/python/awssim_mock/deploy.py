"""Deploy a Pulumi program in mock mode against awssim and write its flat outputs.

  python -m awssim_mock.deploy --program pulumi/python --endpoint http://127.0.0.1:PORT \
      --stack pr42 --config environmentSuffix=pr42 --config enableRollback=false \
      --secret payment-migration/pr42/aurora-master='{"username":"u","password":"p"}' \
      --outputs cfn-outputs/flat-outputs.json

--preview true runs a preview: nothing is created in awssim. --secret NAME=VALUE makes an existing Secrets Manager entry visible to the program's getSecret
lookups (repeatable). Exit status 0 on success; on failure the AWS error is printed and the exit
status is 1 (no outputs file is written).

With AWSSIM_PY_DEPLOY_SERVER set (awssim replay does), the deploy runs in a fork of that warm
server (forkserver.py) when one listens there, and in this process otherwise.
"""

import argparse
import json
import os
import sys

from . import forkserver


def _pairs(items, what):
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SystemExit(f"--{what} expects KEY=VALUE, got {item!r}")
        out[key] = value
    return out


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="python -m awssim_mock.deploy", description=__doc__.splitlines()[0])
    ap.add_argument("--program", required=True, help="directory holding Pulumi.yaml and __main__.py")
    ap.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL"), help="awssim URL")
    ap.add_argument("--stack", default="dev")
    ap.add_argument("--config", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--secret", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--region", default="eu-central-1")
    ap.add_argument("--account", default=None,
                    help="identity of the default provider (awssim access key = account id; default: the "
                         "account of AWS_ACCESS_KEY_ID, found with STS GetCallerIdentity)")
    ap.add_argument("--outputs", default="cfn-outputs/flat-outputs.json")
    ap.add_argument("--preview", choices=("true", "false"), default="false",
                    help="preview: nothing is created in awssim; unknown outputs are written as null")
    args = ap.parse_args(argv)
    if not args.endpoint:
        ap.error("--endpoint (or AWS_ENDPOINT_URL) is required")
    return args


def main(argv=None):
    from .bridge import AwssimMocks  # imported here: a deploy handed to the fork server needs neither
    from .runner import flatten, run_program

    args = parse_args(sys.argv[1:] if argv is None else argv)
    preview = args.preview == "true"
    mocks = AwssimMocks(endpoint=args.endpoint, region=args.region, account=args.account, preview=preview)
    for name, value in _pairs(args.secret, "secret").items():
        mocks.add_secret(name, value)
    try:
        outputs = run_program(args.program, mocks, stack=args.stack, config=_pairs(args.config, "config"),
                              preview=preview)
    except Exception as exc:  # noqa: BLE001 - reported to the caller as the deploy error
        print(f"deploy failed: {exc}", file=sys.stderr)
        return 1
    flat = flatten(outputs)
    os.makedirs(os.path.dirname(os.path.abspath(args.outputs)), exist_ok=True)
    with open(args.outputs, "w", encoding="utf-8") as fh:
        json.dump(flat, fh, indent=2, sort_keys=True)
        fh.write("\n")
    print(f"deployed {len(mocks.created)} resources; {len(flat)} outputs written to {args.outputs}")
    return 0


if __name__ == "__main__":
    code = forkserver.delegate(sys.argv[1:])
    sys.exit(main() if code is None else code)
