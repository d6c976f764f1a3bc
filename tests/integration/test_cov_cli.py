"""awssim's own command line (README "Running awssim"): the subcommands, every `serve` option's
accepted values, and the exit status 2 with a one-line message (and the usage on stderr where the
command itself is wrong) for everything else."""
import json
import subprocess

import pytest

from conftest import AWSSIM_BIN

USAGE_HEAD = "usage: awssim serve [--host 127.0.0.1] [--port 4566] [--state :memory:|PATH]"


def run(*args, timeout=10):
    return subprocess.run([AWSSIM_BIN, *args], capture_output=True, text=True, timeout=timeout)


def test_no_arguments_prints_usage_and_fails():
    p = run()
    assert p.returncode == 2
    assert p.stdout == ""
    assert p.stderr.startswith(USAGE_HEAD)
    assert "awssim replay FILE|DIR... [--junit PATH] [--report DIR] [--filter TEXT] [--jobs N]" in p.stderr


@pytest.mark.parametrize("arg", ["--help", "help"])
def test_help_prints_usage_on_stdout(arg):
    p = run(arg)
    assert p.returncode == 0
    assert p.stdout.startswith(USAGE_HEAD) and "awssim version" in p.stdout
    assert p.stderr == ""


@pytest.mark.parametrize("arg", ["version", "--version"])
def test_version(arg, awssim):
    p = run(arg)
    assert p.returncode == 0
    _, health = awssim.control("GET", "health")
    assert p.stdout == f"awssim {health['version']}\n"


def test_unknown_command_prints_usage():
    p = run("frobnicate")
    assert p.returncode == 2
    assert p.stderr.startswith(USAGE_HEAD)


@pytest.mark.parametrize("args, message", [
    (["--clock", "wall"], "awssim: --clock must be real or virtual\n"),
    (["--auth", "paranoid"], "awssim: --auth must be lenient or strict\n"),
    (["--log-level", "trace"], "awssim: unknown --log-level trace\n"),
    (["--port", "70000"], "awssim: --port out of range\n"),
    (["--start", "yesterday"], "awssim: --start must be ISO-8601, got yesterday\n"),
    (["--request-log", "-1"], "awssim: --request-log must be 0..10000000 calls\n"),
    (["--request-log", "10x"], "awssim: --request-log must be 0..10000000 calls\n"),
    (["--request-log", "x"], "awssim: --request-log must be 0..10000000 calls\n"),
    (["--request-log", "10000001"], "awssim: --request-log must be 0..10000000 calls\n"),
    (["--long-poll-seconds", "61"], "awssim: --long-poll-seconds must be 0..60\n"),
    (["--threads", "0"], "awssim: --threads must be 1..64\n"),
    (["--threads", "x"], "awssim: --threads must be 1..64\n"),
    (["--threads", "65"], "awssim: --threads must be 1..64\n"),
])
def test_bad_option_values(args, message):
    p = run("serve", "--port", "0", *args)
    assert p.returncode == 2
    assert p.stderr == message


@pytest.mark.parametrize("args", [["--bogus"], ["--seed"], ["--port", "0", "--state"]])
def test_unknown_or_incomplete_option(args):
    p = run("serve", *args)
    assert p.returncode == 2
    first, rest = p.stderr.split("\n", 1)
    assert first == f"awssim: unknown or incomplete option {args[-1]}"
    assert rest.startswith(USAGE_HEAD)


def test_unreadable_accounts_file(tmp_path):
    missing = tmp_path / "nope.json"
    p = run("serve", "--port", "0", "--accounts", str(missing))
    assert p.returncode == 2
    assert p.stderr == f"awssim: cannot open {missing}\n"


@pytest.mark.parametrize("content", [None, "not json", "[1, 2]"])
def test_mock_config_must_be_a_json_object(tmp_path, content):
    path = tmp_path / "mock.json"
    if content is not None:
        path.write_text(content)
    p = run("serve", "--port", "0", "--sfn-mock-config", str(path))
    assert p.returncode == 2
    assert p.stderr == f"awssim: --sfn-mock-config {path} is not a JSON object\n"


def test_every_serve_option_accepted(awssim_factory, tmp_path):
    mock = {"StateMachines": {}, "MockedResponses": {"R": {"0": {"Return": {"ok": True}}}}}
    path = tmp_path / "mock.json"
    path.write_text(json.dumps(mock))
    sim = awssim_factory(host="127.0.0.1", clock="virtual", auth="lenient", sfn_mock_config=str(path),
                         start="2026-03-01T12:00:00Z", state=":memory:", request_log=5, long_poll_seconds=0)
    assert sim.url.startswith("http://127.0.0.1:")
    status, health = sim.control("GET", "health")
    assert status == 200
    assert health["auth"] == "lenient"
    assert health["clock"]["now"].startswith("2026-03-01T12:00:00")
    status, body = sim.control("GET", "sfn/mock-config")
    assert status == 200 and body == mock
    # --request-log 5: the call log keeps the last five calls
    sts = sim.client("sts")
    for _ in range(7):
        sts.get_caller_identity()
    status, log = sim.control("GET", "requests")
    assert status == 200 and len(log["requests"]) == 5
