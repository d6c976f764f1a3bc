"""Step Functions state machine controlling the migration phases, with automated rollback.

Forward path (enableForwardMigration):
  PreChecks -> StartFullLoad -> (WaitForFullLoad <-> DescribeFullLoad) -> CheckCdcLag
  -> (lag > threshold: WaitForCdcCatchUp, at most maxLagChecks times) -> ValidateData
  -> ShiftTraffic (Route 53 weights to newSystemTrafficPercent) -> VerifyAfterShift
  -> Cutover (100 % new) -> NotifyCutover -> MigrationComplete
Every failure (task error, failed pre-check, lag never caught up, inconsistent data) goes to
Rollback when enableRollback is set (-> MigrationRolledBack), else to NotifyFailure.
Rollback path (enableRollback): Rollback (Lambda: stop forward CDC, start reverse CDC, restore
routing, checkpoint, notify). With both flags the execution input {"direction": "rollback"}
selects the rollback path directly.
"""

import json

import pulumi
import pulumi_aws as aws

from .iam import service_role, statement
from .providers import opts
from .routing import weights

LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke"
SNS_PUBLISH = "arn:aws:states:::sns:publish"
DMS_SDK = "arn:aws:states:::aws-sdk:databasemigration:"
R53_CHANGE = "arn:aws:states:::aws-sdk:route53:changeResourceRecordSets"
LAMBDA_RETRY = [
    {
        "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException",
                        "Lambda.TooManyRequestsException"],
        "IntervalSeconds": 2,
        "MaxAttempts": 3,
        "BackoffRate": 2.0,
    }
]


def _catch(target):
    return [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": target}]


def _lambda(fn_arn, payload, selector, result_path, next_state, on_error):
    return {
        "Type": "Task",
        "Resource": LAMBDA_INVOKE,
        "Parameters": {"FunctionName": fn_arn, "Payload": payload},
        "ResultSelector": selector,
        "ResultPath": result_path,
        "Retry": LAMBDA_RETRY,
        "Catch": _catch(on_error),
        "Next": next_state,
    }


def _weights_change(p, percent, comment):
    legacy_w, migrated_w = weights(percent)
    changes = [
        {
            "Action": "UPSERT",
            "ResourceRecordSet": {
                "Name": p["record_name"], "Type": "CNAME", "SetIdentifier": ident, "Weight": weight, "TTL": 60,
                "ResourceRecords": [{"Value": target}],
            },
        }
        for ident, weight, target in (("legacy", legacy_w, p["legacy_target"]),
                                      ("migrated", migrated_w, p["migrated_target"]))
    ]
    return {"HostedZoneId": p["zone_id"], "ChangeBatch": {"Comment": comment, "Changes": changes}}


def _forward_states(p, fail):
    task = p["forward_task"]
    validation = p["validation_fn"]
    return {
        "PreChecks": _lambda(validation, {"mode": "prechecks"},
                             {"ok.$": "$.Payload.ok", "problems.$": "$.Payload.problems"},
                             "$.prechecks", "PreChecksPassed", fail),
        "PreChecksPassed": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.prechecks.ok", "BooleanEquals": True, "Next": "StartFullLoad"}],
            "Default": fail,
        },
        "StartFullLoad": {
            "Type": "Task",
            "Resource": DMS_SDK + "startReplicationTask",
            "Parameters": {"ReplicationTaskArn": task, "StartReplicationTaskType": "start-replication"},
            "ResultPath": None,
            "Catch": _catch(fail),
            "Next": "WaitForFullLoad",
        },
        "WaitForFullLoad": {"Type": "Wait", "Seconds": 60, "Next": "DescribeFullLoad"},
        "DescribeFullLoad": {
            "Type": "Task",
            "Resource": DMS_SDK + "describeReplicationTasks",
            "Parameters": {"Filters": [{"Name": "replication-task-arn", "Values": [task]}]},
            "ResultSelector": {
                "status.$": "$.ReplicationTasks[0].Status",
                "fullLoadPercent.$": "$.ReplicationTasks[0].ReplicationTaskStats.FullLoadProgressPercent",
            },
            "ResultPath": "$.fullLoad",
            "Catch": _catch(fail),
            "Next": "FullLoadComplete",
        },
        "FullLoadComplete": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.fullLoad.status", "StringEquals": "failed", "Next": fail},
                {"Variable": "$.fullLoad.status", "StringEquals": "stopped", "Next": fail},
                {
                    "And": [
                        {"Variable": "$.fullLoad.status", "StringEquals": "running"},
                        {"Variable": "$.fullLoad.fullLoadPercent", "NumericGreaterThanEquals": 100},
                    ],
                    "Next": "InitLagChecks",
                },
            ],
            "Default": "WaitForFullLoad",
        },
        "InitLagChecks": {"Type": "Pass", "Result": {"count": 0}, "ResultPath": "$.lagChecks",
                          "Next": "CheckCdcLag"},
        "CheckCdcLag": _lambda(validation, {"mode": "lag"},
                               {"lagSeconds.$": "$.Payload.lagSeconds", "withinThreshold.$": "$.Payload.withinThreshold"},
                               "$.lag", "LagWithinThreshold", fail),
        "LagWithinThreshold": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.lag.withinThreshold", "BooleanEquals": True, "Next": "ValidateData"},
                {"Variable": "$.lagChecks.count", "NumericGreaterThanEquals": p["max_lag_checks"], "Next": fail},
            ],
            "Default": "CountLagCheck",
        },
        "CountLagCheck": {"Type": "Pass", "Parameters": {"count.$": "States.MathAdd($.lagChecks.count, 1)"},
                          "ResultPath": "$.lagChecks", "Next": "WaitForCdcCatchUp"},
        "WaitForCdcCatchUp": {"Type": "Wait", "Seconds": 30, "Next": "CheckCdcLag"},
        "ValidateData": _lambda(validation, {"mode": "consistency", "executionName.$": "$$.Execution.Name"},
                                {"consistent.$": "$.Payload.consistent", "mismatches.$": "$.Payload.mismatches"},
                                "$.validation", "DataConsistent", fail),
        "DataConsistent": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.validation.consistent", "BooleanEquals": True, "Next": "ShiftTraffic"}],
            "Default": fail,
        },
        "ShiftTraffic": {
            "Type": "Task",
            "Resource": R53_CHANGE,
            "Parameters": _weights_change(p, p["shift_percent"], "shift share of traffic to the new system"),
            "ResultPath": None,
            "Catch": _catch(fail),
            "Next": "VerifyAfterShift",
        },
        "VerifyAfterShift": _lambda(validation, {"mode": "consistency", "executionName.$": "$$.Execution.Name"},
                                    {"consistent.$": "$.Payload.consistent", "mismatches.$": "$.Payload.mismatches"},
                                    "$.validation", "StillConsistent", fail),
        "StillConsistent": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.validation.consistent", "BooleanEquals": True, "Next": "Cutover"}],
            "Default": fail,
        },
        "Cutover": {
            "Type": "Task",
            "Resource": R53_CHANGE,
            "Parameters": _weights_change(p, 100, "cutover: all traffic to the new system"),
            "ResultPath": None,
            "Catch": _catch(fail),
            "Next": "NotifyCutover",
        },
        "NotifyCutover": {
            "Type": "Task",
            "Resource": SNS_PUBLISH,
            "Parameters": {
                "TopicArn": p["status_topic"],
                "Subject": "Payment migration cutover complete",
                "Message.$": "States.Format('Cutover complete (execution {})', $$.Execution.Name)",
            },
            "ResultPath": None,
            "Next": "MigrationComplete",
        },
        "MigrationComplete": {"Type": "Succeed"},
    }


def _rollback_states(p, automatic):
    states = {
        "Rollback": {
            "Type": "Task",
            "Resource": LAMBDA_INVOKE,
            "Parameters": {"FunctionName": p["rollback_fn"], "Payload.$": "$"},
            "ResultSelector": {"routeChangeId.$": "$.Payload.routeChangeId",
                               "checkpointKey.$": "$.Payload.checkpointKey"},
            "ResultPath": "$.rollback",
            "Retry": LAMBDA_RETRY,
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.rollbackError", "Next": "NotifyFailure"}],
            "Next": "RollbackOutcome" if automatic else "RollbackComplete",
        },
        "RollbackComplete": {"Type": "Succeed"},
    }
    if automatic:
        states["RollbackOutcome"] = {
            "Type": "Choice",
            "Choices": [
                {
                    "And": [
                        {"Variable": "$.direction", "IsPresent": True},
                        {"Variable": "$.direction", "StringEquals": "rollback"},
                    ],
                    "Next": "RollbackComplete",
                }
            ],
            "Default": "MigrationRolledBack",
        }
        states["MigrationRolledBack"] = {
            "Type": "Fail",
            "Error": "MigrationRolledBack",
            "Cause": "The migration failed a phase and was rolled back to the on-premises system",
        }
    return states


def build_definition(p):
    """The ASL document (dict) for parameters p (plain values, see module doc)."""
    forward, rollback = p["forward"], p["rollback"]
    fail = "Rollback" if rollback else "NotifyFailure"
    states = {
        "NotifyFailure": {
            "Type": "Task",
            "Resource": SNS_PUBLISH,
            "Parameters": {
                "TopicArn": p["alerts_topic"],
                "Subject": "Payment migration FAILED",
                "Message.$": "States.JsonToString($)",
            },
            "ResultPath": None,
            "Next": "MigrationFailed",
        },
        "MigrationFailed": {"Type": "Fail", "Error": "MigrationFailed", "Cause": "See the alerts topic"},
    }
    if forward:
        states.update(_forward_states(p, fail))
    if rollback:
        states.update(_rollback_states(p, automatic=forward))
    if forward and rollback:
        states["SelectDirection"] = {
            "Type": "Choice",
            "Choices": [
                {
                    "And": [
                        {"Variable": "$.direction", "IsPresent": True},
                        {"Variable": "$.direction", "StringEquals": "rollback"},
                    ],
                    "Next": "Rollback",
                }
            ],
            "Default": "PreChecks",
        }
        start = "SelectDirection"
    else:
        start = "PreChecks" if forward else "Rollback"
    return {
        "Comment": f"Payment system migration ({p['direction']}) - phases with automated rollback",
        "StartAt": start,
        "TimeoutSeconds": 6 * 3600,
        "States": states,
    }


def build(c, fns, rep, routing, topics, key, provider, account_id):
    log_group = aws.cloudwatch.LogGroup(
        c.name("migration-sfn-logs"),
        name=f"/aws/vendedlogs/states/{c.name('payment-migration')}",
        retention_in_days=90,
        kms_key_id=key.arn,
        opts=opts(provider),
    )
    invoke_arns = [fns["validation"].arn]
    if c.enable_rollback:
        invoke_arns.append(fns["rollback"].arn)
    task_arns = rep.task_arns()
    statements = [
        statement("InvokeMigrationLambdas", ["lambda:InvokeFunction"],
                  invoke_arns + [a.apply(lambda x: f"{x}:*") for a in invoke_arns]),
        statement("PublishMigrationNotifications", ["sns:Publish"], [topics["alerts"].arn, topics["status"].arn]),
        statement("UseDataKey", ["kms:Decrypt", "kms:GenerateDataKey"], [key.arn]),
        statement("LogDelivery", ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
                                  "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
                                  "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"], ["*"]),
        statement("Tracing", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]),
    ]
    if c.enable_forward:
        statements += [
            statement("ControlForwardReplication", ["dms:StartReplicationTask", "dms:DescribeReplicationTasks"],
                      task_arns),
            statement("ShiftTrafficRecords", ["route53:ChangeResourceRecordSets"],
                      [routing.zone.zone_id.apply(lambda z: f"arn:aws:route53:::hostedzone/{z}")]),
        ]
    role = service_role(c, "migration-sfn-role", "states.amazonaws.com", statements, provider, account_id)
    params = pulumi.Output.all(
        validation_fn=fns["validation"].arn,
        rollback_fn=fns["rollback"].arn if c.enable_rollback else "",
        forward_task=rep.forward_task.replication_task_arn if c.enable_forward else "",
        zone_id=routing.zone.zone_id,
        migrated_target=routing.migrated_target,
        alerts_topic=topics["alerts"].arn,
        status_topic=topics["status"].arn,
    )
    static = dict(
        forward=c.enable_forward, rollback=c.enable_rollback, direction=c.direction,
        record_name=routing.api_record_name, legacy_target=routing.legacy_target,
        shift_percent=c.new_system_traffic_percent, max_lag_checks=c.max_lag_checks,
    )
    definition = params.apply(lambda v: json.dumps(build_definition({**v, **static}), sort_keys=True))
    machine = aws.sfn.StateMachine(
        c.name("payment-migration"),
        name=c.name("payment-migration"),
        role_arn=role.arn,
        type="STANDARD",
        definition=definition,
        logging_configuration={
            "log_destination": log_group.arn.apply(lambda a: f"{a}:*"),
            "include_execution_data": False,
            "level": "ALL",
        },
        tracing_configuration={"enabled": True},
        encryption_configuration={
            "type": "CUSTOMER_MANAGED_KMS_KEY",
            "kms_key_id": key.arn,
            "kms_data_key_reuse_period_seconds": 300,
        },
        opts=opts(provider, depends_on=[role]),
    )
    return machine, log_group
