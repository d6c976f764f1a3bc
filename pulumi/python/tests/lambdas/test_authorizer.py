import json

import pytest
from botocore.exceptions import ClientError

from payment_lambdas import authorizer

ARN = "arn:aws:execute-api:eu-central-1:123456789012:abc/live/GET/payments/x"


def secrets(stubbed, current="tok-1", pending=None, pending_error="ResourceNotFoundException"):
    sm, st = stubbed("secretsmanager")
    st.add_response("get_secret_value", {"SecretString": json.dumps({"token": current})},
                    {"SecretId": "arn:s", "VersionStage": "AWSCURRENT"})
    if pending:
        st.add_response("get_secret_value", {"SecretString": json.dumps({"token": pending})},
                        {"SecretId": "arn:s", "VersionStage": "AWSPENDING"})
    else:
        st.add_client_error("get_secret_value", pending_error, "no pending")
    return sm


@pytest.fixture(autouse=True)
def _secret_env(monkeypatch):
    monkeypatch.setenv("API_SECRET_ARN", "arn:s")


def test_allows_current_token_for_the_whole_stage(stubbed):
    sm = secrets(stubbed)
    out = authorizer.handler({"authorizationToken": "Bearer tok-1", "methodArn": ARN}, None, sm)
    st = out["policyDocument"]["Statement"][0]
    assert st["Effect"] == "Allow" and st["Resource"] == "arn:aws:execute-api:eu-central-1:123456789012:abc/live/*"
    assert out["context"] == {"authorizedBy": "payment-migration"}
    # cached: no further Secrets Manager call
    assert authorizer.handler({"authorizationToken": "Bearer tok-1", "methodArn": ARN}, None, sm)[
        "principalId"] == "payments-client"


def test_pending_token_accepted_during_rotation(stubbed):
    sm = secrets(stubbed, pending="tok-2")
    out = authorizer.handler({"authorizationToken": "Bearer tok-2", "methodArn": ARN}, None, sm)
    assert out["policyDocument"]["Statement"][0]["Effect"] == "Allow"


@pytest.mark.parametrize("header", ["Bearer wrong", "Basic tok-1", "", "Bearer "])
def test_denies_bad_tokens(stubbed, header):
    sm = secrets(stubbed) if header == "Bearer wrong" else None
    out = authorizer.handler({"authorizationToken": header, "methodArn": ARN}, None, sm or object())
    assert out["policyDocument"]["Statement"][0]["Effect"] == "Deny" and "context" not in out


def test_other_errors_propagate(stubbed):
    sm = secrets(stubbed, pending_error="AccessDeniedException")
    with pytest.raises(ClientError):
        authorizer.handler({"authorizationToken": "Bearer x", "methodArn": ARN}, None, sm)


def test_default_client(monkeypatch):
    monkeypatch.setattr(authorizer, "_tokens", lambda sm, arn: ("abc",))
    out = authorizer.handler({"authorizationToken": "Bearer abc", "methodArn": ARN}, None)
    assert out["policyDocument"]["Statement"][0]["Effect"] == "Allow"


def test_cache_expires():
    clock = iter([1000.0, 1000.0])
    authorizer._cache.update(at=0.0, tokens=("old",))

    class SM:
        def get_secret_value(self, SecretId, VersionStage):
            if VersionStage == "AWSPENDING":
                raise ClientError({"Error": {"Code": "ResourceNotFoundException"}}, "GetSecretValue")
            return {"SecretString": json.dumps({"token": "new"})}

    assert authorizer._tokens(SM(), "arn", clock=lambda: next(clock)) == ("new",)
