"""VPC flow logs (PCI-DSS requirement 10: network activity is logged) for every VPC.

Each VPC sends ALL traffic records to its own KMS-encrypted CloudWatch log group (one year
retention); one role per region, trusted by vpc-flow-logs.amazonaws.com for this account only,
may write only to that region's flow-log groups.
"""

import pulumi_aws as aws

from .functions import log_group_arn
from .iam import service_role, statement
from .providers import opts


def build(c, nets, keys, providers, account_id):
    logs = {}
    for region, net in nets.items():
        provider = providers[region]
        groups = {
            vpc.kind: aws.cloudwatch.LogGroup(
                c.name(f"flow-logs-{vpc.kind}-{region}"),
                name=f"/payment-migration/{c.environment_suffix}/vpc-flow/{vpc.kind}-{region}",
                retention_in_days=365,
                kms_key_id=keys[region].key.arn,
                opts=opts(provider),
            )
            for vpc in (net.production, net.migration)
        }
        role = service_role(
            c, f"vpc-flow-logs-{region}", "vpc-flow-logs.amazonaws.com",
            [
                statement("WriteFlowLogs", ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                          [log_group_arn(g) for g in groups.values()]),
                statement("FindLogGroups", ["logs:DescribeLogGroups"], ["*"]),
            ],
            provider, account_id,
        )
        for vpc in (net.production, net.migration):
            logs[(region, vpc.kind)] = aws.ec2.FlowLog(
                c.name(f"flow-log-{vpc.kind}-{region}"),
                vpc_id=vpc.vpc.id,
                traffic_type="ALL",
                log_destination_type="cloud-watch-logs",
                log_destination=groups[vpc.kind].arn,
                iam_role_arn=role.arn,
                max_aggregation_interval=60,
                tags={"Name": c.name(f"flow-log-{vpc.kind}-{region}")},
                opts=opts(provider, parent=vpc.vpc),
            )
    return logs
