"""Assume a role through awssim and keep the session, or use the kept session (scenario helper).

  session.py assume ROLE_ARN   AssumeRole (1 h) as the scenario account's root, save the credentials
                               in $AWSSIM_WORKDIR/session.json, print "caller <arn>"
  session.py use               call sts:GetCallerIdentity with the saved credentials and print
                               "caller <arn>" or "error <AWS error code>"
"""
import json
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

URL = os.environ["AWS_ENDPOINT_URL"]
STATE = os.path.join(os.environ.get("AWSSIM_WORKDIR", "."), "session.json")
CFG = Config(retries={"max_attempts": 1})


def sts(creds=None):
    kw = dict(aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key="test")
    if creds:
        kw = dict(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                  aws_session_token=creds["SessionToken"])
    return boto3.client("sts", endpoint_url=URL, region_name="us-east-1", config=CFG, **kw)


def main(argv):
    if argv[:1] == ["assume"] and len(argv) == 2:
        r = sts().assume_role(RoleArn=argv[1], RoleSessionName="scenario", DurationSeconds=3600)
        creds = {k: r["Credentials"][k] for k in ("AccessKeyId", "SecretAccessKey", "SessionToken")}
        with open(STATE, "w", encoding="utf-8") as fh:
            json.dump(creds, fh)
    elif argv != ["use"]:
        print(__doc__, file=sys.stderr)
        return 2
    with open(STATE, encoding="utf-8") as fh:
        creds = json.load(fh)
    try:
        print("caller", sts(creds).get_caller_identity()["Arn"])
    except ClientError as exc:
        print("error", exc.response["Error"]["Code"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
