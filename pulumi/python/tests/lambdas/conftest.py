import boto3
import pytest
from botocore.stub import Stubber

from payment_lambdas import authorizer, common


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    common.reset_clients()
    authorizer.clear_cache()
    yield
    common.reset_clients()


@pytest.fixture
def stubbed():
    """stubbed('s3') -> (client, Stubber) already activated; all asserted at teardown."""
    stubs = []

    def make(service):
        client = boto3.client(service, region_name="eu-central-1")
        stub = Stubber(client)
        stub.activate()
        stubs.append(stub)
        return client, stub

    yield make
    for s in stubs:
        s.assert_no_pending_responses()
