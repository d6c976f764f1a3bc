import datetime
import json

import pytest
from botocore.stub import ANY

from payment_lambdas import common, validation
from payment_lambdas.data_access import TableSource

TASK = "arn:aws:dms:eu-central-1:123456789012:task:FWD"
INSTANCE = "arn:aws:dms:eu-central-1:123456789012:rep:INST"
SETTINGS = {"task_arn": TASK, "instance_id": "payments-dms-t", "bucket": "ckpt", "tables": ["payments", "refunds"], "lag_threshold": 30.0,
            "namespace": "PaymentMigration/t"}


class Fake(TableSource):
    def __init__(self, rows, fail=False):
        self.rows, self.fail = rows, fail

    def row_count(self, table):
        if self.fail:
            raise ConnectionError("timeout")
        return len(self.rows.get(table, []))

    def checksum(self, table):
        return str(hash(tuple(sorted(self.rows.get(table, [])))))


def task(status="ready", percent=0):
    return {"ReplicationTasks": [{"ReplicationTaskArn": TASK, "ReplicationInstanceArn": INSTANCE, "Status": status,
                                  "ReplicationTaskStats": {"FullLoadProgressPercent": percent}}]}


def make(stubbed, source=None, target=None):
    dms, dstub = stubbed("dms")
    cw, cstub = stubbed("cloudwatch")
    s3, sstub = stubbed("s3")
    v = validation.Validator(source or Fake({"payments": [1, 2]}), target or Fake({"payments": [1, 2]}),
                             dms, cw, s3, dict(SETTINGS))
    return v, dstub, cstub, sstub


def expect_task(dstub, resp):
    dstub.add_response("describe_replication_tasks", resp,
                       {"Filters": [{"Name": "replication-task-arn", "Values": [TASK]}]})


def test_prechecks_ok(stubbed):
    v, d, _, _ = make(stubbed)
    expect_task(d, task("ready"))
    assert validation.handler({"mode": "prechecks"}, None, v) == {"ok": True, "problems": [], "taskStatus": "ready"}


def test_prechecks_report_bad_status_and_unreachable_db(stubbed, capsys):
    v, d, _, _ = make(stubbed, target=Fake({}, fail=True))
    expect_task(d, task("creating"))
    out = v.prechecks()
    assert out["ok"] is False
    assert out["problems"] == ["task status creating", "target database unreachable: timeout"]
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["level"] == "ERROR"


def test_missing_task_raises(stubbed):
    v, d, _, _ = make(stubbed)
    expect_task(d, {"ReplicationTasks": []})
    with pytest.raises(LookupError):
        v.prechecks()


def test_lag_within_and_above_threshold(stubbed):
    v, d, c, _ = make(stubbed)
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    for points, within, lag in (
        ([{"Timestamp": now, "Maximum": 80.0}, {"Timestamp": now + datetime.timedelta(minutes=1), "Maximum": 12.0}],
         True, 12.0),
        ([{"Timestamp": now, "Maximum": 45.0}], False, 45.0),
        ([], False, None),
    ):
        expect_task(d, task("running", 100))
        c.add_response("get_metric_statistics", {"Datapoints": points}, {
            "Namespace": "AWS/DMS", "MetricName": "CDCLatencyTarget",
            "Dimensions": [{"Name": "ReplicationInstanceIdentifier", "Value": "payments-dms-t"},
                           {"Name": "ReplicationTaskIdentifier", "Value": "FWD"}],
            "StartTime": ANY, "EndTime": ANY, "Period": 60, "Statistics": ["Maximum"]})
        out = v.lag(now=now)
        assert (out["withinThreshold"], out["lagSeconds"], out["fullLoadPercent"]) == (within, lag, 100)


def test_lag_via_handler_uses_current_time(stubbed):
    v, d, c, _ = make(stubbed)
    expect_task(d, task("running"))
    c.add_response("get_metric_statistics", {"Datapoints": []}, None)
    assert validation.handler({"mode": "lag"}, None, v)["withinThreshold"] is False


def test_consistency_match_and_mismatch(stubbed, capsys):
    src = Fake({"payments": [1, 2, 3], "refunds": [7]})
    dst = Fake({"payments": [3, 2, 1], "refunds": [8]})
    v, _, c, s = make(stubbed, src, dst)
    s.add_response("put_object", {}, {"Bucket": "ckpt", "Key": "validation/exec-1.json", "Body": ANY,
                                      "ServerSideEncryption": "aws:kms", "ContentType": "application/json"})
    c.add_response("put_metric_data", {}, {"Namespace": "PaymentMigration/t", "MetricData": [
        {"MetricName": "ValidationMismatches", "Value": 1, "Unit": "Count"}]})
    out = validation.handler({"mode": "consistency", "executionName": "exec-1"}, None, v)
    assert out == {"consistent": False, "mismatches": ["refunds"], "reportKey": "validation/exec-1.json"}
    events = [json.loads(line)["event"] for line in capsys.readouterr().out.splitlines()]
    assert events == ["validation_mismatch", "validation_complete"]


def test_consistency_all_equal(stubbed):
    v, _, c, s = make(stubbed)
    s.add_response("put_object", {}, None)
    c.add_response("put_metric_data", {}, None)
    assert v.consistency()["consistent"] is True


def test_unknown_mode():
    with pytest.raises(ValueError, match="unknown mode"):
        validation.handler({"mode": "nope"}, None, object())


def test_build_validator_from_environment(monkeypatch, stubbed):
    sm, sstub = stubbed("secretsmanager")
    secret = {"host": "db", "port": 5432, "username": "u", "password": "p", "dbname": "payments"}
    for arn in ("arn:src", "arn:dst"):
        sstub.add_response("get_secret_value", {"SecretString": json.dumps(secret)},
                           {"SecretId": arn, "VersionStage": "AWSCURRENT"})
    monkeypatch.setitem(common._clients, "secretsmanager", sm)
    for k, val in {"SOURCE_SECRET_ARN": "arn:src", "TARGET_SECRET_ARN": "arn:dst", "REPLICATION_TASK_ARN": TASK,
                   "REPLICATION_INSTANCE_ID": "ri",
                   "CHECKPOINT_BUCKET": "b", "TABLES": "payments,refunds,", "METRIC_NAMESPACE": "ns"}.items():
        monkeypatch.setenv(k, val)

    class Driver:
        calls = []

        @classmethod
        def connect(cls, **kw):
            cls.calls.append(kw)
            return object()

    v = validation.build_validator(driver=Driver)
    assert v.settings == {"task_arn": TASK, "instance_id": "ri", "bucket": "b", "tables": ["payments", "refunds"], "lag_threshold": 30.0,
                          "namespace": "ns"}
    assert [c["host"] for c in Driver.calls] == ["db", "db"]


def test_handler_builds_default_validator(monkeypatch):
    built = []

    class V:
        def consistency(self, execution):
            return {"execution": execution}

    monkeypatch.setattr(validation, "build_validator", lambda: built.append(1) or V())
    assert validation.handler({}, None) == {"execution": "manual"} and built == [1]


def test_env_missing_raises(monkeypatch):
    monkeypatch.delenv("NOPE_X", raising=False)
    with pytest.raises(KeyError):
        common.env("NOPE_X")


def test_client_is_cached():
    assert common.client("s3") is common.client("s3")
