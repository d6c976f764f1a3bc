"""Rollback Lambda: return the payment system to the on-premises side, safely and idempotently.

Steps, each recorded in the result:
  1. stop the forward DMS task (on-prem -> Aurora) if it is running
  2. start the reverse CDC task (Aurora -> on-prem) so writes taken on AWS flow back
  3. restore routing: Route 53 weighted records back to legacy=100/migrated=0 and the API
     Gateway stage canary (share sent to the new system) back to 0 %
  4. write a rollback checkpoint (JSON) to the rollback-state bucket
  5. record the phase in Parameter Store and notify the operations SNS topic

Environment: FORWARD_TASK_ARN, REVERSE_TASK_ARN (may be empty), HOSTED_ZONE_ID, API_RECORD_NAME,
LEGACY_TARGET, MIGRATED_TARGET, REST_API_ID, STAGE_NAME, ROLLBACK_BUCKET, PHASE_PARAMETER,
TOPIC_ARN, ENVIRONMENT_SUFFIX.
"""

import datetime
import json

from botocore.exceptions import ClientError

from . import common

RUNNING = {"running", "starting"}


class RollbackRunner:
    def __init__(self, dms, route53, apigateway, s3, ssm, sns, settings, now=None):
        self.dms, self.route53, self.apigateway = dms, route53, apigateway
        self.s3, self.ssm, self.sns = s3, ssm, sns
        self.settings = settings
        self.now = now or (lambda: datetime.datetime.now(datetime.timezone.utc))

    def _task_status(self, arn):
        resp = self.dms.describe_replication_tasks(Filters=[{"Name": "replication-task-arn", "Values": [arn]}])
        tasks = resp.get("ReplicationTasks", [])
        return tasks[0]["Status"] if tasks else None

    def stop_forward(self):
        arn = self.settings["forward_task_arn"]
        if not arn:
            return "not-configured"
        status = self._task_status(arn)
        if status not in RUNNING:
            return f"already-{status or 'missing'}"
        self.dms.stop_replication_task(ReplicationTaskArn=arn)
        return "stopping"

    def start_reverse(self):
        arn = self.settings["reverse_task_arn"]
        if not arn:
            return "not-configured"
        status = self._task_status(arn)
        if status in RUNNING:
            return "already-running"
        self.dms.start_replication_task(
            ReplicationTaskArn=arn,
            StartReplicationTaskType="start-replication" if status == "ready" else "resume-processing",
        )
        return "starting"

    def restore_routing(self):
        s = self.settings
        changes = [
            {
                "Action": "UPSERT",
                "ResourceRecordSet": {
                    "Name": s["record_name"], "Type": "CNAME", "SetIdentifier": ident, "Weight": weight,
                    "TTL": 60, "ResourceRecords": [{"Value": target}],
                },
            }
            for ident, weight, target in (("legacy", 100, s["legacy_target"]), ("migrated", 0, s["migrated_target"]))
        ]
        change = self.route53.change_resource_record_sets(
            HostedZoneId=s["zone_id"],
            ChangeBatch={"Comment": "payment migration rollback: all traffic to legacy", "Changes": changes},
        )
        self.apigateway.update_stage(
            restApiId=s["rest_api_id"], stageName=s["stage_name"],
            patchOperations=[{"op": "replace", "path": "/canarySettings/percentTraffic", "value": "0.0"}],
        )
        return change["ChangeInfo"]["Id"]

    def run(self, event):
        started = self.now().isoformat()
        error = event.get("error") or {}
        reason = event.get("reason") or error.get("Cause") or error.get("Error") or "manual"
        common.log("WARN", "rollback_started", reason=reason)
        result = {"reason": reason, "startedAt": started}
        try:
            result["forwardTask"] = self.stop_forward()
            result["reverseTask"] = self.start_reverse()
            result["routeChangeId"] = self.restore_routing()
        except ClientError as exc:
            common.log("ERROR", "rollback_failed", error=str(exc))
            self._notify("FAILED", {**result, "error": str(exc)})
            raise
        key = f"rollback/{started.replace(':', '-')}.json"
        self.s3.put_object(
            Bucket=self.settings["bucket"], Key=key, Body=json.dumps(result, sort_keys=True).encode(),
            ServerSideEncryption="aws:kms", ContentType="application/json",
        )
        result["checkpointKey"] = key
        self.ssm.put_parameter(Name=self.settings["phase_parameter"], Value="rolled-back", Type="SecureString",
                               Overwrite=True)
        self._notify("COMPLETED", result)
        common.log("WARN", "rollback_completed", **result)
        return result

    def _notify(self, outcome, body):
        self.sns.publish(
            TopicArn=self.settings["topic_arn"],
            Subject=f"Payment migration rollback {outcome} ({self.settings['suffix']})",
            Message=json.dumps(body, sort_keys=True, default=str),
        )


def settings_from_env():
    return {
        "forward_task_arn": common.env("FORWARD_TASK_ARN", ""),
        "reverse_task_arn": common.env("REVERSE_TASK_ARN", ""),
        "zone_id": common.env("HOSTED_ZONE_ID"),
        "record_name": common.env("API_RECORD_NAME"),
        "legacy_target": common.env("LEGACY_TARGET"),
        "migrated_target": common.env("MIGRATED_TARGET"),
        "rest_api_id": common.env("REST_API_ID"),
        "stage_name": common.env("STAGE_NAME"),
        "bucket": common.env("ROLLBACK_BUCKET"),
        "phase_parameter": common.env("PHASE_PARAMETER"),
        "topic_arn": common.env("TOPIC_ARN"),
        "suffix": common.env("ENVIRONMENT_SUFFIX"),
    }


def handler(event, context, runner=None):
    runner = runner or RollbackRunner(
        common.client("dms"), common.client("route53"), common.client("apigateway"), common.client("s3"),
        common.client("ssm"), common.client("sns"), settings_from_env(),
    )
    return runner.run(event or {})
