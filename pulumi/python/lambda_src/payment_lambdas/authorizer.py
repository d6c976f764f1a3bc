"""API Gateway custom (TOKEN) authorizer for the transition period.

The caller presents `Authorization: Bearer <token>`; the token is compared in constant time with
the current and (during rotation) pending value of the API authorizer secret in Secrets Manager.
Allowed callers get an IAM policy for the whole stage (so the cached decision covers the legacy,
migrated and weighted routes); anything else is denied. Secret values are cached for CACHE_SECONDS.
Environment: API_SECRET_ARN.
"""

import hmac
import json
import time

from botocore.exceptions import ClientError

from . import common

CACHE_SECONDS = 300
_cache = {"at": 0.0, "tokens": ()}


def _tokens(sm, secret_arn, clock=time.monotonic):
    if _cache["tokens"] and clock() - _cache["at"] < CACHE_SECONDS:
        return _cache["tokens"]
    tokens = []
    for stage in ("AWSCURRENT", "AWSPENDING"):
        try:
            value = sm.get_secret_value(SecretId=secret_arn, VersionStage=stage)["SecretString"]
        except ClientError as exc:
            if stage == "AWSPENDING" and exc.response["Error"]["Code"] == "ResourceNotFoundException":
                continue  # no rotation in progress
            raise
        tokens.append(json.loads(value)["token"])
    _cache.update(at=clock(), tokens=tuple(tokens))
    return _cache["tokens"]


def clear_cache():
    _cache.update(at=0.0, tokens=())


def policy(principal, effect, method_arn, context=None):
    # arn:aws:execute-api:region:account:apiId/stage/VERB/path -> the whole stage
    parts = method_arn.split("/")
    resource = "/".join(parts[:2]) + "/*"
    doc = {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }
    if context:
        doc["context"] = context
    return doc


def handler(event, context, sm=None):
    sm = sm or common.client("secretsmanager")
    header = event.get("authorizationToken") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        common.log("WARN", "authorizer_denied", reason="malformed")
        return policy("anonymous", "Deny", event["methodArn"])
    for candidate in _tokens(sm, common.env("API_SECRET_ARN")):
        if hmac.compare_digest(candidate.encode(), token.encode()):
            return policy("payments-client", "Allow", event["methodArn"], {"authorizedBy": "payment-migration"})
    common.log("WARN", "authorizer_denied", reason="token")
    return policy("anonymous", "Deny", event["methodArn"])
