"""Shared live fixture: awssim started once, the whole program deployed into it in mock mode
through mocks/python's bridge, and a snapshot taken right after the deployment so every test
can start from the freshly deployed state (`fresh`)."""

import json
import os
import sys
import urllib.request

import pytest

from tests.awssim_server import MOCKS, start_awssim, stop_awssim

PROGRAM = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUFFIX = "live1"
SECRETS = {
    f"payment-migration/{SUFFIX}/aurora-master": {"username": "payments_admin", "password": "Aurora-Pa55",
                                                  "engine": "postgres", "host": "aurora", "port": 5432},
    f"payment-migration/{SUFFIX}/onprem-db": {"username": "legacy", "password": "Legacy-Pa55", "host": "onprem"},
    f"payment-migration/{SUFFIX}/api-authorizer": {"token": "tok"},
}


@pytest.fixture(scope="session")
def deployed(tmp_path_factory):
    proc, url, log = start_awssim()
    if MOCKS not in sys.path:
        sys.path.insert(0, MOCKS)
    from awssim_mock import deploy

    out = tmp_path_factory.mktemp("deploy") / "cfn-outputs" / "flat-outputs.json"
    args = ["--program", PROGRAM, "--endpoint", url, "--stack", SUFFIX, "--config", f"environmentSuffix={SUFFIX}",
            "--config", "newSystemTrafficPercent=20", "--outputs", str(out)]
    for name, value in SECRETS.items():
        args += ["--secret", f"{name}={json.dumps(value)}"]
    rc = deploy.main(args)
    assert rc == 0
    snap = str(tmp_path_factory.mktemp("snap") / "deployed.db")
    control(url, "snapshot", {"path": snap})
    yield url, json.loads(out.read_text()), snap
    stop_awssim(proc, log)


def control(url, path, body):
    req = urllib.request.Request(f"{url}/_awssim/{path}", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read())


@pytest.fixture
def fresh(deployed):
    """Restore the state right after the deployment."""
    control(deployed[0], "restore", {"path": deployed[2]})
    return deployed


