"""`awssim replay` from the command line: exit status, JUnit and HTML report, pending scenarios,
--filter/--jobs, byte-identical results, fail-fast on invalid files (file, line, step, field),
timeouts of hung steps and whole scenarios, crashing programs, run steps reaching the sim, and the
CI gate writing its report even when a scenario fails."""
import json
import os
import stat
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

from conftest import AWSSIM_BIN, ROOT

DESC = "a scenario written by the integration tests of the replay runner"


def scenario(name, steps, **extra):
    doc = {"name": name, "description": DESC, "program": "none", "steps": steps}
    doc.update(extra)
    return doc


def write(dirpath, fname, doc):
    path = os.path.join(dirpath, fname)
    with open(path, "w") as fh:
        fh.write(doc if isinstance(doc, str) else json.dumps(doc, indent=2))
    return path


def replay(*args, env=None, timeout=120):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([AWSSIM_BIN, "replay", *args], capture_output=True, text=True, timeout=timeout, env=e)


HEALTH = [
    {"kind": "aws", "name": "hc", "service": "route53", "operation": "CreateHealthCheck",
     "input": {"CallerReference": "h1", "HealthCheckConfig": {"Type": "HTTPS", "FullyQualifiedDomainName": "new.example.com",
                                                              "RequestInterval": 10, "FailureThreshold": 3}}},
    {"kind": "advance", "seconds": 60},
    {"kind": "fault", "action": "inject", "fault": {"service": "route53", "healthCheckId": "${steps.hc.HealthCheck.Id}"}},
    {"kind": "expect", "name": "st", "call": {"service": "route53", "operation": "GetHealthCheckStatus",
                                              "input": {"HealthCheckId": "${steps.hc.HealthCheck.Id}"}},
     "assert": [{"path": "$.HealthCheckObservations[0].StatusReport.Status", "matches": "^Failure"}], "within": 120},
]


def test_pass_fail_pending_junit_report_and_exit_status(tmp_path):
    d = tmp_path / "sc"
    d.mkdir()
    write(d, "a-pass.json", scenario("a-pass", HEALTH))
    write(d, "b-fail.json", scenario("b-fail", [{"kind": "expect", "call": {"service": "sts", "operation": "GetCallerIdentity"},
                                                 "assert": [{"path": "$.Account", "equals": "999999999999"}]}]))
    write(d, "c-pending.json", scenario("c-pending", [{"kind": "advance", "seconds": 1}], status="pending",
                                        pendingReason="waiting for a service"))
    rep = tmp_path / "rep"
    p = replay(str(d), "--jobs", "2", "--junit", str(tmp_path / "j.xml"), "--report", str(rep))
    assert p.returncode == 1, p.stdout + p.stderr
    assert "[a-pass] [4/4] expect route53 GetHealthCheckStatus within 120s st … ok" in p.stdout
    assert "1 passed, 1 failed, 1 skipped" in p.stdout
    suite = ET.parse(tmp_path / "j.xml").getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")
    failure = [c for c in suite if c.get("name") == "b-fail"][0].find("failure")
    assert 'actual "111111111111"' in failure.get("message")
    html = (rep / "index.html").read_text()
    assert 'id="s-c-pending"' in html and "waiting for a service" in html
    results = json.loads((rep / "results.json").read_text())
    assert [r["status"] for r in results] == ["passed", "failed", "skipped"]
    # --filter keeps the passing one only: exit 0
    p = replay(str(d), "--filter", "a-pass")
    assert p.returncode == 0, p.stdout
    assert "1 passed, 0 failed, 0 skipped" in p.stdout


def test_replaying_twice_gives_byte_identical_results(tmp_path):
    path = write(tmp_path, "s.json", scenario("twice", HEALTH + [{"kind": "advance", "seconds": 300}]))
    for out in ("r1", "r2"):
        assert replay(path, "--report", str(tmp_path / out)).returncode == 0
    a = (tmp_path / "r1" / "results" / "twice.json").read_bytes()
    b = (tmp_path / "r2" / "results" / "twice.json").read_bytes()
    assert a == b
    assert (tmp_path / "r1" / "index.html").read_bytes() == (tmp_path / "r2" / "index.html").read_bytes()


@pytest.mark.parametrize("body,where", [
    ('{"name":"x","description":"' + DESC + '","program":"none","steps":[\n{"kind":"advance","seconds":1},\n'
     '{"kind":"teleport","name":"jump"}]}', ':3: step 2 "jump" (teleport): field "steps[1].kind": "teleport" is not one of'),
    ('{"name":"x","description":"' + DESC + '","program":"none","steps":[\n{"kind":"expect","name":"e",\n'
     '"call":{"service":"sts","operation":"GetCallerIdentity"},\n"assert":[{"path":"$.a[?(","equals":1}]}]}',
     ':4: step 1 "e" (expect): field "steps[0].assert[0].path": bad JSONPath'),
    ('{"name":"x","description":"' + DESC + '","program":"none","steps":[\n{"kind":"aws","service":"iam",\n'
     '"operation":"GetRole","input":{"RoleName":"${steps.nope.Role}"}}]}',
     ':3: step 1 (aws): field "steps[0].input": undefined variable ${steps.nope.Role}'),
    ('{"name":"x","description":"' + DESC + '","program":"none","steps":[\n{"kind":"advance"}]}',
     ':2: step 1 (advance): field "steps[0]": required field "seconds" is missing'),
])
def test_invalid_files_fail_fast_naming_file_line_step_field(tmp_path, body, where):
    good = write(tmp_path, "good.json", scenario("good", [{"kind": "advance", "seconds": 1}]))
    bad = write(tmp_path, "bad.json", body)
    p = replay(good, bad, "--report", str(tmp_path / "rep"), "--junit", str(tmp_path / "j.xml"))
    assert p.returncode == 2
    assert bad + where in p.stderr, p.stderr
    assert "== good" not in p.stdout, "nothing runs when a file is invalid"
    suite = ET.parse(tmp_path / "j.xml").getroot().find("testsuite")
    assert suite.get("errors") == "1"
    assert (tmp_path / "rep" / "index.html").exists()


def test_hung_step_times_out_with_a_clear_message(tmp_path):
    path = write(tmp_path, "s.json", scenario("hung", [
        {"kind": "run", "name": "sleeper", "command": ["sleep", "30"], "timeout": 1},
        {"kind": "advance", "seconds": 1}]))
    t0 = time.time()
    p = replay(path, "--report", str(tmp_path / "rep"))
    assert time.time() - t0 < 15
    assert p.returncode == 1
    r = json.loads((tmp_path / "rep" / "results" / "hung.json").read_text())
    assert r["status"] == "error"
    assert "command sleep timed out after 1 s (wall clock)" in r["steps"][0]["message"]
    assert r["steps"][1]["status"] == "skipped"


def test_scenario_timeout_names_the_step_it_hung_in(tmp_path):
    path = write(tmp_path, "s.json", scenario("slow", [
        {"kind": "advance", "seconds": 10},
        {"kind": "run", "name": "forever", "command": ["sleep", "60"], "timeout": 120}], timeout=2))
    t0 = time.time()
    p = replay(path, "--report", str(tmp_path / "rep"), "--junit", str(tmp_path / "j.xml"))
    assert time.time() - t0 < 15
    assert p.returncode == 1
    assert "timed out after 2 s (wall clock) in step 2/2 run sleep 60 forever" in p.stdout
    assert ET.parse(tmp_path / "j.xml").getroot().find("testsuite").get("errors") == "1"


def fake_root(tmp_path, python_body):
    root = tmp_path / "root"
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / "mocks" / "python").mkdir(parents=True)
    (root / "pulumi" / "python").mkdir(parents=True)
    py = root / ".venv" / "bin" / "python"
    py.write_text("#!/bin/sh\n" + python_body)
    py.chmod(py.stat().st_mode | stat.S_IEXEC)
    return root


def test_crashing_program_is_reported(tmp_path):
    root = fake_root(tmp_path, 'echo "starting deploy"\nkill -SEGV $$\n')
    path = write(tmp_path, "s.json", dict(scenario("crash", [{"kind": "deploy", "name": "deploy"}]), program="python"))
    p = replay(path, "--report", str(tmp_path / "rep"), env={"AWSSIM_ROOT": str(root)})
    assert p.returncode == 1
    msg = json.loads((tmp_path / "rep" / "results" / "crash.json").read_text())["steps"][0]["message"]
    assert "deploy (python program) crashed (killed by signal 11" in msg
    assert "starting deploy" in msg


def test_hung_program_times_out(tmp_path):
    root = fake_root(tmp_path, "exec sleep 60\n")
    path = write(tmp_path, "s.json", dict(scenario("hang", [{"kind": "deploy", "name": "deploy", "timeout": 1}]),
                                          program="python"))
    p = replay(path, "--report", str(tmp_path / "rep"), env={"AWSSIM_ROOT": str(root)})
    assert p.returncode == 1
    msg = json.loads((tmp_path / "rep" / "results" / "hang.json").read_text())["steps"][0]["message"]
    assert "deploy (python program) timed out after 1 s" in msg


def test_deploy_passes_config_and_reads_flat_outputs(tmp_path):
    # a stand-in program entry point: records its arguments and writes flat outputs
    root = fake_root(tmp_path, 'out=""; prev=""\nfor a in "$@"; do [ "$prev" = "--outputs" ] && out=$a; prev=$a; done\n'
                               'echo "$@" > "$AWSSIM_WORKDIR/args.txt"\n'
                               'mkdir -p "$(dirname "$out")"\n'
                               'printf \'{"zoneName": "a.example.com", "arns": "{\\\\"prod\\\\": \\\\"arn:p\\\\"}"}\' > "$out"\n')
    path = write(tmp_path, "s.json", dict(scenario("dep", [
        {"kind": "deploy", "name": "deploy", "config": {"flag": True}},
        {"kind": "expect", "of": "outputs", "assert": [{"path": "$.zoneName", "equals": "a.example.com"}]},
        {"kind": "aws", "name": "z", "service": "route53", "operation": "CreateHostedZone",
         "input": {"Name": "${outputs.zoneName}", "CallerReference": "${outputs.arns.prod}"}},
        {"kind": "expect", "of": "z", "assert": [{"path": "$.HostedZone.Name", "equals": "a.example.com."}]},
    ]), program="python", stack="s1", config={"environmentSuffix": "pr1"}))
    p = replay(path, "--report", str(tmp_path / "rep"), env={"AWSSIM_ROOT": str(root)})
    assert p.returncode == 0, p.stdout
    args = (tmp_path / "rep" / "work" / "dep" / "args.txt").read_text()
    assert "-m awssim_mock.deploy --program " + str(root / "pulumi" / "python") in args
    assert "--stack s1" in args and "--config environmentSuffix=pr1" in args and "--config flag=true" in args
    assert "--endpoint http://127.0.0.1:" in args


def test_run_step_reaches_this_scenarios_sim(tmp_path):
    code = ("import os, urllib.request; "
            "print(urllib.request.urlopen(os.environ['AWS_ENDPOINT_URL'] + '/_awssim/clock').read().decode())")
    path = write(tmp_path, "s.json", scenario("reach", [
        {"kind": "advance", "seconds": 3600},
        {"kind": "run", "name": "probe", "command": [os.path.join(ROOT, ".venv", "bin", "python"), "-c", code],
         "outputContains": ['"now":"2026-01-01T01:00:00.000Z"']}]))
    p = replay(path)
    assert p.returncode == 0, p.stdout


def test_gate_writes_its_report_when_a_scenario_fails(tmp_path):
    d = tmp_path / "sc"
    d.mkdir()
    write(d, "f.json", scenario("gate-fail", [{"kind": "expect", "call": {"service": "sts", "operation": "GetCallerIdentity"},
                                               "assert": [{"path": "$.Account", "equals": "0"}]}]))
    rep = tmp_path / "rep"
    env = dict(os.environ, AWSSIM_BIN=AWSSIM_BIN, SCENARIOS=str(d), REPORT_DIR=str(rep))
    p = subprocess.run([os.path.join(ROOT, "ci", "dry-run-gate.sh")], capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode != 0
    assert (rep / "index.html").exists() and (rep / "junit.xml").exists()
    assert "gate-fail" in p.stdout and "dry-run gate summary" in p.stdout
