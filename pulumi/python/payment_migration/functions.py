"""Lambda functions of the migration (code in ../lambda_src/payment_lambdas, tested separately).

Each function gets its own KMS-encrypted log group, its own role whose inline policy names only
the resources it uses, X-Ray tracing and a KMS-encrypted environment. Functions that talk to the
databases (validation, rotation) run in the private subnets of the production VPC.
"""

import os
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .iam import LAMBDA_VPC_ACTIONS, service_role, statement
from .providers import opts

LAMBDA_SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lambda_src")
RUNTIME = "python3.12"


@dataclass
class Fn:
    function: object
    role: object
    log_group: object

    @property
    def arn(self):
        return self.function.arn


def log_group_arn(log_group):
    return log_group.arn.apply(lambda a: f"{a}:*")


def make_function(c, base, module, env, statements, key, provider, account_id, vpc=None, timeout=60,
                  memory=256):
    name = c.name(base)
    log_group = aws.cloudwatch.LogGroup(
        c.name(f"{base}-logs"),
        name=f"/aws/lambda/{name}",
        retention_in_days=90,
        kms_key_id=key.arn,
        opts=opts(provider),
    )
    statements = [
        statement("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [log_group_arn(log_group)]),
        statement("Tracing", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]),
        statement("DecryptEnvironment", ["kms:Decrypt"], [key.arn]),
        *statements,
    ]
    if vpc is not None:
        statements.append(statement("VpcNetworkInterfaces", LAMBDA_VPC_ACTIONS, ["*"]))
    role = service_role(c, f"{base}-role", "lambda.amazonaws.com", statements, provider, account_id)
    args = dict(
        name=name,
        role=role.arn,
        runtime=RUNTIME,
        handler=f"payment_lambdas.{module}.handler",
        code=pulumi.FileArchive(LAMBDA_SRC),
        timeout=timeout,
        memory_size=memory,
        architectures=["arm64"],
        kms_key_arn=key.arn,
        environment={"variables": {"ENVIRONMENT_SUFFIX": c.environment_suffix, **env}},
        tracing_config={"mode": "Active"},
        logging_config={"log_format": "Text", "log_group": log_group.name},
    )
    if vpc is not None:
        args["vpc_config"] = vpc
        if c.db_driver_layer_arn:  # functions in the VPC are the ones that talk to PostgreSQL
            args["layers"] = [c.db_driver_layer_arn]
    function = aws.lambda_.Function(name, opts=opts(provider, depends_on=[log_group, role]), **args)
    return Fn(function=function, role=role, log_group=log_group)
