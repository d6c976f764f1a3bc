"""The awssim front and control API: routing, protocol error shapes, bad input, clock, state."""
import json
import os
import re
import socket

import pytest
from botocore.exceptions import ClientError

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_health_lists_services(awssim):
    status, body = awssim.control("GET", "health")
    assert status == 200
    assert body["status"] == "ok"
    assert {s["name"] for s in body["services"]} == {"sts", "iam", "stepfunctions", "route53", "dms", "ram"}
    assert body["clock"]["mode"] == "virtual"


def test_clock_advance_and_set(awssim):
    _, before = awssim.control("GET", "clock")
    after = awssim.advance(3600)
    assert after["nowMs"] - before["nowMs"] == 3_600_000
    status, body = awssim.control("POST", "clock", {"set": "2000-01-01T00:00:00Z"})
    assert status == 400 and "backwards" in body["message"]
    status, body = awssim.control("POST", "clock", {"set": "2099-01-01T00:00:00Z"})
    assert status == 200 and body["now"].startswith("2099-01-01T00:00:00")
    assert awssim.control("POST", "clock", {"advance": -1})[0] == 400
    assert awssim.control("POST", "clock", {"nonsense": 1})[0] == 400


def test_clock_advance_out_of_range(awssim):
    """More than 100 years in one step does not fit the millisecond clock: 400, clock unchanged."""
    _, before = awssim.control("GET", "clock")
    status, body = awssim.control("POST", "clock", {"advance": 5.6e71})
    assert status == 400 and body["error"] == "InvalidClock" and "3153600000" in body["message"]
    assert awssim.control("POST", "clock", {"advance": 3153600001})[0] == 400
    assert awssim.control("GET", "clock")[1]["nowMs"] == before["nowMs"]
    status, body = awssim.control("POST", "route53/config", {"changeDelaySeconds": 1e300})
    assert status == 400 and body["error"] == "InvalidConfig"
    status, body = awssim.control("POST", "clock", {"advance": 3153600000})
    assert status == 200 and body["nowMs"] - before["nowMs"] == 3_153_600_000_000


def test_clock_start_option(awssim_factory):
    sim = awssim_factory(start="2026-01-01T00:00:00Z")
    _, body = sim.control("GET", "clock")
    assert body["now"] == "2026-01-01T00:00:00.000Z"


def test_real_clock_cannot_be_moved(awssim_factory):
    sim = awssim_factory(clock="real")
    status, body = sim.control("POST", "clock", {"advance": 5})
    assert status == 409


def test_request_log_records_operations_and_errors(awssim):
    sts = awssim.client("sts", account="111111111111")
    sts.get_caller_identity()
    with pytest.raises(ClientError):
        awssim.client("iam", account="111111111111").get_role(RoleName="missing")
    _, body = awssim.control("GET", "requests")
    rows = body["requests"]
    assert [(r["service"], r["operation"], r["status"]) for r in rows] == [
        ("sts", "GetCallerIdentity", 200), ("iam", "GetRole", 404)]
    assert rows[1]["errorCode"] == "NoSuchEntity"
    assert rows[0]["account"] == "111111111111"
    _, since = awssim.control("GET", f"requests?since={rows[0]['seq']}")
    assert len(since["requests"]) == 1


def test_reset_drops_state(awssim):
    iam = awssim.client("iam")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}))
    assert awssim.control("POST", "reset")[0] == 200
    assert iam.list_roles()["Roles"] == []


def test_snapshot_restore_round_trip(awssim, tmp_path):
    iam = awssim.client("iam")
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]})
    iam.create_role(RoleName="keep", AssumeRolePolicyDocument=policy)
    path = str(tmp_path / "snap.db")
    status, body = awssim.control("POST", "snapshot", {"path": path})
    assert status == 200 and os.path.exists(path)
    clock_at_snapshot = awssim.control("GET", "clock")[1]["nowMs"]
    iam.create_role(RoleName="later", AssumeRolePolicyDocument=policy)
    awssim.advance(100)
    assert awssim.control("POST", "restore", {"path": path})[0] == 200
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["keep"]
    assert awssim.control("GET", "clock")[1]["nowMs"] == clock_at_snapshot
    assert awssim.control("POST", "restore", {"path": str(tmp_path / "missing.db")})[0] == 400


def test_state_file_survives_restart(awssim_factory, tmp_path):
    state = str(tmp_path / "state.db")
    sim = awssim_factory(state=state)
    sim.client("iam").create_role(RoleName="durable", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}))
    sim.advance(500)
    now = sim.control("GET", "clock")[1]["nowMs"]
    sim.stop()
    again = awssim_factory(state=state)
    assert again.client("iam").get_role(RoleName="durable")["Role"]["RoleName"] == "durable"
    assert again.control("GET", "clock")[1]["nowMs"] >= now


def test_unknown_action_query_error_shape(awssim):
    status, headers, body = awssim.raw("POST", "/", b"Action=NoSuchThing&Version=2011-06-15", FORM)
    assert status == 400
    assert b"<Code>InvalidAction</Code>" in body and b"<ErrorResponse" in body
    assert headers.get("x-amzn-RequestId")


def test_missing_required_parameter(awssim):
    status, _, body = awssim.raw("POST", "/", b"Action=AssumeRole&Version=2011-06-15&RoleSessionName=abc", FORM)
    assert status == 400
    assert b"<Code>ValidationError</Code>" in body
    assert b"Value null at &apos;roleArn&apos; failed to satisfy constraint: Member must not be null" in body


def test_wrong_type_in_query(awssim):
    status, _, body = awssim.raw(
        "POST", "/", b"Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::111111111111:role/x"
                     b"&RoleSessionName=abc&DurationSeconds=lots", FORM)
    assert status == 400 and b"ValidationError" in body and b"durationSeconds" in body


def test_json_protocol_errors(awssim):
    h = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AWSStepFunctions.ListStateMachines"}
    status, headers, body = awssim.raw("POST", "/", b"{not json", h)
    assert status == 400
    assert json.loads(body)["__type"] == "SerializationException"
    assert headers["x-amzn-ErrorType"] == "SerializationException"
    h["X-Amz-Target"] = "AWSStepFunctions.NoSuchOperation"
    status, _, body = awssim.raw("POST", "/", b"{}", h)
    assert status == 400 and json.loads(body)["__type"] == "UnknownOperationException"
    h["X-Amz-Target"] = "AWSStepFunctions.ListStateMachines"
    status, _, body = awssim.raw("POST", "/", b"\xff\xfe{}", h)
    assert status == 400 and json.loads(body)["__type"] == "SerializationException"
    status, _, body = awssim.raw("POST", "/", b"[1,2]", h)
    assert status == 400


def test_unknown_service(awssim):
    status, _, body = awssim.raw("POST", "/", b"hello", {"Content-Type": "text/plain"})
    assert status == 400 and b"UnknownOperationException" in body
    status, _, body = awssim.raw("GET", "/_awssim/nothing")
    assert status == 404


def test_huge_body_refused_and_server_keeps_serving(awssim):
    big = b"Action=GetCallerIdentity&x=" + b"a" * (17 * 1024 * 1024)
    status, _, body = awssim.raw("POST", "/", big, FORM)
    assert status == 413 and b"RequestEntityTooLarge" in body
    assert awssim.client("sts").get_caller_identity()["Account"]


def test_header_garbage_keeps_server_alive(awssim):
    host, port = awssim.url.replace("http://", "").split(":")
    for payload in (b"GARBAGE\r\n\r\n", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                    b"POST / HTTP/1.1\r\nAuthorization: AWS4-HMAC-SHA256 nonsense\r\nContent-Length: 0\r\n\r\n"):
        s = socket.create_connection((host, int(port)), timeout=5)
        s.sendall(payload)
        try:
            s.recv(4096)
        except OSError:
            pass
        s.close()
    assert awssim.client("sts").get_caller_identity()["Account"]


def test_malformed_authorization_header(awssim):
    status, _, body = awssim.raw("POST", "/", b"Action=GetCallerIdentity&Version=2011-06-15",
                                 dict(FORM, Authorization="AWS4-HMAC-SHA256 Credential=bad"))
    assert status == 400 and b"IncompleteSignature" in body


def test_generic_resource_registry(awssim):
    status, vpc = awssim.control("POST", "resources", {
        "type": "aws:ec2/vpc:Vpc", "name": "prod-vpc", "inputs": {"cidrBlock": "10.0.0.0/16"},
        "account": "111111111111", "region": "eu-central-1"})
    assert status == 200
    assert vpc["id"].startswith("vpc-") and len(vpc["id"]) == 21
    assert vpc["arn"] == f"arn:aws:ec2:eu-central-1:111111111111:vpc/{vpc['id']}"
    assert vpc["state"]["cidrBlock"] == "10.0.0.0/16"
    _, bucket = awssim.control("POST", "resources", {"type": "aws:s3/bucketV2:BucketV2", "name": "ckpt",
                                                     "inputs": {"bucket": "ckpt-dev"}})
    assert bucket["arn"] == "arn:aws:s3:::ckpt-dev"
    _, fn = awssim.control("POST", "resources", {"type": "aws:lambda/function:Function", "name": "validate",
                                                 "inputs": {"name": "validate-dev"}, "account": "111111111111"})
    assert fn["arn"] == "arn:aws:lambda:us-east-1:111111111111:function:validate-dev"
    _, other = awssim.control("POST", "resources", {"type": "aws:ssm/parameter:Parameter", "name": "p",
                                                    "inputs": {"name": "/app/dev/x"}})
    assert other["arn"].endswith(":parameter/app/dev/x")
    _, api = awssim.control("POST", "resources", {"type": "aws:apigateway/restApi:RestApi", "name": "api",
                                                  "inputs": {"name": "payments-api"}, "region": "eu-central-1"})
    assert re.fullmatch(r"[a-z0-9]{10}", api["id"]), api["id"]
    assert api["state"]["name"] == "payments-api"
    _, auth = awssim.control("POST", "resources", {"type": "aws:apigateway/authorizer:Authorizer", "name": "authz",
                                                   "inputs": {"restApi": api["id"]}, "region": "eu-central-1"})
    assert auth["arn"] == f"arn:aws:apigateway:eu-central-1::/restapis/{api['id']}/authorizers/{auth['id']}"
    _, topic = awssim.control("POST", "resources", {"type": "aws:sns/topic:Topic", "name": "alerts",
                                                    "inputs": {"name": "alerts-dev"}, "account": "111111111111"})
    assert topic["id"] == topic["arn"] == "arn:aws:sns:us-east-1:111111111111:alerts-dev"
    _, unnamed = awssim.control("POST", "resources", {"type": "aws:sns/topic:Topic", "name": "ops", "inputs": {}})
    assert re.fullmatch(r"arn:aws:sns:us-east-1:000000000000:ops-[0-9a-f]{7}", unnamed["id"])
    _, listing = awssim.control("GET", "resources?type=aws:ec2/vpc:Vpc")
    assert [r["name"] for r in listing["resources"]] == ["prod-vpc"]
    _, listing = awssim.control("GET", "resources?account=111111111111")
    assert len(listing["resources"]) == 3
    assert awssim.control("POST", "resources", {"name": "x"})[0] == 400
    assert awssim.control("POST", "resources", raw=b"{nope")[0] == 400


def test_same_seed_same_bytes(awssim_factory):
    outputs = []
    for _ in range(2):
        sim = awssim_factory(start="2026-01-01T00:00:00Z")
        iam = sim.client("iam", account="111111111111")
        role = iam.create_role(RoleName="det", AssumeRolePolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111111111111"},
                                                   "Action": "sts:AssumeRole"}]}))["Role"]
        creds = sim.client("sts", account="111111111111").assume_role(RoleArn=role["Arn"], RoleSessionName="det")
        outputs.append((role["RoleId"], creds["Credentials"]["AccessKeyId"], creds["Credentials"]["SessionToken"],
                        creds["ResponseMetadata"]["RequestId"]))
    assert outputs[0] == outputs[1]


def test_mock_config_endpoint(awssim):
    status, _ = awssim.control("PUT", "sfn/mock-config", {"StateMachines": {}, "MockedResponses": {}})
    assert status == 200
    assert awssim.control("GET", "sfn/mock-config")[1] == {"StateMachines": {}, "MockedResponses": {}}
    assert awssim.control("PUT", "sfn/mock-config", [1, 2])[0] == 400


def test_request_log_is_bounded_by_request_log_option(awssim_factory):
    sim = awssim_factory(request_log=3)
    sts = sim.client("sts", account="111111111111")
    for _ in range(5):
        sts.get_caller_identity()
    rows = sim.control("GET", "requests")[1]["requests"]
    assert [r["seq"] for r in rows] == [3, 4, 5]  # the oldest two were dropped, seq keeps counting
    assert sim.control("POST", "reset")[0] == 200
    assert sim.control("GET", "requests")[1]["requests"] == []
    sts.get_caller_identity()
    assert [r["seq"] for r in sim.control("GET", "requests")[1]["requests"]] == [6]
    off = awssim_factory(request_log=0)
    off.client("sts").get_caller_identity()
    assert off.control("GET", "requests")[1]["requests"] == []


def test_threads_option_serves_concurrent_clients_with_several_workers(awssim_factory):
    # --threads N: N HTTP workers, all sharing the one lock on the state; calls from many clients at
    # once all succeed and every write lands exactly once
    import concurrent.futures
    sim = awssim_factory(threads=3)
    r53 = sim.client("route53", account="111111111111")

    def create(i):
        return r53.create_hosted_zone(Name=f"z{i}.example.com", CallerReference=f"ref-{i}")["HostedZone"]["Id"]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(create, range(24)))
    assert len(set(ids)) == 24
    zones = r53.list_hosted_zones(MaxItems="100")["HostedZones"]
    assert sorted(z["Name"] for z in zones) == sorted(f"z{i}.example.com." for i in range(24))
