"""`awssim replay` paths test_replay.py leaves out: the runner's options (--check, --verbose,
--timeout, --run-pending, --help, option and file errors), duplicate scenario names, extra
credentials, and each step kind's failure message (run/deploy exit codes and output, aws
expectError, control status, fault refusals and clearing by id, failWhen, interpolation errors)."""
import json
import os
import shutil
import subprocess

import pytest

from conftest import AWSSIM_BIN, ROOT
from test_replay import fake_root, replay, scenario, write

A = "111111111111"
FIRST = {"kind": "control", "name": "first", "path": "clock"}
MISSING = "${steps.first.nosuch}"  # a path the earlier step's result does not have (found at run time)


def result(rep, name):
    return json.loads((rep / "results" / f"{name}.json").read_text())


def test_options_and_usage(tmp_path):
    p = replay("--help")
    assert p.returncode == 0 and p.stderr.startswith("usage: awssim replay FILE|DIR...")
    assert "[--timeout SECONDS] [--run-pending] [--check] [--verbose]" in p.stderr
    p = replay("--bogus")
    assert p.returncode == 2
    assert p.stderr.startswith("awssim replay: unknown or incomplete option --bogus\nusage: awssim replay")
    p = replay(str(tmp_path / "absent.json"))
    assert p.returncode == 2
    assert p.stderr == f"awssim replay: {tmp_path / 'absent.json'}: No such file or directory\n"
    good = write(tmp_path, "g.json", scenario("g", [{"kind": "advance", "seconds": 1}]))
    blocker = tmp_path / "file"
    blocker.write_text("")
    p = replay(good, "--report", str(blocker / "rep"))
    assert p.returncode == 2 and p.stderr == f"awssim replay: cannot use --report {blocker / 'rep'}\n"
    # options after files (under ASan: nothing collected is leaked on the way out)
    assert replay(good, "--help").returncode == 0
    p = replay(good, "--jobs")
    assert p.returncode == 2 and p.stderr.startswith("awssim replay: unknown or incomplete option --jobs\n")
    p = replay(good, str(tmp_path / "absent.json"))
    assert p.returncode == 2 and "absent.json: No such file or directory" in p.stderr


def test_check_validates_without_running_and_duplicate_names_are_invalid(tmp_path):
    a = write(tmp_path, "a.json", scenario("same", [{"kind": "advance", "seconds": 1}]))
    p = replay(a, "--check")
    assert p.returncode == 0 and p.stdout.startswith("1 scenario file(s) valid\n")
    assert "not run (--check)" in p.stdout
    b = write(tmp_path, "b.json", scenario("same", [{"kind": "advance", "seconds": 2}]))
    p = replay(a, b, "--check")
    assert p.returncode == 2
    assert f'{b}:2: field "name": "same" is also the name of {a}' in p.stderr


def test_run_pending_notes_the_outcome_verbose_and_timeout(tmp_path):
    path = write(tmp_path, "p.json", scenario("pend", [{"kind": "advance", "seconds": 1}], status="pending",
                                              pendingReason="needs a part"))
    p = replay(path, "--run-pending", "--verbose", "--timeout", "60", "--report", str(tmp_path / "rep"))
    assert p.returncode == 0, p.stdout + p.stderr
    r = json.loads((tmp_path / "rep" / "results.json").read_text())[0]
    assert (r["status"], r["pendingOutcome"], r["pendingReason"]) == ("skipped", "passed", "needs a part")


def test_root_falls_back_to_the_working_directory(tmp_path):
    # a copy of the binary outside the checkout finds no scenarios/schema.json above itself
    exe = tmp_path / "bin" / "awssim"
    exe.parent.mkdir()
    shutil.copy(AWSSIM_BIN, exe)
    probe = ("import os, sys; sys.stdout.write(os.environ['AWSSIM_ROOT'])")
    path = write(tmp_path, "s.json", scenario("root", [
        {"kind": "run", "command": [os.path.join(ROOT, ".venv", "bin", "python"), "-c", probe],
         "outputContains": [str(tmp_path)]}]))
    env = {k: v for k, v in os.environ.items() if k != "AWSSIM_ROOT"}
    p = subprocess.run([str(exe), "replay", path], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                       env=env)
    assert p.returncode == 0, p.stdout + p.stderr


PY = os.path.join(ROOT, ".venv", "bin", "python")

CASES = [
    ("run-exit", [{"kind": "run", "command": ["sh", "-c", "echo out; exit 3"]}],
     "failed", "command sh exited 3, expected 0; log: "),
    ("run-output", [{"kind": "run", "command": ["echo", "hello"], "outputContains": ["goodbye"]}],
     "failed", 'command echo output does not contain "goodbye"; last output: hello'),
    ("run-output-ref", [{"kind": "run", "command": ["true"], "outputContains": [MISSING]}],
     "error", 'field "outputContains": '),
    ("run-env-ref", [{"kind": "run", "command": ["true"], "env": {"X": MISSING}}], "error", 'field "env": '),
    ("run-missing", [{"kind": "run", "command": ["/nonexistent/tool"]}],
     "failed", "command /nonexistent/tool exited 127, expected 0"),
    ("run-bad-cwd", [{"kind": "run", "command": ["true"], "cwd": "/nonexistent/dir"}],
     "failed", "cannot chdir to /nonexistent/dir"),
    ("deploy-none", [{"kind": "deploy"}], "error", 'field "program": a deploy step needs a program'),
    ("run-env", [{"kind": "run", "command": ["sh", "-c", "echo region=$AWS_REGION"], "env": {"AWS_REGION": "eu-west-1"},
                  "outputContains": ["region=eu-west-2"]}],
     "failed", "last output: region=eu-west-1"),
    ("aws-expected-error", [{"kind": "aws", "service": "sts", "operation": "GetCallerIdentity",
                             "expectError": "AccessDenied"}],
     "failed", "expected error AccessDenied, but the call succeeded"),
    ("aws-other-error", [{"kind": "aws", "service": "iam", "operation": "GetRole", "input": {"RoleName": "none"},
                          "expectError": "AccessDenied"}],
     "failed", "expected error AccessDenied, got NoSuchEntity: The role with name none cannot be found."),
    ("control-status", [{"kind": "control", "path": "nosuch"}], "failed", "control GET nosuch answered 404, expected 200"),
    ("control-body-ref", [{"kind": "control", "path": "clock", "body": {"advance": MISSING}}],
     "error", 'field "body": '),
    ("fault-refused", [{"kind": "fault", "action": "inject", "fault": {"service": "route53"}}],
     "failed", "fault inject refused (400): "),
    ("fault-ref", [{"kind": "fault", "action": "inject", "fault": {"service": "route53", "ip": MISSING}}],
     "error", 'field "fault": '),
    ("fault-clear-id-ref", [{"kind": "fault", "action": "clear", "id": MISSING}], "error", 'field "id": '),
    ("fail-when", [{"kind": "expect", "call": {"service": "sts", "operation": "GetCallerIdentity"},
                    "assert": [{"path": "$.Account", "equals": "999999999999"}],
                    "failWhen": [{"path": "$.Account", "equals": A}], "within": 600}],
     "failed", f'stopped waiting: $.Account is "{A}"'),
    ("fail-when-ref", [{"kind": "expect", "call": {"service": "sts", "operation": "GetCallerIdentity"},
                        "assert": [{"path": "$.Account", "exists": True}], "failWhen": [{"path": "$.x", "equals": MISSING}]}],
     "error", 'field "failWhen": '),
    ("control-path-ref", [{"kind": "expect", "control": {"path": MISSING}, "assert": [{"path": "$.x", "exists": True}]}],
     "error", "steps.first.nosuch"),
]


def test_step_failure_messages(tmp_path):
    for name, steps, _, _ in CASES:
        write(tmp_path, f"{name}.json", scenario(name, [FIRST] + steps + [{"kind": "advance", "seconds": 1}]))
    rep = tmp_path / "rep"
    p = replay(str(tmp_path), "--jobs", "2", "--report", str(rep))
    assert p.returncode == 1, p.stdout + p.stderr
    for name, _, status, message in CASES:
        r = result(rep, name)
        step = r["steps"][1]
        assert step["status"] == status, (name, step)
        assert message in step["message"], (name, step["message"])
        assert r["steps"][2]["status"] == "skipped", name


def test_fault_clear_by_service_and_id_and_extra_credentials(tmp_path):
    creds = [{"accessKeyId": "AKIAREPLAYEXAMPLE001", "secretAccessKey": "s3cret", "account": A, "userName": "ops"}]
    path = write(tmp_path, "s.json", scenario("faults", [
        {"kind": "fault", "name": "f", "action": "inject", "fault": {"service": "route53", "ip": "192.0.2.1"}},
        {"kind": "fault", "name": "g", "action": "inject", "fault": {"service": "route53", "ip": "192.0.2.2"}},
        {"kind": "fault", "action": "clear", "service": "route53", "id": "${steps.f.id}"},
        {"kind": "fault", "action": "clear", "id": "999"},  # an unknown id clears nothing
        {"kind": "expect", "control": {"path": "faults"}, "assert": [
            {"path": "$.route53.length()", "equals": 1}, {"path": "$.route53[0].ip", "equals": "192.0.2.2"}]},
        {"kind": "run", "command": [PY, "-c", (
            "import boto3, os; print(boto3.client('sts', endpoint_url=os.environ['AWS_ENDPOINT_URL'], "
            "region_name='us-east-1', aws_access_key_id='AKIAREPLAYEXAMPLE001', "
            "aws_secret_access_key='s3cret').get_caller_identity()['Arn'])")],
         "outputContains": [f"arn:aws:iam::{A}:user/ops"]},
    ], awssim={"accounts": creds}))
    p = replay(path, "--report", str(tmp_path / "rep"))
    assert p.returncode == 0, p.stdout + json.dumps(result(tmp_path / "rep", "faults"), indent=1)


EXPECT_CALL = {"kind": "expect", "call": {"service": "sts", "operation": "GetCallerIdentity"},
               "assert": [{"path": "$.Account", "exists": True}]}

INVALID = [
    (dict(scenario("v", [{"kind": "advance", "seconds": 1}]), description="too short"),
     ':3: field "description": shorter than 20 characters'),
    (dict(scenario("v", [{"kind": "advance", "seconds": 1}]), seed=-1), ': field "seed": must be >= 0'),
    (scenario("v", []), ': field "steps": needs at least 1 item(s)'),
    (scenario("v", [dict(EXPECT_CALL, **{"assert": [{"path": "$.a", "exists": True, "equals": 1}]})]),
     'step 1 (expect): field "steps[0].assert[0]": an assertion needs exactly one of equals, notEquals'),
    (scenario("v", [dict(EXPECT_CALL, of="earlier")]),
     'step 1 (expect): field "steps[0]": an expect step needs exactly one of "of", "call", "control"'),
    (scenario("v", [{"kind": "expect", "of": "later", "assert": [{"path": "$.a", "exists": True}]},
                    {"kind": "advance", "name": "later", "seconds": 1}]),
     'step 1 (expect): field "steps[0].of": "of": no earlier step is named "later"'),
    (scenario("v", [{"kind": "expect", "of": "outputs", "assert": [{"path": "$.a", "exists": True}]}]),
     'step 1 (expect): field "steps[0].of": "of": "outputs" needs an earlier deploy step'),
    (scenario("v", [dict(EXPECT_CALL, failWhen=[{"path": "$.[[", "exists": True}])]),
     'step 1 (expect): field "steps[0].failWhen[0].path": bad JSONPath $.[['),
]


@pytest.mark.parametrize("doc, message", INVALID)
def test_invalid_scenarios_name_file_line_and_field(tmp_path, doc, message):
    path = write(tmp_path, "v.json", doc)
    p = replay(path, "--check")
    assert p.returncode == 2
    assert p.stderr.startswith("awssim replay: invalid scenario: " + path), p.stderr
    assert message in p.stderr, p.stderr


def test_deploy_errors_and_bad_start(tmp_path):
    root = fake_root(tmp_path, "echo deployed but wrote nothing\n")
    write(tmp_path, "a.json", dict(scenario("no-outputs", [{"kind": "deploy"}]), program="python"))
    write(tmp_path, "b.json", dict(scenario("config-ref", [FIRST, {"kind": "deploy", "config": {"x": MISSING}}]),
                                   program="python"))
    write(tmp_path, "c.json", scenario("bad-start", [{"kind": "advance", "seconds": 1}], start="2026-13-45T99"))
    rep = tmp_path / "rep"
    p = replay(str(tmp_path / "a.json"), str(tmp_path / "b.json"), str(tmp_path / "c.json"), "--report", str(rep),
               env={"AWSSIM_ROOT": str(root)})
    assert p.returncode == 1
    msg = result(rep, "no-outputs")["steps"][0]["message"]
    assert msg.startswith("deploy exited 0 but wrote no outputs to ") and msg.endswith("flat-outputs.json")
    step = result(rep, "config-ref")["steps"][1]
    assert step["status"] == "error" and step["message"].startswith('field "config.x": ')
    r = result(rep, "bad-start")
    assert (r["status"], r["message"]) == ("error", 'field "start": not an ISO-8601 time: 2026-13-45T99')


def test_runner_killed_mid_step_is_reported(tmp_path):
    path = write(tmp_path, "s.json", scenario("killed", [
        {"kind": "run", "name": "suicide", "command": ["sh", "-c", "kill -KILL $PPID; sleep 5"]}]))
    p = replay(path, "--report", str(tmp_path / "rep"))
    assert p.returncode == 1
    assert "[killed] ERROR: the runner crashed (signal 9) in step 1/1 run sh -c kill -KILL $PPID; sleep 5 suicide" \
        in p.stdout, p.stdout
