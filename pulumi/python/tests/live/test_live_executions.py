"""Live: executions of the deployed migration state machine in awssim.

Lambda tasks answer from a Step Functions Local mock config (test cases below); the DMS and
Route 53 aws-sdk tasks run for real against the stack's replication task and hosted zone, and
SNS publishes are recorded by awssim. Wait states pass by advancing awssim's virtual clock.
Every test starts from the state right after the deployment (`fresh`).
"""

import json
import urllib.request

import pytest

from tests.integration import checks
from tests.live.conftest import control


def ok(payload, times="0"):
    return {times: {"Return": {"Payload": payload, "StatusCode": 200}}}


PRE = ok({"ok": True, "problems": []})
RESPONSES = {
    "Pre": PRE,
    "PreFail": ok({"ok": False, "problems": ["source database unreachable"]}),
    "LagOk": ok({"lagSeconds": 2, "withinThreshold": True}),
    "LagHigh": ok({"lagSeconds": 300, "withinThreshold": False}, "0-100"),
    "Consistent": ok({"consistent": True, "mismatches": []}, "0-9"),
    "Inconsistent": ok({"consistent": False, "mismatches": ["refunds"]}),
    "RolledBack": ok({"routeChangeId": "/change/C1", "checkpointKey": "rollback/x.json"}),
    "RollbackBroken": {"0-3": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "boom"}}},
}
CASES = {
    "HappyPath": {"PreChecks": "Pre", "CheckCdcLag": "LagOk", "ValidateData": "Consistent",
                  "VerifyAfterShift": "Consistent"},
    "DataMismatch": {"PreChecks": "Pre", "CheckCdcLag": "LagOk", "ValidateData": "Inconsistent",
                     "Rollback": "RolledBack"},
    "LagNeverCatchesUp": {"PreChecks": "Pre", "CheckCdcLag": "LagHigh", "Rollback": "RolledBack"},
    "PreChecksFail": {"PreChecks": "PreFail", "Rollback": "RolledBack"},
    "Manual": {"Rollback": "RolledBack"},
    "RollbackFails": {"PreChecks": "PreFail", "Rollback": "RollbackBroken"},
}


def execute(url, outputs, case, payload=None, max_steps=200):
    control(url, "sfn/mock-config", {
        "StateMachines": {outputs["migrationStateMachineName"]: {"TestCases": CASES}},
        "MockedResponses": RESPONSES})
    sfn = checks.client(url, "stepfunctions")
    arn = sfn.start_execution(stateMachineArn=f"{outputs['migrationStateMachineArn']}#{case}",
                              input=json.dumps(payload or {}))["executionArn"]
    for _ in range(max_steps):
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            break
        control(url, "clock", {"advance": 30})
    events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    path = [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]
    return d, path


def forward_status(url, outputs):
    dms = checks.client(url, "dms")
    return dms.describe_replication_tasks(Filters=[{"Name": "replication-task-arn", "Values": [
        outputs["forwardReplicationTaskArn"]]}])["ReplicationTasks"][0]["Status"]


def sns_subjects(url):
    with urllib.request.urlopen(f"{url}/_awssim/messages") as resp:
        return [m["parameters"].get("Subject") for m in json.loads(resp.read())["messages"]
                if m["resource"].startswith("arn:aws:states:::sns:publish")]


def test_happy_path_runs_every_phase_and_cuts_over(fresh):
    url, outputs = fresh[:2]
    d, path = execute(url, outputs, "HappyPath")
    assert d["status"] == "SUCCEEDED"
    phases = ["PreChecks", "StartFullLoad", "DescribeFullLoad", "CheckCdcLag", "ValidateData", "ShiftTraffic",
              "VerifyAfterShift", "Cutover", "NotifyCutover", "MigrationComplete"]
    assert [p for p in dict.fromkeys(path) if p in phases] == phases  # first entries, in order
    assert "Rollback" not in path
    assert forward_status(url, outputs) == "running"  # the real DMS task was started by the state machine
    assert checks.check_routing(outputs, url) == {"legacy": 0, "migrated": 100}
    assert "Payment migration cutover complete" in sns_subjects(url)


@pytest.mark.parametrize("case,failed_at", [
    ("DataMismatch", "DataConsistent"),
    ("PreChecksFail", "PreChecksPassed"),
])
def test_failed_phase_rolls_back_automatically(fresh, case, failed_at):
    url, outputs = fresh[:2]
    d, path = execute(url, outputs, case)
    assert (d["status"], d["error"]) == ("FAILED", "MigrationRolledBack")
    assert path[path.index(failed_at) + 1] == "Rollback"
    assert path[-2:] == ["RollbackOutcome", "MigrationRolledBack"]
    assert "ShiftTraffic" not in path
    assert checks.check_routing(outputs, url) == {"legacy": 80, "migrated": 20}  # traffic never shifted


def test_lag_loop_is_bounded_then_rolls_back(fresh):
    url, outputs = fresh[:2]
    d, path = execute(url, outputs, "LagNeverCatchesUp", max_steps=400)
    assert d["error"] == "MigrationRolledBack"
    assert path.count("CheckCdcLag") == 21 and path.count("WaitForCdcCatchUp") == 20
    assert "ValidateData" not in path


def test_manual_rollback_direction(fresh):
    url, outputs = fresh[:2]
    d, path = execute(url, outputs, "Manual", {"direction": "rollback"})
    assert d["status"] == "SUCCEEDED" and path == ["SelectDirection", "Rollback", "RollbackOutcome",
                                                   "RollbackComplete"]


def test_failed_rollback_alerts_operations(fresh):
    url, outputs = fresh[:2]
    d, path = execute(url, outputs, "RollbackFails")
    assert (d["status"], d["error"]) == ("FAILED", "MigrationFailed")
    assert path[-3:] == ["Rollback", "NotifyFailure", "MigrationFailed"]
    assert "Payment migration FAILED" in sns_subjects(url)
