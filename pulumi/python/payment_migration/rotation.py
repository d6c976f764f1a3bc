"""Automatic rotation for every credential: the existing Secrets Manager entries of the Aurora
master user, the on-premises database user and the API authorizer token.

One rotation Lambda (payment_lambdas.rotation) in the production VPC handles all of them; Secrets
Manager may invoke it only for these secrets (source ARN per permission).
"""

import pulumi_aws as aws

from .providers import opts
from .secrets import SECRET_KEYS


def build(c, rotation_fn, secrets, provider):
    rotations = {}
    for key in SECRET_KEYS:
        arn = secrets.arns[key]
        permission = aws.lambda_.Permission(
            c.name(f"rotation-invoke-{key}"),
            action="lambda:InvokeFunction",
            function=rotation_fn.function.name,
            principal="secretsmanager.amazonaws.com",
            source_arn=arn,
            opts=opts(provider),
        )
        rotations[key] = aws.secretsmanager.SecretRotation(
            c.name(f"rotation-{key}"),
            secret_id=arn,
            rotation_lambda_arn=rotation_fn.arn,
            rotation_rules={"automatically_after_days": c.rotation_days},
            rotate_immediately=False,
            opts=opts(provider, depends_on=[permission]),
        )
    return rotations
