"""Least-privilege IAM helpers: service roles whose inline policies name the resources they touch.

Trust policies are rendered with aws.iam.get_policy_document (as the provider renders them) and
carry aws:SourceAccount conditions; permission policies are built from statements whose resources
are ARNs of resources of this stack. The only wildcard resources allowed are the actions AWS does
not support resource-level permissions for (WILDCARD_ONLY_ACTIONS), and those carry conditions
where AWS offers one.
"""

import json

import pulumi
import pulumi_aws as aws

from .providers import invoke_opts, opts

# Actions that AWS only authorises on Resource "*".
WILDCARD_ONLY_ACTIONS = frozenset(
    {
        "cloudwatch:PutMetricData",
        "cloudwatch:GetMetricStatistics",
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "secretsmanager:GetRandomPassword",
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
    }
)

LAMBDA_VPC_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
]


def statement(sid, actions, resources, condition=None):
    """One Allow statement; resources may contain Outputs."""
    st = {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    if condition:
        st["Condition"] = condition
    return st


def policy_document(statements):
    """Output[str] JSON policy document from statements that may hold Outputs."""
    return pulumi.Output.from_input(
        {"Version": "2012-10-17", "Statement": statements}
    ).apply(lambda doc: json.dumps(doc, sort_keys=True))


def trust_policy(service, account_id, provider):
    """Trust policy for an AWS service principal, confined to this account (confused deputy)."""
    doc = aws.iam.get_policy_document_output(
        statements=[
            aws.iam.GetPolicyDocumentStatementArgs(
                effect="Allow",
                actions=["sts:AssumeRole"],
                principals=[
                    aws.iam.GetPolicyDocumentStatementPrincipalArgs(
                        type="Service", identifiers=[service]
                    )
                ],
                conditions=[
                    aws.iam.GetPolicyDocumentStatementConditionArgs(
                        test="StringEquals", variable="aws:SourceAccount", values=[account_id]
                    )
                ],
            )
        ],
        opts=invoke_opts(provider),
    )
    return doc.json


def service_role(c, base, service, statements, provider, account_id):
    """IAM role for `service` with one inline least-privilege policy named after the role."""
    role = aws.iam.Role(
        c.name(base),
        name=c.name(base),
        description=f"{base} ({c.environment_suffix}) - least privilege",
        assume_role_policy=trust_policy(service, account_id, provider),
        max_session_duration=3600,
        opts=opts(provider),
    )
    aws.iam.RolePolicy(
        c.name(f"{base}-policy"),
        name=c.name(f"{base}-policy"),
        role=role.name,
        policy=policy_document(statements),
        opts=opts(provider, parent=role),
    )
    return role
