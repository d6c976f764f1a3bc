"""Shared fixtures for awssim's real-client integration tests.

`awssim` starts a private server (virtual clock, seed 1, port 0) per test and gives:
  .url                         the endpoint
  .client(service, account=, region=, creds=)   a boto3 client signed as that account
                               (access key = the 12-digit account id) or with issued credentials
  .cli(*args, account=, region=, creds=, check=)  runs the AWS CLI (--output json) -> CliResult
  .control(method, path, body=None)             awssim's /_awssim/ control API -> (status, json)
  .advance(seconds)                             moves the virtual clock
`awssim_factory(**options)` starts one with extra `serve` options, e.g. auth="strict".
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import boto3
import pytest
from botocore.config import Config

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AWSSIM_BIN = os.environ.get("AWSSIM_BIN", os.path.join(ROOT, "build", "release", "awssim"))
AWS_CLI = os.path.join(os.path.dirname(sys.executable), "aws")
DEFAULT_ACCOUNT = "123456789012"


@dataclass
class CliResult:
    rc: int
    stdout: str
    stderr: str

    @property
    def json(self):
        return json.loads(self.stdout) if self.stdout.strip() else {}


class Awssim:
    def __init__(self, **options):
        self.tmp = tempfile.mkdtemp(prefix="awssim-test-")
        ready = os.path.join(self.tmp, "ready")
        args = [AWSSIM_BIN, "serve", "--port", "0", "--ready-file", ready, "--seed", "1",
                "--log-level", "warn"]
        for key, value in options.items():
            args += ["--" + key.replace("_", "-"), str(value)]
        self.log = open(os.path.join(self.tmp, "server.log"), "w+")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + float(os.environ.get("AWSSIM_START_TIMEOUT", "10"))  # valgrind: more
        while not os.path.exists(ready):
            if self.proc.poll() is not None or time.time() > deadline:
                self.log.seek(0)
                raise RuntimeError("awssim did not start: " + self.log.read())
            time.sleep(0.005)
        with open(ready) as f:
            self.url = f.read().strip()

    def stop(self):
        """Stop the server; a clean stop (SIGTERM, exit 0) is not a crash. Any other exit status at
        SIGTERM fails: a sanitizer or valgrind report at exit (leaks are only checked then), a crash
        while shutting down, or no exit within AWSSIM_STOP_TIMEOUT seconds."""
        self.stopped = self.proc.poll() is None
        if self.stopped:
            self.proc.terminate()
            try:
                self.proc.wait(float(os.environ.get("AWSSIM_STOP_TIMEOUT", "30")))
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        if self.stopped and self.proc.returncode != 0:
            with open(self.log.name, errors="replace") as f:
                tail = f.read()[-3000:]
            raise AssertionError(f"awssim exited {self.proc.returncode} at SIGTERM (not 0); log tail:\n{tail}")

    def bugs(self):
        """Lines where the server reported an internal invariant broken (e.g. a read that wrote)."""
        with open(self.log.name, errors="replace") as f:
            return [line for line in f if "BUG:" in line]

    def cleanup(self):
        """Remove the server's scratch directory (kept when a test failed, for its log)."""
        shutil.rmtree(self.tmp, ignore_errors=True)

    def alive(self):
        if getattr(self, "stopped", False):
            return self.proc.returncode == 0
        return self.proc.poll() is None

    def _creds(self, account, creds):
        if creds:
            return dict(aws_access_key_id=creds["AccessKeyId"],
                        aws_secret_access_key=creds["SecretAccessKey"],
                        aws_session_token=creds.get("SessionToken"))
        return dict(aws_access_key_id=account, aws_secret_access_key="test")

    def client(self, service, account=DEFAULT_ACCOUNT, region="us-east-1", creds=None, read_timeout=60):
        return boto3.client(service, endpoint_url=self.url, region_name=region,
                            config=Config(retries={"max_attempts": 1}, parameter_validation=False,
                                          read_timeout=read_timeout), **self._creds(account, creds))

    def cli(self, *args, account=DEFAULT_ACCOUNT, region="us-east-1", creds=None, check=False):
        env = dict(os.environ)
        c = self._creds(account, creds)
        env.update(AWS_ACCESS_KEY_ID=c["aws_access_key_id"], AWS_SECRET_ACCESS_KEY=c["aws_secret_access_key"],
                   AWS_DEFAULT_REGION=region, AWS_MAX_ATTEMPTS="1", AWS_PAGER="")
        env.pop("AWS_PROFILE", None)
        if c.get("aws_session_token"):
            env["AWS_SESSION_TOKEN"] = c["aws_session_token"]
        else:
            env.pop("AWS_SESSION_TOKEN", None)
        p = subprocess.run([AWS_CLI, "--endpoint-url", self.url, "--output", "json", *args],
                           env=env, capture_output=True, text=True, timeout=60)
        result = CliResult(p.returncode, p.stdout, p.stderr)
        if check and p.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed: {p.stderr}")
        return result

    def control(self, method, path, body=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url + "/_awssim/" + path.lstrip("/"), data=data, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}")

    def advance(self, seconds):
        status, body = self.control("POST", "clock", {"advance": seconds})
        assert status == 200, body
        return body

    def raw(self, method, path, body=b"", headers=None):
        """A raw HTTP request (for malformed-input tests): returns (status, headers, body bytes)."""
        req = urllib.request.Request(self.url + path, data=body if method != "GET" else None, method=method,
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()


@pytest.fixture
def awssim():
    sim = Awssim()
    yield sim
    alive = sim.alive()
    sim.stop()
    assert alive, "awssim exited during the test"
    assert not sim.bugs(), sim.bugs()
    sim.cleanup()


@pytest.fixture
def awssim_factory():
    started = []

    def start(**options):
        sim = Awssim(**options)
        started.append(sim)
        return sim

    yield start
    failures = []
    for sim in started:
        alive = sim.alive()
        try:
            if not getattr(sim, "stopped", False):
                sim.stop()
        except AssertionError as err:  # stop the others first
            failures.append(str(err))
        if not alive:
            failures.append("awssim exited during the test")
        failures += sim.bugs()
    assert not failures, "\n".join(failures)
    for sim in started:
        sim.cleanup()
