"""Composes the stack: each concern's module, wired in dependency order, and the stack outputs.

Outputs (flattened by the deploy tooling into cfn-outputs/flat-outputs.json):
  migrationStateMachineArn, apiGatewayEndpoint (+ payments/legacy/migrated route URLs),
  dashboardUrl, and what the scenarios and integration tests need (buckets, topics, DMS tasks,
  clusters, network ids per region, hosted zone, parameter prefix, flags).
"""

import pulumi
import pulumi_aws as aws

from . import (
    api as api_mod,
    config as config_mod,
    databases,
    dms,
    flowlogs,
    monitoring,
    network,
    notifications,
    orchestration,
    parameters,
    rotation,
    routing as routing_mod,
    secrets as secrets_mod,
    security,
    storage,
)
from .functions import make_function
from .iam import statement
from .providers import invoke_opts, make_providers


def _lambdas_before_api(c, secrets, keys, groups, nets, provider, account_id):
    key = keys[c.primary_region].key
    authorizer = make_function(
        c, "api-authorizer", "authorizer", {"API_SECRET_ARN": secrets.arns["api"]},
        [statement("ReadApiToken", ["secretsmanager:GetSecretValue"], [secrets.arns["api"]])],
        key, provider, account_id, timeout=10, memory=128,
    )
    vpc = {
        "subnet_ids": nets[c.primary_region].production.subnet_ids("private"),
        "security_group_ids": [groups[c.primary_region].lambdas.id],
    }
    rotator = make_function(
        c, "secret-rotation", "rotation", {},
        [
            statement("RotateMigrationSecrets",
                      ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue",
                       "secretsmanager:DescribeSecret", "secretsmanager:UpdateSecretVersionStage"],
                      secrets.all_arns()),
            statement("GeneratePasswords", ["secretsmanager:GetRandomPassword"], ["*"]),
        ],
        key, provider, account_id, vpc=vpc, timeout=120,
    )
    return authorizer, rotator, vpc


def build(c=None):
    c = c or config_mod.load()
    providers = make_providers(c)
    primary = providers[c.primary_region]
    identity = aws.get_caller_identity_output(opts=invoke_opts(primary))
    account_id = identity.account_id

    keys = security.build_keys(c, providers, account_id)
    nets = network.build(c, providers)
    flowlogs.build(c, nets, keys, providers, account_id)
    groups = security.build_security_groups(c, nets, providers)
    secrets = secrets_mod.lookup(c, primary)
    key = keys[c.primary_region].key
    buckets = storage.build(c, account_id, key, primary)
    topics = notifications.build(c, key, primary)
    dbs = databases.build(c, nets, groups, keys, secrets, providers)
    rep = dms.build(c, nets, groups, keys, secrets, dbs, providers, account_id)

    authorizer, rotator, vpc = _lambdas_before_api(c, secrets, keys, groups, nets, primary, account_id)
    api = api_mod.build(c, authorizer, c.new_system_endpoint, primary)
    routing = routing_mod.build(c, nets, dbs, api, primary)

    source_secret, target_secret = secrets.arns["onprem"], secrets.arns["aurora"]
    task = rep.forward_task or rep.reverse_task
    if not c.enable_forward:  # validating the reverse direction: Aurora is the source
        source_secret, target_secret = target_secret, source_secret
    fns = {
        "validation": make_function(
            c, "data-validation", "validation",
            {
                "SOURCE_SECRET_ARN": source_secret,
                "TARGET_SECRET_ARN": target_secret,
                "REPLICATION_TASK_ARN": task.replication_task_arn,
                "REPLICATION_INSTANCE_ID": rep.instance.replication_instance_id,
                "CHECKPOINT_BUCKET": buckets["checkpoints"].bucket,
                "TABLES": ",".join(c.tables),
                "LAG_THRESHOLD_SECONDS": str(c.replication_lag_threshold_seconds),
                "METRIC_NAMESPACE": monitoring.namespace(c),
            },
            [
                statement("ReadDatabaseSecrets", ["secretsmanager:GetSecretValue"], [source_secret, target_secret]),
                statement("DescribeReplication", ["dms:DescribeReplicationTasks"], [task.replication_task_arn]),
                statement("ReadReplicationMetrics", ["cloudwatch:GetMetricStatistics"], ["*"]),
                statement("PublishValidationMetrics", ["cloudwatch:PutMetricData"], ["*"],
                          {"StringEquals": {"cloudwatch:namespace": monitoring.namespace(c)}}),
                statement("WriteValidationReports", ["s3:PutObject"],
                          [buckets["checkpoints"].arn.apply(lambda a: f"{a}/validation/*")]),
                statement("EncryptReports", ["kms:GenerateDataKey"], [key.arn]),
            ],
            key, primary, account_id, vpc=vpc, timeout=300, memory=512,
        ),
        "authorizer": authorizer,
        "rotation": rotator,
    }
    if c.enable_rollback:
        zone_arn = routing.zone.zone_id.apply(lambda z: f"arn:aws:route53:::hostedzone/{z}")
        dms_statements = [statement("ReverseReplication",
                                    ["dms:StartReplicationTask", "dms:DescribeReplicationTasks"],
                                    [rep.reverse_task.replication_task_arn])]
        if c.enable_forward:
            dms_statements.append(statement("StopForwardReplication",
                                            ["dms:StopReplicationTask", "dms:DescribeReplicationTasks"],
                                            [rep.forward_task.replication_task_arn]))
        fns["rollback"] = make_function(
            c, "migration-rollback", "rollback",
            {
                "FORWARD_TASK_ARN": rep.forward_task.replication_task_arn if c.enable_forward else "",
                "REVERSE_TASK_ARN": rep.reverse_task.replication_task_arn,
                "HOSTED_ZONE_ID": routing.zone.zone_id,
                "API_RECORD_NAME": routing.api_record_name,
                "LEGACY_TARGET": routing.legacy_target,
                "MIGRATED_TARGET": routing.migrated_target,
                "REST_API_ID": api.rest_api.id,
                "STAGE_NAME": api_mod.STAGE,
                "ROLLBACK_BUCKET": buckets["rollback"].bucket,
                "PHASE_PARAMETER": parameters.phase_parameter_name(c),
                "TOPIC_ARN": topics["alerts"].arn,
            },
            [
                *dms_statements,
                statement("RestoreDnsRouting", ["route53:ChangeResourceRecordSets"], [zone_arn]),
                statement("RestoreApiRouting", ["apigateway:PATCH"], [api_mod.stage_arn(c, api)]),
                statement("WriteRollbackCheckpoint", ["s3:PutObject"],
                          [buckets["rollback"].arn.apply(lambda a: f"{a}/rollback/*")]),
                statement("RecordPhase", ["ssm:PutParameter"], [parameters.phase_parameter_arn(c, account_id)]),
                statement("NotifyOperations", ["sns:Publish"], [topics["alerts"].arn]),
                statement("UseDataKey", ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"], [key.arn]),
            ],
            key, primary, account_id, timeout=120,
        )
    rotation.build(c, rotator, secrets, primary)
    machine, sfn_logs = orchestration.build(c, fns, rep, routing, topics, key, primary, account_id)
    monitoring.build_filters(c, fns, sfn_logs, primary)
    monitoring.build_alarms(c, rep, dbs, api, machine, topics, primary)
    dashboard, dashboard_url = monitoring.build_dashboard(c, rep, dbs, api, machine, fns, primary)

    values = parameters.base_values(c)
    values.update({
        "database/writer-endpoint": dbs.primary.cluster.endpoint,
        "database/reader-endpoint": dbs.primary.cluster.reader_endpoint,
        "database/secondary-reader-endpoint": dbs.regions[c.secondary_region].cluster.reader_endpoint,
        "storage/checkpoint-bucket": buckets["checkpoints"].bucket,
        "notifications/alerts-topic-arn": topics["alerts"].arn,
        "api/endpoint": api.endpoint,
        "orchestration/state-machine-arn": machine.arn,
    })
    if c.enable_forward:
        values["dms/forward-task-arn"] = rep.forward_task.replication_task_arn
    if c.enable_rollback:
        values["dms/reverse-task-arn"] = rep.reverse_task.replication_task_arn
        values["storage/rollback-bucket"] = buckets["rollback"].bucket
    parameters.build(c, values, key, primary)

    outputs = {
        "environmentSuffix": c.environment_suffix,
        "migrationDirection": c.direction,
        "forwardMigrationEnabled": c.enable_forward,
        "rollbackEnabled": c.enable_rollback,
        "primaryRegion": c.primary_region,
        "secondaryRegion": c.secondary_region,
        "migrationStateMachineArn": machine.arn,
        "migrationStateMachineName": machine.name,
        "apiGatewayEndpoint": api.endpoint,
        "apiGatewayPaymentsUrl": api.route_url("payments"),
        "apiGatewayLegacyUrl": api.route_url("legacy"),
        "apiGatewayMigratedUrl": api.route_url("migrated"),
        "restApiId": api.rest_api.id,
        "dashboardUrl": dashboard_url,
        "dashboardName": dashboard.dashboard_name,
        "checkpointBucketName": buckets["checkpoints"].bucket,
        "alertsTopicArn": topics["alerts"].arn,
        "statusTopicArn": topics["status"].arn,
        "replicationInstanceArn": rep.instance.replication_instance_arn,
        "hostedZoneId": routing.zone.zone_id,
        "apiRecordName": routing.api_record_name,
        "parameterPrefix": c.parameter_prefix,
        "globalClusterId": dbs.global_cluster.id,
        "validationFunctionName": fns["validation"].function.name,
        "authorizerFunctionName": authorizer.function.name,
        "rotationFunctionName": rotator.function.name,
        "migrationRoleArns": pulumi.Output.all(*[r.role.arn for r in fns.values()]),
    }
    for region in c.regions:
        tag = "Primary" if region == c.primary_region else "Secondary"
        n = nets[region]
        outputs[f"productionVpcId{tag}"] = n.production.vpc.id
        outputs[f"migrationVpcId{tag}"] = n.migration.vpc.id
        outputs[f"transitGatewayId{tag}"] = n.transit_gateway.id
        outputs[f"vpnConnectionId{tag}"] = n.vpn_connection.id
        outputs[f"auroraClusterEndpoint{tag}"] = dbs.regions[region].cluster.endpoint
        outputs[f"auroraReaderEndpoint{tag}"] = dbs.regions[region].cluster.reader_endpoint
    if c.enable_forward:
        outputs["forwardReplicationTaskArn"] = rep.forward_task.replication_task_arn
    if c.enable_rollback:
        outputs["reverseReplicationTaskArn"] = rep.reverse_task.replication_task_arn
        outputs["rollbackBucketName"] = buckets["rollback"].bucket
        outputs["rollbackFunctionName"] = fns["rollback"].function.name
    for name, value in outputs.items():
        pulumi.export(name, value)
    return outputs
