"""AwssimMocks: routing of resources/invokes, providers and assume-role, registry, errors."""

import datetime
import json
import threading

import pytest
from botocore.exceptions import EndpointConnectionError
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs

from awssim_mock import AwssimMocks, BridgeError
from awssim_mock.registry import RegistryClient, RegistryError
from tests.fakes import FakeRegistry, StubbedClients

ACCT = "123456789012"
ROLE_ACCT = "210987654321"
BASE = ("test", "test", None)
ASSUMED = ("ASIAROLEEXAMPLE0001", "secret-role", "token-role")
NOW = datetime.datetime(2026, 11, 22, 23, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def registry():
    r = FakeRegistry()
    yield r
    r.close()


@pytest.fixture
def bridge(registry):
    b = AwssimMocks(endpoint=registry.url, account=ACCT)
    b.client = StubbedClients()
    yield b
    b.client.assert_done()


def res(typ, name, inputs, provider="", resource_id=None):
    return MockResourceArgs(typ, name, inputs, provider=provider, resource_id=resource_id, custom=True)


def assume_response(session="deploy"):
    return {"Credentials": {"AccessKeyId": ASSUMED[0], "SecretAccessKey": ASSUMED[1], "SessionToken": ASSUMED[2],
                            "Expiration": NOW},
            "AssumedRoleUser": {"AssumedRoleId": "AROAEXAMPLEEXAMPLE01:" + session,
                                "Arn": f"arn:aws:sts::{ROLE_ACCT}:assumed-role/deployer/{session}"}}


def test_generic_resource_goes_to_registry_with_computed_attributes(bridge, registry):
    rid, state = bridge.new_resource(res("aws:rds/cluster:Cluster", "db", {
        "clusterIdentifier": "pay", "masterPassword": {"4dabf18193072939515e22adb298388d":
                                                        "1b47061264138c4ac30d75fd1eb44270", "value": "pw"}}))
    (post,) = registry.posts
    assert post == {"type": "aws:rds/cluster:Cluster", "name": "db", "inputs": {"clusterIdentifier": "pay",
                    "masterPassword": "pw"}, "account": ACCT, "region": "eu-central-1"}
    assert rid == "cluster-0001" and state["id"] == rid and state["arn"].startswith("arn:aws:test:")
    assert state["endpoint"].startswith("pay.cluster-") and state["masterPassword"] == "pw"
    assert state["region"] == "eu-central-1"
    # registry-assigned ids drive computed attributes (KMS key id = registry id)
    kid, key = bridge.new_resource(res("aws:kms/key:Key", "k", {}))
    assert key["keyId"] == kid and kid.startswith("1234abcd-")
    assert bridge.registry_list("aws:kms/key:Key", ACCT)[0]["id"] == kid
    assert [c[0] for c in bridge.of_type("aws:kms/key:Key")] == ["aws:kms/key:Key"]


def test_registry_missing_falls_back_to_local(registry):
    registry.mode = "missing"
    b = AwssimMocks(endpoint=registry.url, account=ACCT)
    rid, state = b.new_resource(res("aws:ec2/vpc:Vpc", "v", {"cidrBlock": "10.0.0.0/16"}))
    assert rid.startswith("vpc-") and state["cidrBlock"] == "10.0.0.0/16" and not b.registry_available
    assert b.registry_list("aws:ec2/vpc:Vpc", ACCT) == []
    rid2, _ = b.new_resource(res("aws:ec2/subnet:Subnet", "s", {}))  # no further registry attempt
    assert rid2.startswith("subnet-")
    b2 = AwssimMocks(endpoint=registry.url, account=ACCT)
    assert b2.registry_list("x", ACCT) == [] and not b2.registry_available


def test_registry_missing_without_fallback_is_an_error(registry):
    registry.mode = "missing"
    b = AwssimMocks(endpoint=registry.url, account=ACCT, registry_fallback=False)
    with pytest.raises(BridgeError, match="no generic registry"):
        b.new_resource(res("aws:ec2/vpc:Vpc", "v", {}))


def test_registry_server_error_propagates(registry):
    registry.mode = "broken"
    with pytest.raises(RegistryError, match="HTTP 500"):
        RegistryClient(registry.url).create("aws:x/y:Z", "n", {}, ACCT, "eu-central-1")
    registry.mode = "ok"
    assert RegistryClient(registry.url).list() == []


def test_registry_answer_without_arn_and_odd_inputs(bridge):
    class Reg:
        def create(self, typ, name, inputs, account, region):
            return {"id": "x-1", "state": {"extra": 1}}

    bridge.registry = Reg()
    rid, state = bridge.new_resource(res("aws:sqs/queue:Queue", "q", {"name": "jobs"}))
    assert rid == "x-1" and state["extra"] == 1 and state["arn"].endswith(":queue/x-1")


def test_registry_serialises_unknown_objects(registry):
    RegistryClient(registry.url).create("aws:x/y:Z", "n", {"obj": object()}, ACCT, "eu-central-1")
    assert registry.posts[-1]["inputs"]["obj"].startswith("<object object")


def test_registry_retries_reset_connections(registry, monkeypatch):
    import urllib.request as ur

    real = ur.urlopen
    failures = iter([ConnectionResetError(104, "reset"), ur.URLError("refused")])

    def flaky(req, timeout):
        exc = next(failures, None)
        if exc:
            raise exc
        return real(req, timeout=timeout)

    monkeypatch.setattr(ur, "urlopen", flaky)
    assert RegistryClient(registry.url).list() == []


def test_registry_gives_up_after_repeated_connection_errors(monkeypatch):
    import urllib.request as ur

    def down(req, timeout):
        raise ConnectionRefusedError(111, "refused")

    monkeypatch.setattr(ur, "urlopen", down)
    monkeypatch.setattr("awssim_mock.registry.time.sleep", lambda s: None)
    with pytest.raises(ConnectionRefusedError):
        RegistryClient("http://127.0.0.1:1").list()


def test_registry_empty_and_list_bodies():
    class Client(RegistryClient):
        def __init__(self, answer):
            super().__init__("http://unused")
            self.answer = answer

        def _request(self, method, url, body=None):
            return self.answer

    assert Client([{"id": "a"}]).list("t", "a") == [{"id": "a"}]


def test_ctx_autoname_is_unique(bridge):
    from awssim_mock.bridge import Ctx

    ctx = Ctx(bridge, "eu-central-1", BASE, ACCT)
    a, b = ctx.autoname("role"), ctx.autoname("role")
    assert a != b and a.startswith("role-") and len(a) == len("role-") + 7


def test_emulated_resource_uses_aws_api(bridge, registry):
    bridge.client.stub("iam").add_response("create_role", {"Role": {
        "Path": "/", "RoleName": "r", "RoleId": "AROAEXAMPLEEXAMPLE01", "Arn": f"arn:aws:iam::{ACCT}:role/r",
        "CreateDate": NOW}}, {"RoleName": "r", "Path": "/", "AssumeRolePolicyDocument": "{}"})
    rid, state = bridge.new_resource(res("aws:iam/role:Role", "role", {"name": "r", "assumeRolePolicy": "{}"}))
    assert rid == "r" and state["arn"] == f"arn:aws:iam::{ACCT}:role/r" and registry.posts == []


def test_aws_error_fails_with_code_and_message(bridge):
    bridge.client.stub("stepfunctions").add_client_error(
        "create_state_machine", "InvalidDefinition", "Invalid State Machine Definition: MISSING_TRANSITION_TARGET")
    with pytest.raises(BridgeError, match="InvalidDefinition: Invalid State Machine Definition"):
        bridge.new_resource(res("aws:sfn/stateMachine:StateMachine", "sm",
                                {"name": "sm", "definition": "{}", "roleArn": "arn:r"}))


def test_botocore_error_is_wrapped(registry):
    class Down:
        def put_role_policy(self, **kw):
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")

    b = AwssimMocks(endpoint=registry.url, account=ACCT)
    b.client = lambda service, region, creds: Down()
    with pytest.raises(BridgeError, match="Could not connect to the endpoint URL"):
        b.new_resource(res("aws:iam/rolePolicy:RolePolicy", "p", {"role": "r", "policy": "{}", "name": "n"}))


def test_provider_with_assume_roles_creates_as_the_role(bridge, registry):
    pid, pstate = bridge.new_resource(res("pulumi:providers:aws", "p", {
        "region": "eu-central-2",
        "assumeRoles": json.dumps([{"role_arn": f"arn:aws:iam::{ROLE_ACCT}:role/deployer", "session_name": "deploy",
                                    "duration": "1h", "external_id": "ext", "policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                                    "tags": {"team": "pay"}, "transitive_tag_keys": ["team"]}])}))
    assert pid and pstate["region"] == "eu-central-2"
    bridge.client.stub("sts").add_response("assume_role", assume_response(), {
        "RoleArn": f"arn:aws:iam::{ROLE_ACCT}:role/deployer", "RoleSessionName": "deploy", "DurationSeconds": 3600,
        "ExternalId": "ext", "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}], "Tags": [{"Key": "team", "Value": "pay"}],
        "TransitiveTagKeys": ["team"]})
    ref = f"urn:pulumi:s::p::pulumi:providers:aws::p::{pid}"
    rid, state = bridge.new_resource(res("aws:s3/bucket:Bucket", "b", {"bucket": "bkt"}, provider=ref))
    assert registry.posts[-1]["account"] == ROLE_ACCT and registry.posts[-1]["region"] == "eu-central-2"
    # the role's credentials sign the emulated-service calls; assume happens once per provider
    bridge.client.stub("iam", ASSUMED).add_response("put_role_policy", {}, None)
    bridge.new_resource(res("aws:iam/rolePolicy:RolePolicy", "rp", {"role": "r", "policy": "{}", "name": "n"},
                            provider=ref))
    bridge.client.stub("sts", ASSUMED).add_response("get_caller_identity", {
        "UserId": "AROA:deploy", "Account": ROLE_ACCT, "Arn": f"arn:aws:sts::{ROLE_ACCT}:assumed-role/deployer/deploy"})
    ident = bridge.call(MockCallArgs("aws:index/getCallerIdentity:getCallerIdentity", {}, ref))
    assert ident["accountId"] == ROLE_ACCT and "assumed-role/deployer" in ident["arn"]
    assert ("iam", "eu-central-2") in bridge.client.regions


def test_assume_role_refused_fails_resource_with_aws_error(bridge):
    pid, _ = bridge.new_resource(res("pulumi:providers:aws", "p", {"assumeRole": {
        "roleArn": f"arn:aws:iam::{ROLE_ACCT}:role/deployer", "duration": "2h"}}))
    bridge.client.stub("sts").add_client_error(
        "assume_role", "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
    with pytest.raises(BridgeError, match="DurationSeconds exceeds the MaxSessionDuration"):
        bridge.new_resource(res("aws:s3/bucket:Bucket", "b", {}, provider=f"urn::{pid}"))


def test_provider_with_static_keys_discovers_its_account(bridge, registry):
    pid, _ = bridge.new_resource(res("pulumi:providers:aws", "p", {"accessKey": "AK", "secretKey": "SK",
                                                                   "assumeRoles": "[]"}))
    bridge.client.stub("sts", ("AK", "SK", None)).add_response("get_caller_identity", {
        "UserId": "AIDA", "Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/u"})
    bridge.new_resource(res("aws:s3/bucket:Bucket", "b", {}, provider=f"urn::{pid}"))
    bridge.new_resource(res("aws:s3/bucket:Bucket", "b2", {}, provider=f"urn::{pid}"))
    assert [p["account"] for p in registry.posts] == ["111122223333", "111122223333"]


def test_plain_provider_uses_base_credentials(bridge, registry):
    pid, _ = bridge.new_resource(res("pulumi:providers:aws", "p", {}))
    bridge.new_resource(res("aws:s3/bucket:Bucket", "b", {}, provider=f"urn::{pid}"))
    assert registry.posts[-1]["region"] == "eu-central-1" and registry.posts[-1]["account"] == ACCT


def test_account_discovered_with_sts_once(registry):
    b = AwssimMocks(endpoint=registry.url)
    b.client = StubbedClients()
    b.client.stub("sts").add_response("get_caller_identity", {"UserId": "AIDA", "Account": "000000000000",
                                                              "Arn": "arn:aws:iam::000000000000:root"})
    assert b.account == "000000000000" and b.account == "000000000000"
    b.client.assert_done()


def test_read_of_existing_resource_echoes_id(bridge, registry):
    rid, state = bridge.new_resource(res("aws:ec2/vpc:Vpc", "v", {"cidrBlock": "x"}, resource_id="vpc-123"))
    assert rid == "vpc-123" and state == {"cidrBlock": "x", "id": "vpc-123"} and registry.posts == []


def test_region_input_wins(bridge, registry):
    bridge.new_resource(res("aws:s3/bucket:Bucket", "b", {"region": "eu-central-2"}))
    assert registry.posts[-1]["region"] == "eu-central-2"


def test_non_aws_types_get_no_region(bridge):
    _, state = bridge.new_resource(res("random:index/randomId:RandomId", "r", {}))
    assert "region" not in state


def test_invokes(bridge, registry):
    call = lambda tok, args: bridge.call(MockCallArgs(tok, args, ""))  # noqa: E731
    assert call("aws:index/getRegion:getRegion", {})["name"] == "eu-central-1"
    assert call("aws:index/getRegion:getRegion", {"region": "eu-central-2"})["endpoint"] == \
        "ec2.eu-central-2.amazonaws.com"
    assert call("aws:index/getPartition:getPartition", {})["dnsSuffix"] == "amazonaws.com"
    azs = call("aws:index/getAvailabilityZones:getAvailabilityZones", {"excludeNames": ["eu-central-1c"],
                                                                       "state": "available"})
    assert azs["names"] == ["eu-central-1a", "eu-central-1b"] and azs["zoneIds"] == ["euc1-az1", "euc1-az2"]
    assert call("aws:index/getAvailabilityZones:getAvailabilityZones", {"excludeZoneIds": ["euc1-az1"]})[
        "names"] == ["eu-central-1b", "eu-central-1c"]
    bridge.region = "ap-south-2"
    assert call("aws:index/getAvailabilityZones:getAvailabilityZones", {})["zoneIds"][0] == "apsout-az1"
    bridge.region = "eu-central-1"
    doc = call("aws:iam/getPolicyDocument:getPolicyDocument", {"statements": [{"actions": ["s3:*"],
                                                                                 "resources": ["*"]}]})
    assert json.loads(doc["json"])["Statement"][0]["Action"] == "s3:*"
    with pytest.raises(BridgeError, match="not supported"):
        call("aws:ec2/getAmi:getAmi", {})


def test_secrets_seeded_in_bridge(bridge):
    bridge.add_secret("app/db", {"username": "u", "password": "p"})
    bridge.add_secret("app/raw", "plain", arn="arn:aws:secretsmanager:eu-central-1:1:secret:app/raw-XyZ")
    call = lambda tok, args: bridge.call(MockCallArgs(tok, args, ""))  # noqa: E731
    sec = call("aws:secretsmanager/getSecret:getSecret", {"name": "app/db"})
    assert sec["arn"].startswith(f"arn:aws:secretsmanager:eu-central-1:{ACCT}:secret:app/db-") and sec["name"] == \
        "app/db"
    ver = call("aws:secretsmanager/getSecretVersion:getSecretVersion", {"secretId": sec["arn"]})
    assert json.loads(ver["secretString"]) == {"username": "u", "password": "p"}
    assert call("aws:secretsmanager/getSecret:getSecret", {"arn": "arn:aws:secretsmanager:eu-central-1:1:secret:"
                                                                  "app/raw-XyZ"})["name"] == "app/raw"
    with pytest.raises(BridgeError, match="ResourceNotFoundException"):
        call("aws:secretsmanager/getSecret:getSecret", {"name": "missing"})


def test_secrets_registered_in_awssim(bridge, registry):
    bridge.new_resource(res("aws:secretsmanager/secret:Secret", "s", {"name": "reg/db", "kmsKeyId": "k"}))
    arn = registry.docs[-1]["arn"]
    bridge.new_resource(res("aws:secretsmanager/secret:Secret", "other", {"name": "reg/other"}))
    bridge.new_resource(res("aws:secretsmanager/secretVersion:SecretVersion", "v",
                            {"secretId": arn, "secretString": "{\"password\":\"x\"}"}))
    bridge.new_resource(res("aws:secretsmanager/secretVersion:SecretVersion", "v2",
                            {"secretId": "elsewhere", "secretString": "no"}))
    call = lambda tok, args: bridge.call(MockCallArgs(tok, args, ""))  # noqa: E731
    sec = call("aws:secretsmanager/getSecret:getSecret", {"name": "reg/db"})
    assert sec["arn"] == arn and sec["kmsKeyId"] == "k"
    assert call("aws:secretsmanager/getSecretVersion:getSecretVersion", {"secretId": "reg/db"})[
        "secretString"] == "{\"password\":\"x\"}"
    with pytest.raises(BridgeError, match="staging label"):
        call("aws:secretsmanager/getSecretVersion:getSecretVersion", {"secretId": "reg/other"})


def test_sts_error_in_invoke(bridge):
    bridge.client.stub("sts").add_client_error("get_caller_identity", "InvalidClientTokenId", "bad key")
    with pytest.raises(BridgeError, match="InvalidClientTokenId: bad key"):
        bridge.call(MockCallArgs("aws:index/getCallerIdentity:getCallerIdentity", {}, ""))


def test_endpoint_required(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with pytest.raises(BridgeError, match="no awssim endpoint"):
        AwssimMocks()
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1/")
    assert AwssimMocks().endpoint == "http://127.0.0.1:1"


def test_explicit_account_is_the_access_key(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "from-env")
    assert AwssimMocks(endpoint="http://x", account="111111111111").base_creds[0] == "111111111111"
    assert AwssimMocks(endpoint="http://x").base_creds[0] == "from-env"
    assert AwssimMocks(endpoint="http://x", account="1", access_key="AK").base_creds[0] == "AK"


def test_real_clients_are_cached_per_credentials():
    b = AwssimMocks(endpoint="http://127.0.0.1:1", account=ACCT)
    c1 = b.client("iam", "eu-central-1", BASE)
    assert b.client("iam", "eu-central-1", BASE) is c1
    assert b.client("iam", "eu-central-1", ASSUMED) is not c1
    assert c1.meta.endpoint_url == "http://127.0.0.1:1"


def test_thread_safe_under_concurrent_registrations(bridge, registry):
    pid, _ = bridge.new_resource(res("pulumi:providers:aws", "p", {"assumeRoles": [
        {"roleArn": f"arn:aws:iam::{ROLE_ACCT}:role/deployer", "sessionName": "deploy"}]}))
    bridge.client.stub("sts").add_response("assume_role", assume_response(), None)  # exactly one AssumeRole
    errors = []

    def work(i):
        try:
            bridge.new_resource(res("aws:ec2/subnet:Subnet", f"s{i}", {"n": i}, provider=f"urn::{pid}"))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(bridge.created) == 24 and len({c[2] for c in bridge.created}) == 24
    assert all(c[2] for c in bridge.created)


def test_wait_until_advances_virtual_clock_between_polls(bridge, registry):
    from awssim_mock.bridge import Ctx

    ctx = Ctx(bridge, "eu-central-1", BASE, ACCT)
    answers = iter([False, False, True])
    ctx.wait_until("thing", lambda: next(answers), step=15)
    assert registry.advanced == [15, 15]
    with pytest.raises(BridgeError, match="timed out after 30s waiting for slow"):
        ctx.wait_until("slow", lambda: False, step=15, limit=30)


def test_wait_sleeps_when_clock_is_real_and_can_be_disabled(registry):
    from awssim_mock.bridge import Ctx

    registry.clock_real = True
    b = AwssimMocks(endpoint=registry.url, account=ACCT, real_poll_seconds=0.01)
    answers = iter([False, True])
    Ctx(b, "eu-central-1", BASE, ACCT).wait_until("x", lambda: next(answers))
    assert registry.advanced == []
    off = AwssimMocks(endpoint=registry.url, account=ACCT, wait_for_ready=False)
    Ctx(off, "eu-central-1", BASE, ACCT).wait_until("x", lambda: pytest.fail("polled"))


def test_failed_state_while_waiting_is_a_bridge_error(bridge):
    from awssim_mock import aws_resources

    def boom(ctx, name, inputs):
        raise aws_resources.ResourceFailed("replication instance ri is failed")

    bridge_handlers = dict(aws_resources.HANDLERS)
    try:
        aws_resources.HANDLERS["aws:dms/replicationInstance:ReplicationInstance"] = boom
        with pytest.raises(BridgeError, match="ri is failed"):
            bridge.new_resource(res("aws:dms/replicationInstance:ReplicationInstance", "ri", {}))
    finally:
        aws_resources.HANDLERS.clear()
        aws_resources.HANDLERS.update(bridge_handlers)


def test_generic_resources_are_autonamed(bridge, registry):
    rid, state = bridge.new_resource(res("aws:sns/topic:Topic", "alerts", {}))
    assert registry.posts[-1]["inputs"]["name"].startswith("alerts-") and state["name"] == \
        registry.posts[-1]["inputs"]["name"]
    _, fn = bridge.new_resource(res("aws:lambda/function:Function", "fn", {"name": "explicit"}))
    assert fn["name"] == "explicit" and registry.posts[-1]["inputs"]["name"] == "explicit"
