"""Live: direction flags and the deploy role change what awssim holds.

A rollback-only stack gets only the reverse CDC task and a state machine starting at Rollback;
a stack deployed with deployRoleArn is created entirely by that role's session (awssim's request
log names the caller of every call)."""

import json
import sys
import urllib.request

import pytest

from tests.awssim_server import MOCKS
from tests.integration import checks
from tests.live.conftest import SECRETS, control
from tests.live.test_live_executions import execute


def deploy(url, tmp_path, suffix, *config):
    if MOCKS not in sys.path:
        sys.path.insert(0, MOCKS)
    from awssim_mock import deploy as deploy_mod

    out = tmp_path / f"{suffix}.json"
    args = ["--program", checks_program(), "--endpoint", url, "--stack", suffix,
            "--config", f"environmentSuffix={suffix}", "--config", "createDmsVpcRole=false", "--outputs", str(out)]
    for c in config:
        args += ["--config", c]
    for name, value in SECRETS.items():
        args += ["--secret", f"{name.replace('live1', suffix)}={json.dumps(value)}"]
    assert deploy_mod.main(args) == 0
    return json.loads(out.read_text())


def checks_program():
    from tests.live.conftest import PROGRAM

    return PROGRAM


@pytest.fixture
def restored(deployed):
    control(deployed[0], "restore", {"path": deployed[2]})
    return deployed[0]


def test_rollback_only_stack(restored, tmp_path):
    url = restored
    outputs = deploy(url, tmp_path, "rbonly", "enableForwardMigration=false")
    assert "forwardReplicationTaskArn" not in outputs and outputs["migrationDirection"] == "rollback"
    tasks = checks.check_replication(outputs, url)
    assert list(tasks) == ["reverseReplicationTaskArn"]
    sm = checks.client(url, "stepfunctions").describe_state_machine(
        stateMachineArn=outputs["migrationStateMachineArn"])
    definition = json.loads(sm["definition"])
    assert definition["StartAt"] == "Rollback" and "PreChecks" not in definition["States"]
    d, path = execute(url, outputs, "Manual")
    assert d["status"] == "SUCCEEDED" and path == ["Rollback", "RollbackComplete"]


def test_stack_created_as_the_deploy_role(restored, tmp_path):
    url = restored
    iam = checks.client(url, "iam")
    acct = checks.client(url, "sts").get_caller_identity()["Account"]
    iam.create_role(RoleName="pm-deployer", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct}:root"},
                                               "Action": "sts:AssumeRole"}]}))
    with urllib.request.urlopen(f"{url}/_awssim/requests") as resp:
        before = len(json.loads(resp.read())["requests"])
    outputs = deploy(url, tmp_path, "asrole", f"deployRoleArn=arn:aws:iam::{acct}:role/pm-deployer")
    with urllib.request.urlopen(f"{url}/_awssim/requests") as resp:
        calls = json.loads(resp.read())["requests"][before:]
    creates = [c for c in calls if c["operation"].startswith(("Create", "Put", "Attach", "ChangeResource"))]
    assert len(creates) > 20
    session = f"arn:aws:sts::{acct}:assumed-role/pm-deployer/payment-migration-deploy-asrole"
    assert {c["caller"] for c in creates} == {session}
    assert [c["operation"] for c in calls if c["operation"] == "AssumeRole"] == ["AssumeRole"] * 2  # per region
    assert outputs["migrationStateMachineArn"].endswith(":stateMachine:payment-migration-asrole")
