"""Data-consistency validation Lambda, called by the migration state machine in three modes.

  {"mode": "prechecks"}    the forward DMS task exists and is startable, both databases answer
  {"mode": "lag"}          CDC latency of the forward task (CloudWatch AWS/DMS CDCLatencyTarget)
                           compared with the lag threshold
  {"mode": "consistency"}  row counts and checksums of every table, source vs target; the report
                           is written to the checkpoint bucket and mismatches are counted in the
                           PaymentMigration/<suffix> ValidationMismatches metric

Environment: SOURCE_SECRET_ARN, TARGET_SECRET_ARN, REPLICATION_TASK_ARN, REPLICATION_INSTANCE_ID, CHECKPOINT_BUCKET,
TABLES (comma separated), LAG_THRESHOLD_SECONDS, METRIC_NAMESPACE, ENVIRONMENT_SUFFIX.
"""

import datetime
import json

from . import common, data_access

STARTABLE = {"ready", "stopped", "failed"}


class Validator:
    """Validation logic over two TableSource objects and injectable AWS clients."""

    def __init__(self, source, target, dms, cloudwatch, s3, settings):
        self.source, self.target = source, target
        self.dms, self.cloudwatch, self.s3 = dms, cloudwatch, s3
        self.settings = settings

    def task(self):
        resp = self.dms.describe_replication_tasks(
            Filters=[{"Name": "replication-task-arn", "Values": [self.settings["task_arn"]]}]
        )
        tasks = resp.get("ReplicationTasks", [])
        if not tasks:
            raise LookupError(f"replication task {self.settings['task_arn']} not found")
        return tasks[0]

    def prechecks(self):
        task = self.task()
        problems = []
        if task["Status"] not in STARTABLE and task["Status"] != "running":
            problems.append(f"task status {task['Status']}")
        for label, db in (("source", self.source), ("target", self.target)):
            try:
                db.row_count(self.settings["tables"][0])
            except Exception as exc:  # noqa: BLE001 - any driver error means unreachable
                problems.append(f"{label} database unreachable: {exc}")
        ok = not problems
        common.log("INFO" if ok else "ERROR", "prechecks", ok=ok, problems=problems, status=task["Status"])
        return {"ok": ok, "problems": problems, "taskStatus": task["Status"]}

    def lag(self, now=None):
        task = self.task()
        now = now or datetime.datetime.now(datetime.timezone.utc)
        stats = self.cloudwatch.get_metric_statistics(
            Namespace="AWS/DMS",
            MetricName="CDCLatencyTarget",
            Dimensions=[
                # AWS/DMS dimensions: the instance's identifier, the task's resource id (ARN suffix)
                {"Name": "ReplicationInstanceIdentifier", "Value": self.settings["instance_id"]},
                {"Name": "ReplicationTaskIdentifier", "Value": task["ReplicationTaskArn"].split(":")[-1]},
            ],
            StartTime=now - datetime.timedelta(minutes=5),
            EndTime=now,
            Period=60,
            Statistics=["Maximum"],
        )
        points = sorted(stats.get("Datapoints", []), key=lambda p: p["Timestamp"])
        # No datapoint yet means CDC has not reported: treat as not caught up.
        lag = points[-1]["Maximum"] if points else None
        threshold = self.settings["lag_threshold"]
        within = lag is not None and lag <= threshold
        full_load = task.get("ReplicationTaskStats", {}).get("FullLoadProgressPercent", 0)
        common.log("INFO", "replication_lag", lagSeconds=lag, threshold=threshold, withinThreshold=within)
        return {"lagSeconds": lag, "thresholdSeconds": threshold, "withinThreshold": within,
                "fullLoadPercent": full_load, "taskStatus": task["Status"]}

    def consistency(self, execution="manual"):
        tables, mismatches = [], []
        for table in self.settings["tables"]:
            src = {"rows": self.source.row_count(table), "checksum": self.source.checksum(table)}
            dst = {"rows": self.target.row_count(table), "checksum": self.target.checksum(table)}
            entry = {"table": table, "source": src, "target": dst, "match": src == dst}
            tables.append(entry)
            if not entry["match"]:
                mismatches.append(table)
                common.log("ERROR", "validation_mismatch", table=table, source=src, target=dst)
        report = {"consistent": not mismatches, "mismatches": mismatches, "tables": tables, "execution": execution}
        key = f"validation/{execution}.json"
        self.s3.put_object(
            Bucket=self.settings["bucket"], Key=key, Body=json.dumps(report, sort_keys=True).encode(),
            ServerSideEncryption="aws:kms", ContentType="application/json",
        )
        self.cloudwatch.put_metric_data(
            Namespace=self.settings["namespace"],
            MetricData=[{"MetricName": "ValidationMismatches", "Value": len(mismatches), "Unit": "Count"}],
        )
        common.log("INFO" if not mismatches else "ERROR", "validation_complete",
                   consistent=report["consistent"], mismatches=mismatches)
        return {"consistent": report["consistent"], "mismatches": mismatches, "reportKey": key}


def settings_from_env():
    return {
        "task_arn": common.env("REPLICATION_TASK_ARN"),
        "instance_id": common.env("REPLICATION_INSTANCE_ID"),
        "bucket": common.env("CHECKPOINT_BUCKET"),
        "tables": [t for t in common.env("TABLES").split(",") if t],
        "lag_threshold": float(common.env("LAG_THRESHOLD_SECONDS", "30")),
        "namespace": common.env("METRIC_NAMESPACE"),
    }


def build_validator(driver=None):
    sm = common.client("secretsmanager")
    source = data_access.PostgresSource(data_access.connect_from_secret(sm, common.env("SOURCE_SECRET_ARN"), driver))
    target = data_access.PostgresSource(data_access.connect_from_secret(sm, common.env("TARGET_SECRET_ARN"), driver))
    return Validator(source, target, common.client("dms"), common.client("cloudwatch"), common.client("s3"),
                     settings_from_env())


MODES = {"prechecks", "lag", "consistency"}


def handler(event, context, validator=None):
    mode = event.get("mode", "consistency")
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {sorted(MODES)}")
    validator = validator or build_validator()
    if mode == "prechecks":
        return validator.prechecks()
    if mode == "lag":
        return validator.lag()
    return validator.consistency(execution=event.get("executionName", "manual"))
