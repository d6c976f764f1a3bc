"""Integration tests of a deployed stack: outputs from cfn-outputs/flat-outputs.json (written by a
scenario's deploy), resources queried in awssim (AWS_ENDPOINT_URL). Skipped when either is absent."""

import json
import os

import pytest

from tests.integration import checks

HERE = os.path.dirname(os.path.abspath(__file__))
CANDIDATES = [os.environ.get("FLAT_OUTPUTS", ""), os.path.join(os.getcwd(), "cfn-outputs", "flat-outputs.json"),
              os.path.join(HERE, "..", "..", "..", "..", "cfn-outputs", "flat-outputs.json")]


@pytest.fixture(scope="module")
def outputs():
    path = next((p for p in CANDIDATES if p and os.path.exists(p)), None)
    if path is None:
        pytest.skip("cfn-outputs/flat-outputs.json not found: no deployed stack to test")
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if "migrationStateMachineArn" not in data:
        pytest.skip(f"{path} holds outputs of another stack")
    return data


@pytest.fixture(scope="module")
def endpoint(outputs):
    url = os.environ.get("AWS_ENDPOINT_URL")
    if not url:
        pytest.skip("AWS_ENDPOINT_URL not set: cannot reach the deployment")
    return url


def test_required_outputs(outputs):
    for key in ("migrationStateMachineArn", "apiGatewayEndpoint", "dashboardUrl", "environmentSuffix"):
        assert outputs[key]
    assert outputs["environmentSuffix"] in outputs["migrationStateMachineArn"]


def test_state_machine(outputs, endpoint):
    checks.check_state_machine(outputs, endpoint)


def test_replication(outputs, endpoint):
    checks.check_replication(outputs, endpoint)


def test_routing(outputs, endpoint):
    checks.check_routing(outputs, endpoint)


def test_registry(outputs, endpoint):
    checks.check_registry(outputs, endpoint)
