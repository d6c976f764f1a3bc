"""Aurora PostgreSQL: a global database with a writer + read replica in eu-central-1 and a
secondary cluster with read replicas in eu-central-2.

Both clusters are storage-encrypted with their region's KMS key, live in the private subnets of
the production VPC, accept Postgres only from the production and migration VPCs, force TLS
(rds.force_ssl) and export the postgresql log to CloudWatch. The primary cluster's master
credentials are read from the existing Secrets Manager entry (rotated by rotation.py).
"""

from dataclasses import dataclass

import pulumi_aws as aws

from .providers import opts

ENGINE = "aurora-postgresql"
INSTANCES_PER_CLUSTER = 2  # primary: writer + reader; secondary: two readers


@dataclass
class RegionDb:
    cluster: object
    instances: list
    subnet_group: object


@dataclass
class Databases:
    global_cluster: object
    regions: dict  # region -> RegionDb

    @property
    def primary(self):
        return next(iter(self.regions.values()))


def _parameter_group(c, region, provider):
    family = f"aurora-postgresql{c.aurora_engine_version.split('.')[0]}"
    return aws.rds.ClusterParameterGroup(
        c.name(f"aurora-params-{region}"),
        name=c.name(f"payment-aurora-{region}"),
        family=family,
        description="Payment Aurora: TLS only, logical replication for DMS CDC",
        parameters=[
            {"name": "rds.force_ssl", "value": "1"},
            {"name": "rds.logical_replication", "value": "1", "apply_method": "pending-reboot"},
        ],
        opts=opts(provider),
    )


def build(c, nets, groups, keys, secrets, providers):
    primary_region = c.primary_region
    global_cluster = aws.rds.GlobalCluster(
        c.name("payments-global"),
        global_cluster_identifier=c.name("payments-global"),
        engine=ENGINE,
        engine_version=c.aurora_engine_version,
        database_name="payments",
        storage_encrypted=True,
        deletion_protection=False,
        force_destroy=True,
        opts=opts(providers[primary_region]),
    )
    regions = {}
    previous_instances = []
    for region in c.regions:
        provider = providers[region]
        net = nets[region].production
        subnet_group = aws.rds.SubnetGroup(
            c.name(f"aurora-subnets-{region}"),
            name=c.name(f"payment-aurora-{region}"),
            subnet_ids=net.subnet_ids("private"),
            description="Private database subnets",
            opts=opts(provider),
        )
        params = _parameter_group(c, region, provider)
        is_primary = region == primary_region
        cluster_args = dict(
            cluster_identifier=c.name(f"payments-{region}"),
            engine=ENGINE,
            engine_version=c.aurora_engine_version,
            global_cluster_identifier=global_cluster.id,
            db_subnet_group_name=subnet_group.name,
            db_cluster_parameter_group_name=params.name,
            vpc_security_group_ids=[groups[region].database.id],
            storage_encrypted=True,
            kms_key_id=keys[region].key.arn,
            iam_database_authentication_enabled=True,
            enabled_cloudwatch_logs_exports=["postgresql"],
            backup_retention_period=7,
            preferred_backup_window="02:00-03:00",
            copy_tags_to_snapshot=True,
            deletion_protection=False,
            skip_final_snapshot=True,
        )
        if is_primary:
            cluster_args.update(
                database_name="payments",
                master_username=secrets.aurora_username,
                master_password=secrets.aurora_password,
            )
        cluster = aws.rds.Cluster(
            c.name(f"payments-{region}"),
            opts=opts(provider, depends_on=previous_instances),
            **cluster_args,
        )
        instances = [
            aws.rds.ClusterInstance(
                c.name(f"payments-{region}-{i}"),
                identifier=c.name(f"payments-{region}-{i}"),
                cluster_identifier=cluster.id,
                instance_class=c.aurora_instance_class,
                engine=ENGINE,
                engine_version=c.aurora_engine_version,
                db_subnet_group_name=subnet_group.name,
                publicly_accessible=False,
                performance_insights_enabled=True,
                performance_insights_kms_key_id=keys[region].key.arn,
                auto_minor_version_upgrade=True,
                opts=opts(provider, parent=cluster),
            )
            for i in range(INSTANCES_PER_CLUSTER)
        ]
        regions[region] = RegionDb(cluster=cluster, instances=instances, subnet_group=subnet_group)
        previous_instances = instances  # the secondary joins once the primary is up
    return Databases(global_cluster=global_cluster, regions=regions)
