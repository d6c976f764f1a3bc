"""deploy entry point and runner: a whole program in mock mode, flat outputs written."""

import datetime
import json
import os
import runpy
import sys

import pytest

from awssim_mock import AwssimMocks, deploy, runner
from tests.fakes import FakeRegistry, StubbedClients

SAMPLE = os.path.join(os.path.dirname(__file__), "sample_program")
NOW = datetime.datetime(2026, 11, 22, tzinfo=datetime.timezone.utc)


@pytest.fixture
def env(monkeypatch):
    reg = FakeRegistry()
    stubs = StubbedClients()
    monkeypatch.setattr(AwssimMocks, "client", lambda self, service, region, creds: stubs(service, region, creds))
    yield reg, stubs
    reg.close()


def stub_aws(stubs, account="123456789012"):
    stubs.stub("sts").add_response("get_caller_identity", {"UserId": "AIDA", "Account": account,
                                                           "Arn": f"arn:aws:iam::{account}:user/ci"})
    stubs.stub("iam").add_response("create_role", {"Role": {
        "Path": "/", "RoleName": "sample-t1", "RoleId": "AROAEXAMPLEEXAMPLE01",
        "Arn": f"arn:aws:iam::{account}:role/sample-t1", "CreateDate": NOW}}, None)


def test_deploy_writes_flat_outputs(env, tmp_path, capsys):
    reg, stubs = env
    stub_aws(stubs)
    out = tmp_path / "cfn-outputs" / "flat-outputs.json"
    rc = deploy.main(["--program", SAMPLE, "--endpoint", reg.url, "--stack", "t1", "--config", "suffix=t1",
                      "--secret", "sample/secret={\"token\":\"x\"}", "--account", "123456789012",
                      "--outputs", str(out)])
    assert rc == 0
    flat = json.loads(out.read_text())
    assert flat["roleArn"] == "arn:aws:iam::123456789012:role/sample-t1"
    assert flat["bucketName"] == "sample-t1" and flat["account"] == "123456789012"
    assert flat["secretArn"].startswith("arn:aws:secretsmanager:eu-central-1:123456789012:secret:sample/secret-")
    assert json.loads(flat["settings"]) == {"replicas": 2, "suffix": "t1"}
    assert [p["type"] for p in reg.posts] == ["aws:s3/bucket:Bucket"]
    assert "outputs written" in capsys.readouterr().out
    stubs.assert_done()


def test_deploy_failure_reports_aws_error_and_writes_nothing(env, tmp_path, capsys):
    reg, stubs = env
    out = tmp_path / "flat.json"
    stubs.stub("sts").add_response("get_caller_identity", {"UserId": "AIDA", "Account": "123456789012",
                                                           "Arn": "arn:aws:iam::123456789012:user/ci"})
    stubs.stub("iam").add_client_error("create_role", "MalformedPolicyDocument", "Has prohibited field Resource")
    rc = deploy.main(["--program", SAMPLE, "--endpoint", reg.url, "--config", "suffix=t2", "--outputs", str(out),
                      "--account", "123456789012", "--secret", "sample/secret=v"])
    assert rc == 1 and not out.exists()
    err = capsys.readouterr().err
    assert "deploy failed" in err and "MalformedPolicyDocument: Has prohibited field Resource" in err


def test_bad_arguments(monkeypatch):
    with pytest.raises(SystemExit, match="KEY=VALUE"):
        deploy.main(["--program", SAMPLE, "--endpoint", "http://x", "--config", "novalue"])
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with pytest.raises(SystemExit):
        deploy.parse_args(["--program", SAMPLE])


def test_module_entry_point(env, tmp_path, monkeypatch):
    reg, stubs = env
    stub_aws(stubs)  # account discovery (no --account) + the program's getCallerIdentity
    stubs.stub("sts").add_response("get_caller_identity", {"UserId": "AIDA", "Account": "123456789012",
                                                           "Arn": "arn:aws:iam::123456789012:user/ci"})
    out = tmp_path / "o.json"
    monkeypatch.setattr(sys, "argv", ["deploy", "--program", SAMPLE, "--endpoint", reg.url, "--config",
                                      "sample:suffix=t1", "--secret", "sample/secret=v", "--outputs", str(out)])
    sys.modules.pop("awssim_mock.deploy", None)
    with pytest.raises(SystemExit) as exc:
        runpy.run_module("awssim_mock.deploy", run_name="__main__")
    assert exc.value.code == 0 and json.loads(out.read_text())["bucketName"] == "sample-t1"


def test_stack_config_file_is_read_and_overridden(tmp_path):
    (tmp_path / "Pulumi.dev.yaml").write_text(
        "config:\n  p:a: one\n  p:flag: true\n  p:pw:\n    secure: AAAB\n")
    assert runner.stack_config(str(tmp_path), "dev") == {"p:a": "one", "p:flag": True}
    assert runner.stack_config(str(tmp_path), "other") == {}
    (tmp_path / "Pulumi.empty.yaml").write_text("")
    assert runner.stack_config(str(tmp_path), "empty") == {}


def test_program_gets_stack_file_config_with_cli_overrides(tmp_path, registry_only):
    (tmp_path / "Pulumi.yaml").write_text("name: cfgprog\nruntime: python\n")
    (tmp_path / "Pulumi.s1.yaml").write_text("config:\n  cfgprog:a: from-file\n  cfgprog:b: from-file\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi\nc = pulumi.Config()\npulumi.export('a', c.get('a'))\npulumi.export('b', c.get('b'))\n")
    assert runner.run_program(str(tmp_path), registry_only, stack="s1", config={"b": "cli"}) == {
        "a": "from-file", "b": "cli"}


def test_runner_helpers(tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("runtime: python\n")
    with pytest.raises(ValueError, match="has no name"):
        runner.project_name(str(tmp_path))
    (tmp_path / "Pulumi.yaml").write_text("description: x\nname: 'quoted'\n")
    assert runner.project_name(str(tmp_path)) == "quoted"
    assert runner.config_map("p", {"a": "1", "q:b": True, "c": [1]}) == {"p:a": "1", "q:b": "true", "p:c": "[1]"}
    assert runner.config_map("p", None) == {}
    assert runner.flatten({"b": 1, "a": "x", "c": {"k": True}}) == {"a": "x", "b": "1", "c": "{\"k\": true}"}


def test_each_run_has_its_own_stack_outputs(tmp_path, registry_only):
    first = tmp_path / "first"
    second = tmp_path / "second"
    for d, body in ((first, 'pulumi.export("a", 1)\npulumi.export("shared", "first")'),
                    (second, 'pulumi.export("shared", "second")')):
        d.mkdir()
        (d / "Pulumi.yaml").write_text(f"name: {d.name}\nruntime: python\n")
        (d / "__main__.py").write_text("import pulumi\n" + body + "\n")
    assert runner.run_program(str(first), registry_only) == {"a": 1, "shared": "first"}
    assert runner.run_program(str(second), registry_only) == {"shared": "second"}


@pytest.fixture
def registry_only():
    reg = FakeRegistry()
    yield AwssimMocks(endpoint=reg.url, account="123456789012")
    reg.close()


def test_preview_creates_nothing(env, tmp_path):
    reg, stubs = env
    stubs.stub("sts").add_response("get_caller_identity", {"UserId": "AIDA", "Account": "123456789012",
                                                           "Arn": "arn:aws:iam::123456789012:user/ci"})
    out = tmp_path / "p.json"
    rc = deploy.main(["--program", SAMPLE, "--endpoint", reg.url, "--config", "suffix=pv", "--account",
                      "123456789012", "--secret", "sample/secret=v", "--preview", "true", "--outputs", str(out)])
    assert rc == 0 and reg.posts == []  # nothing registered, no IAM call (no iam stub queued)
    flat = json.loads(out.read_text())
    assert flat["bucketName"] == "sample-pv" and flat["account"] == "123456789012"
    stubs.assert_done()
