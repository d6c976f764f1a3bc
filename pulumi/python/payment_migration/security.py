"""Encryption keys (one customer-managed KMS key per region) and security groups.

Every data store of the stack (Aurora, S3, SNS, CloudWatch Logs, Parameter Store, DMS, Lambda
environment) is encrypted with the key of its region; keys rotate yearly. The key policy keeps
the account root as administrator (so IAM policies can grant use) and lets only the services that
encrypt on the stack's behalf use it: CloudWatch Logs for this stack's log groups, CloudWatch
alarms publishing to the encrypted SNS topics.
"""

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .providers import opts


def key_policy(c, region, account_id):
    def render(acct):
        return json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AccountAdministration",
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{acct}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    },
                    {
                        "Sid": "CloudWatchLogsForThisStack",
                        "Effect": "Allow",
                        "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                        "Resource": "*",
                        "Condition": {
                            "ArnLike": {
                                "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{acct}:log-group:*{c.environment_suffix}*"
                            }
                        },
                    },
                    {
                        "Sid": "CloudWatchAlarmsToEncryptedTopics",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudwatch.amazonaws.com"},
                        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                        "Resource": "*",
                        "Condition": {"StringEquals": {"aws:SourceAccount": acct}},
                    },
                ],
            },
            sort_keys=True,
        )

    return pulumi.Output.from_input(account_id).apply(render)


@dataclass
class RegionKeys:
    key: object
    alias: object


def build_keys(c, providers, account_id):
    keys = {}
    for region, provider in providers.items():
        key = aws.kms.Key(
            c.name(f"data-key-{region}"),
            description=f"payment migration data key {region} ({c.environment_suffix})",
            enable_key_rotation=True,
            deletion_window_in_days=7,
            policy=key_policy(c, region, account_id),
            opts=opts(provider),
        )
        alias = aws.kms.Alias(
            c.name(f"data-key-alias-{region}"),
            name=f"alias/payment-migration-{c.environment_suffix}",
            target_key_id=key.key_id,
            opts=opts(provider, parent=key),
        )
        keys[region] = RegionKeys(key=key, alias=alias)
    return keys


@dataclass
class RegionGroups:
    database: object
    lambdas: object
    dms: object


def _sg(c, name, vpc_id, description, ingress, egress, provider):
    return aws.ec2.SecurityGroup(
        c.name(name),
        name=c.name(name),
        description=description,
        vpc_id=vpc_id,
        ingress=ingress,
        egress=egress,
        tags={"Name": c.name(name)},
        opts=opts(provider),
    )


def _rule(port, cidrs, description, protocol="tcp"):
    return {"protocol": protocol, "from_port": port, "to_port": port, "cidr_blocks": list(cidrs), "description": description}


def build_security_groups(c, nets, providers):
    groups = {}
    for i, (region, net) in enumerate(nets.items()):
        provider = providers[region]
        prod, mig = net.production, net.migration
        lambdas = _sg(
            c, f"lambda-sg-{region}", prod.vpc.id, "Migration Lambdas: Postgres and HTTPS egress only",
            [],
            [_rule(5432, [prod.cidr, c.on_prem_cidr], "Postgres to Aurora and on-premises"),
             _rule(443, ["0.0.0.0/0"], "HTTPS to AWS APIs via NAT")],
            provider,
        )
        database = _sg(
            c, f"aurora-sg-{region}", prod.vpc.id, "Aurora PostgreSQL: Postgres from app, Lambda and DMS subnets",
            [_rule(5432, [prod.cidr], "Production VPC (Lambda, applications)"),
             _rule(5432, [mig.cidr], "Migration VPC (DMS) via Transit Gateway")],
            [_rule(5432, [prod.cidr], "Replication within the VPC")],
            provider,
        )
        dms = _sg(
            c, f"dms-sg-{region}", mig.vpc.id, "DMS replication instance: Postgres to Aurora and on-premises",
            [],
            [_rule(5432, [prod.cidr, c.on_prem_cidr], "Postgres to Aurora and on-premises"),
             _rule(443, ["0.0.0.0/0"], "HTTPS to Secrets Manager and KMS")],
            provider,
        )
        groups[region] = RegionGroups(database=database, lambdas=lambdas, dms=dms)
    return groups
