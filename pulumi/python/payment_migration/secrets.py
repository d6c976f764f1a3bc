"""Credentials come from EXISTING Secrets Manager entries (never created by this stack).

Three secrets are looked up in the primary region: the Aurora master user, the on-premises
payment database user (DMS source / rollback target) and the API authorizer token. Their ARNs
feed DMS endpoints and least-privilege policies; the Aurora master user/password are read from
the secret's current version and kept as Pulumi secrets. Rotation for all of them is configured
in rotation.py once the rotation Lambda exists.
"""

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .providers import invoke_opts

SECRET_KEYS = ("aurora", "onprem", "api")


@dataclass
class ExistingSecrets:
    arns: dict  # key -> Output[str]
    aurora_username: pulumi.Output
    aurora_password: pulumi.Output

    def all_arns(self):
        return [self.arns[k] for k in SECRET_KEYS]


def lookup(c, provider):
    found = {
        key: aws.secretsmanager.get_secret_output(name=c.secret_name(key), opts=invoke_opts(provider))
        for key in SECRET_KEYS
    }
    version = aws.secretsmanager.get_secret_version_output(
        secret_id=found["aurora"].arn, opts=invoke_opts(provider)
    )
    creds = pulumi.Output.secret(version.secret_string).apply(json.loads)
    return ExistingSecrets(
        arns={k: v.arn for k, v in found.items()},
        aurora_username=creds.apply(lambda d: d["username"]),
        aurora_password=pulumi.Output.secret(creds.apply(lambda d: d["password"])),
    )
