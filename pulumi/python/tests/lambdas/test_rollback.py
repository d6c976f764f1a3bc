import datetime
import json

import pytest
from botocore.stub import ANY
from botocore.exceptions import ClientError

from payment_lambdas import common, rollback

FWD = "arn:aws:dms:eu-central-1:123456789012:task:FWD"
REV = "arn:aws:dms:eu-central-1:123456789012:task:REV"
SETTINGS = {"forward_task_arn": FWD, "reverse_task_arn": REV, "zone_id": "Z1", "record_name": "api.p.internal",
            "legacy_target": "legacy.example.com", "migrated_target": "abc.execute-api.eu-central-1.amazonaws.com",
            "rest_api_id": "abc", "stage_name": "live", "bucket": "rb", "phase_parameter": "/pm/t/migration/phase",
            "topic_arn": "arn:aws:sns:eu-central-1:123456789012:alerts", "suffix": "t"}
NOW = datetime.datetime(2026, 11, 22, 23, 0, tzinfo=datetime.timezone.utc)


def runner(stubbed, **overrides):
    clients = {s: stubbed(s) for s in ("dms", "route53", "apigateway", "s3", "ssm", "sns")}
    r = rollback.RollbackRunner(*(clients[s][0] for s in ("dms", "route53", "apigateway", "s3", "ssm", "sns")),
                                {**SETTINGS, **overrides}, now=lambda: NOW)
    return r, {s: st for s, (_, st) in clients.items()}


def status(stub, arn, value):
    stub.add_response("describe_replication_tasks",
                      {"ReplicationTasks": [{"ReplicationTaskArn": arn, "Status": value}]} if value else
                      {"ReplicationTasks": []},
                      {"Filters": [{"Name": "replication-task-arn", "Values": [arn]}]})


def routing_ok(st):
    st["route53"].add_response("change_resource_record_sets",
                               {"ChangeInfo": {"Id": "/change/C1", "Status": "PENDING", "SubmittedAt": NOW}},
                               {"HostedZoneId": "Z1", "ChangeBatch": ANY})
    st["apigateway"].add_response("update_stage", {}, {"restApiId": "abc", "stageName": "live", "patchOperations": [
        {"op": "replace", "path": "/canarySettings/percentTraffic", "value": "0.0"}]})


def test_full_rollback(stubbed, capsys):
    r, st = runner(stubbed)
    status(st["dms"], FWD, "running")
    st["dms"].add_response("stop_replication_task", {}, {"ReplicationTaskArn": FWD})
    status(st["dms"], REV, "ready")
    st["dms"].add_response("start_replication_task", {}, {"ReplicationTaskArn": REV,
                                                          "StartReplicationTaskType": "start-replication"})
    routing_ok(st)
    st["s3"].add_response("put_object", {}, {"Bucket": "rb", "Key": "rollback/2026-11-22T23-00-00+00-00.json",
                                             "Body": ANY, "ServerSideEncryption": "aws:kms",
                                             "ContentType": "application/json"})
    st["ssm"].add_response("put_parameter", {"Version": 2}, {"Name": "/pm/t/migration/phase", "Value": "rolled-back",
                                                             "Type": "SecureString", "Overwrite": True})
    st["sns"].add_response("publish", {"MessageId": "m"}, {"TopicArn": SETTINGS["topic_arn"],
                                                           "Subject": "Payment migration rollback COMPLETED (t)",
                                                           "Message": ANY})
    out = rollback.handler({"error": {"Error": "States.TaskFailed", "Cause": "lag"}}, None, r)
    assert out["forwardTask"] == "stopping" and out["reverseTask"] == "starting"
    assert out["routeChangeId"] == "/change/C1" and out["reason"] == "lag"
    events = [json.loads(line)["event"] for line in capsys.readouterr().out.splitlines()]
    assert events == ["rollback_started", "rollback_completed"]


def test_idempotent_when_tasks_already_in_place(stubbed):
    r, st = runner(stubbed)
    status(st["dms"], FWD, "stopped")
    status(st["dms"], REV, "running")
    routing_ok(st)
    for svc, op, resp in (("s3", "put_object", {}), ("ssm", "put_parameter", {"Version": 3}),
                          ("sns", "publish", {"MessageId": "m"})):
        st[svc].add_response(op, resp, None)
    out = r.run({"reason": "operator"})
    assert (out["forwardTask"], out["reverseTask"], out["reason"]) == ("already-stopped", "already-running",
                                                                       "operator")


def test_resume_reverse_and_missing_forward(stubbed):
    r, st = runner(stubbed)
    status(st["dms"], FWD, None)
    status(st["dms"], REV, "stopped")
    st["dms"].add_response("start_replication_task", {}, {"ReplicationTaskArn": REV,
                                                          "StartReplicationTaskType": "resume-processing"})
    routing_ok(st)
    for svc, op, resp in (("s3", "put_object", {}), ("ssm", "put_parameter", {"Version": 3}),
                          ("sns", "publish", {"MessageId": "m"})):
        st[svc].add_response(op, resp, None)
    out = r.run({})
    assert (out["forwardTask"], out["reverseTask"], out["reason"]) == ("already-missing", "starting", "manual")


def test_not_configured_tasks(stubbed):
    r, st = runner(stubbed, forward_task_arn="", reverse_task_arn="")
    assert (r.stop_forward(), r.start_reverse()) == ("not-configured", "not-configured")


def test_failure_is_notified_and_raised(stubbed):
    r, st = runner(stubbed, reverse_task_arn="")
    status(st["dms"], FWD, "running")
    st["dms"].add_client_error("stop_replication_task", "InvalidResourceStateFault", "task is not running")
    st["sns"].add_response("publish", {"MessageId": "m"}, {"TopicArn": SETTINGS["topic_arn"],
                                                           "Subject": "Payment migration rollback FAILED (t)",
                                                           "Message": ANY})
    with pytest.raises(ClientError):
        r.run({})


def test_handler_builds_runner_from_environment(monkeypatch):
    env = {"FORWARD_TASK_ARN": FWD, "REVERSE_TASK_ARN": "", "HOSTED_ZONE_ID": "Z1", "API_RECORD_NAME": "api",
           "LEGACY_TARGET": "l", "MIGRATED_TARGET": "m", "REST_API_ID": "abc", "STAGE_NAME": "live",
           "ROLLBACK_BUCKET": "rb", "PHASE_PARAMETER": "/p", "TOPIC_ARN": "arn:t", "ENVIRONMENT_SUFFIX": "t"}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    seen = {}

    def fake_run(self, event):
        seen.update(settings=self.settings, event=event)
        return {"ok": True}

    monkeypatch.setattr(rollback.RollbackRunner, "run", fake_run)
    assert rollback.handler(None, None) == {"ok": True}
    assert seen["event"] == {} and seen["settings"]["reverse_task_arn"] == "" and seen["settings"]["suffix"] == "t"
    assert isinstance(rollback.RollbackRunner(*([None] * 6), {}).now(), datetime.datetime)
    assert common.client("dms") is common.client("dms")
