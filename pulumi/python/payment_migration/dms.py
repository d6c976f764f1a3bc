"""AWS DMS: replication instance in the dedicated DMS subnets, endpoints and replication tasks.

Forward (enableForwardMigration): on-premises PostgreSQL (source) -> Aurora writer (target),
full-load-and-cdc, validation on. Rollback (enableRollback): Aurora (source) -> on-premises
(target), CDC only, started by the rollback path. Endpoints take their credentials from the
existing Secrets Manager entries through a role DMS assumes (no password in the stack); the
replication instance storage is encrypted with the region's KMS key and is not public.
"""

import json
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from .iam import policy_document, statement
from .providers import opts

SCHEMA = "payments"
DMS_VPC_MANAGED_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"


def table_mappings(tables, schema=SCHEMA):
    """DMS table-mapping JSON selecting exactly the payment tables."""
    rules = [
        {
            "rule-type": "selection",
            "rule-id": str(i + 1),
            "rule-name": f"include-{table}",
            "object-locator": {"schema-name": schema, "table-name": table},
            "rule-action": "include",
        }
        for i, table in enumerate(tables)
    ]
    return json.dumps({"rules": rules}, sort_keys=True)


def task_settings(validate):
    return json.dumps(
        {
            "TargetMetadata": {"TargetSchema": "", "SupportLobs": True, "LimitedSizeLobMode": True, "LobMaxSize": 32},
            "FullLoadSettings": {"TargetTablePrepMode": "DO_NOTHING", "CommitRate": 10000},
            "Logging": {"EnableLogging": True},
            "ValidationSettings": {"EnableValidation": validate, "ThreadCount": 5},
            "ChangeProcessingTuning": {"BatchApplyTimeoutMin": 1, "BatchApplyTimeoutMax": 30},
        },
        sort_keys=True,
    )


@dataclass
class Replication:
    instance: object
    subnet_group: object
    access_role: object
    endpoints: dict = field(default_factory=dict)
    forward_task: object = None
    reverse_task: object = None

    def task_arns(self):
        return [t.replication_task_arn for t in (self.forward_task, self.reverse_task) if t is not None]


def _access_role(c, region, secrets, key, provider, account_id):
    service = f"dms.{region}.amazonaws.com"
    role = aws.iam.Role(
        c.name("dms-secrets-access"),
        name=c.name("dms-secrets-access"),
        assume_role_policy=pulumi.Output.from_input(account_id).apply(
            lambda acct: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": service},
                            "Action": "sts:AssumeRole",
                            "Condition": {"StringEquals": {"aws:SourceAccount": acct}},
                        }
                    ],
                },
                sort_keys=True,
            )
        ),
        opts=opts(provider),
    )
    aws.iam.RolePolicy(
        c.name("dms-secrets-access-policy"),
        name=c.name("dms-secrets-access-policy"),
        role=role.name,
        policy=policy_document(
            [
                statement(
                    "ReadDatabaseSecrets",
                    ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                    [secrets.arns["aurora"], secrets.arns["onprem"]],
                ),
                statement("DecryptSecrets", ["kms:Decrypt"], [key.arn]),
            ]
        ),
        opts=opts(provider, parent=role),
    )
    return role


def _endpoint(c, name, endpoint_type, engine, secret_arn, role, key, provider, database):
    return aws.dms.Endpoint(
        c.name(name),
        endpoint_id=c.name(name),
        endpoint_type=endpoint_type,
        engine_name=engine,
        database_name=database,
        secrets_manager_arn=secret_arn,
        secrets_manager_access_role_arn=role.arn,
        ssl_mode="require",
        kms_key_arn=key.arn,
        opts=opts(provider),
    )


def build(c, nets, groups, keys, secrets, dbs, providers, account_id):
    region = c.primary_region
    provider = providers[region]
    key = keys[region].key
    depends = []
    if c.create_dms_vpc_role:
        # DMS requires this account-wide role, by this exact name, to manage its network interfaces.
        vpc_role = aws.iam.Role(
            c.name("dms-vpc-role"),
            name="dms-vpc-role",
            assume_role_policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"}, "Action": "sts:AssumeRole"}
                    ],
                },
                sort_keys=True,
            ),
            opts=opts(provider),
        )
        depends.append(
            aws.iam.RolePolicyAttachment(
                c.name("dms-vpc-role-managed"),
                role=vpc_role.name,
                policy_arn=DMS_VPC_MANAGED_POLICY,
                opts=opts(provider, parent=vpc_role),
            )
        )
    subnet_group = aws.dms.ReplicationSubnetGroup(
        c.name("dms-subnets"),
        replication_subnet_group_id=c.name("payment-dms-subnets"),
        replication_subnet_group_description="Dedicated DMS subnets of the migration VPC",
        subnet_ids=nets[region].migration.subnet_ids("dms"),
        opts=opts(provider, depends_on=depends),
    )
    instance = aws.dms.ReplicationInstance(
        c.name("payments-dms"),
        replication_instance_id=c.name("payments-dms"),
        replication_instance_class=c.dms_instance_class,
        allocated_storage=100,
        engine_version="3.5.3",
        multi_az=True,
        publicly_accessible=False,
        kms_key_arn=key.arn,
        replication_subnet_group_id=subnet_group.replication_subnet_group_id,
        vpc_security_group_ids=[groups[region].dms.id],
        apply_immediately=True,
        auto_minor_version_upgrade=True,
        opts=opts(provider),
    )
    role = _access_role(c, region, secrets, key, provider, account_id)
    rep = Replication(instance=instance, subnet_group=subnet_group, access_role=role)
    aurora, onprem = secrets.arns["aurora"], secrets.arns["onprem"]
    if c.enable_forward:
        src = _endpoint(c, "onprem-source", "source", "postgres", onprem, role, key, provider, c.on_prem_db_name)
        dst = _endpoint(c, "aurora-target", "target", "aurora-postgresql", aurora, role, key, provider, "payments")
        rep.endpoints.update({"onprem-source": src, "aurora-target": dst})
        rep.forward_task = aws.dms.ReplicationTask(
            c.name("forward-migration"),
            replication_task_id=c.name("payments-forward"),
            migration_type="full-load-and-cdc",
            replication_instance_arn=instance.replication_instance_arn,
            source_endpoint_arn=src.endpoint_arn,
            target_endpoint_arn=dst.endpoint_arn,
            table_mappings=table_mappings(c.tables),
            replication_task_settings=task_settings(validate=True),
            start_replication_task=False,
            opts=opts(provider, depends_on=[dbs.primary.instances[0]]),
        )
    if c.enable_rollback:
        src = _endpoint(c, "aurora-source", "source", "aurora-postgresql", aurora, role, key, provider, "payments")
        dst = _endpoint(c, "onprem-target", "target", "postgres", onprem, role, key, provider, c.on_prem_db_name)
        rep.endpoints.update({"aurora-source": src, "onprem-target": dst})
        rep.reverse_task = aws.dms.ReplicationTask(
            c.name("reverse-replication"),
            replication_task_id=c.name("payments-reverse"),
            migration_type="cdc",
            replication_instance_arn=instance.replication_instance_arn,
            source_endpoint_arn=src.endpoint_arn,
            target_endpoint_arn=dst.endpoint_arn,
            table_mappings=table_mappings(c.tables),
            replication_task_settings=task_settings(validate=False),
            start_replication_task=False,
            opts=opts(provider, depends_on=[dbs.primary.instances[0]]),
        )
    return rep
