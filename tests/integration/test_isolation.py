"""Account isolation across all five services (issue 8), through boto3.

Matrix: account A creates a resource in IAM, Step Functions, Route 53, DMS and RAM; account B
(a different 12-digit access key) tries to read it, list it, change it, tag it and delete it,
naming it by A's ARN/id. Every attempt must fail with the service's own not-found error (AWS
does not reveal other accounts' resources), lists must not show it, and afterwards A's
resource must be exactly as it was. The one exception is RAM: once A shares with B and B
accepts, B sees the share (read only).
"""
import json

import pytest
from botocore.exceptions import ClientError

A, B, C = "111111111111", "222222222222", "333333333333"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
WAIT = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}})
SUBNET = f"arn:aws:ec2:us-east-1:{A}:subnet/subnet-0123456789abcdef0"


def code_of(fn, **kwargs):
    with pytest.raises(ClientError) as ei:
        fn(**kwargs)
    return ei.value.response["Error"]["Code"]


def strip_meta(d):
    d = dict(d)
    d.pop("ResponseMetadata", None)
    return d


# ---- one setup + attack + check per service ------------------------------------------------------

def iam_case(sim):
    a, b = sim.client("iam", account=A), sim.client("iam", account=B)
    a.create_role(RoleName="iso", AssumeRolePolicyDocument=TRUST, Description="A's role")
    a.put_role_policy(RoleName="iso", PolicyName="p", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    before = strip_meta(a.get_role(RoleName="iso"))
    attacks = [
        (b.get_role, dict(RoleName="iso"), "NoSuchEntity"),
        (b.get_role_policy, dict(RoleName="iso", PolicyName="p"), "NoSuchEntity"),
        (b.update_role, dict(RoleName="iso", Description="pwned"), "NoSuchEntity"),
        (b.tag_role, dict(RoleName="iso", Tags=[{"Key": "k", "Value": "v"}]), "NoSuchEntity"),
        (b.delete_role_policy, dict(RoleName="iso", PolicyName="p"), "NoSuchEntity"),
        (b.delete_role, dict(RoleName="iso"), "NoSuchEntity"),
    ]
    lists = [lambda: [r["RoleName"] for r in b.list_roles()["Roles"]]]

    def unchanged():
        assert strip_meta(a.get_role(RoleName="iso")) == before
        assert a.list_role_policies(RoleName="iso")["PolicyNames"] == ["p"]
        # B may use the same name in its own account without touching A's
        b.create_role(RoleName="iso", AssumeRolePolicyDocument=TRUST)
        assert b.get_role(RoleName="iso")["Role"]["Arn"] == f"arn:aws:iam::{B}:role/iso"
        assert a.get_role(RoleName="iso")["Role"]["Arn"] == f"arn:aws:iam::{A}:role/iso"
    return attacks, lists, unchanged


def sfn_case(sim):
    a, b = sim.client("stepfunctions", account=A), sim.client("stepfunctions", account=B)
    role = f"arn:aws:iam::{A}:role/iso"
    sim.client("iam", account=A).create_role(RoleName="iso", AssumeRolePolicyDocument=TRUST)
    sm = a.create_state_machine(name="iso", roleArn=role, definition=WAIT)["stateMachineArn"]
    ex = a.start_execution(stateMachineArn=sm, name="run1")["executionArn"]
    act = a.create_activity(name="iso-act")["activityArn"]
    before = strip_meta(a.describe_state_machine(stateMachineArn=sm))
    attacks = [
        (b.describe_state_machine, dict(stateMachineArn=sm), "StateMachineDoesNotExist"),
        (b.update_state_machine, dict(stateMachineArn=sm, definition=PASS), "StateMachineDoesNotExist"),
        (b.start_execution, dict(stateMachineArn=sm), "StateMachineDoesNotExist"),
        (b.list_executions, dict(stateMachineArn=sm), "StateMachineDoesNotExist"),
        (b.describe_execution, dict(executionArn=ex), "ExecutionDoesNotExist"),
        (b.get_execution_history, dict(executionArn=ex), "ExecutionDoesNotExist"),
        (b.stop_execution, dict(executionArn=ex), "ExecutionDoesNotExist"),
        (b.tag_resource, dict(resourceArn=sm, tags=[{"key": "k", "value": "v"}]), "ResourceNotFound"),
        (b.describe_activity, dict(activityArn=act), "ActivityDoesNotExist"),
    ]
    lists = [lambda: b.list_state_machines()["stateMachines"], lambda: b.list_activities()["activities"]]

    def unchanged():
        # DeleteStateMachine is idempotent in AWS (200 for a machine the caller does not have);
        # it must not delete A's machine.
        b.delete_state_machine(stateMachineArn=sm)
        b.delete_activity(activityArn=act)
        assert strip_meta(a.describe_state_machine(stateMachineArn=sm)) == before
        assert a.describe_execution(executionArn=ex)["status"] == "RUNNING"
        assert a.list_tags_for_resource(resourceArn=sm)["tags"] == []
        assert a.describe_activity(activityArn=act)["name"] == "iso-act"
    return attacks, lists, unchanged


def route53_case(sim):
    a, b = sim.client("route53", account=A), sim.client("route53", account=B)
    zone = a.create_hosted_zone(Name="iso.example.com", CallerReference="z1")["HostedZone"]["Id"]
    zid = zone.split("/")[-1]
    hc = a.create_health_check(CallerReference="h1", HealthCheckConfig={
        "IPAddress": "192.0.2.1", "Port": 80, "Type": "HTTP", "ResourcePath": "/"})["HealthCheck"]["Id"]
    change = {"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {
        "Name": "www.iso.example.com", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.9"}]}}]}
    before = sorted(json.dumps(r, sort_keys=True)
                    for r in a.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"])
    attacks = [
        (b.get_hosted_zone, dict(Id=zone), "NoSuchHostedZone"),
        (b.list_resource_record_sets, dict(HostedZoneId=zone), "NoSuchHostedZone"),
        (b.change_resource_record_sets, dict(HostedZoneId=zone, ChangeBatch=change), "NoSuchHostedZone"),
        (b.change_tags_for_resource, dict(ResourceType="hostedzone", ResourceId=zid,
                                          AddTags=[{"Key": "k", "Value": "v"}]), "NoSuchHostedZone"),
        (b.delete_hosted_zone, dict(Id=zone), "NoSuchHostedZone"),
        (b.get_health_check, dict(HealthCheckId=hc), "NoSuchHealthCheck"),
        (b.delete_health_check, dict(HealthCheckId=hc), "NoSuchHealthCheck"),
    ]
    lists = [lambda: b.list_hosted_zones()["HostedZones"], lambda: b.list_health_checks()["HealthChecks"]]

    def unchanged():
        after = sorted(json.dumps(r, sort_keys=True)
                       for r in a.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"])
        assert after == before
        assert a.get_hosted_zone(Id=zone)["HostedZone"]["Name"] == "iso.example.com."
        assert a.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zid)["ResourceTagSet"].get("Tags", []) == []
        assert a.get_health_check(HealthCheckId=hc)["HealthCheck"]["Id"] == hc
    return attacks, lists, unchanged


def dms_case(sim):
    a, b = sim.client("dms", account=A), sim.client("dms", account=B)
    ep = a.create_endpoint(EndpointIdentifier="iso-src", EndpointType="source", EngineName="postgres",
                           ServerName="db.internal", Port=5432, DatabaseName="app", Username="u",
                           Password="secret-pw")["Endpoint"]
    arn = ep["EndpointArn"]
    by_arn = [{"Name": "endpoint-arn", "Values": [arn]}]
    attacks = [
        (b.describe_endpoints, dict(Filters=by_arn), "ResourceNotFoundFault"),
        (b.modify_endpoint, dict(EndpointArn=arn, Port=1), "ResourceNotFoundFault"),
        (b.list_tags_for_resource, dict(ResourceArn=arn), "ResourceNotFoundFault"),
        (b.add_tags_to_resource, dict(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]), "ResourceNotFoundFault"),
        (b.delete_endpoint, dict(EndpointArn=arn), "ResourceNotFoundFault"),
    ]
    lists = [lambda: b.describe_endpoints()["Endpoints"]]

    def unchanged():
        mine = a.describe_endpoints(Filters=by_arn)["Endpoints"]
        assert [(e["EndpointIdentifier"], e["Port"]) for e in mine] == [("iso-src", 5432)]
        assert a.list_tags_for_resource(ResourceArn=arn)["TagList"] == []
    return attacks, lists, unchanged


def ram_case(sim):
    a, b = sim.client("ram", account=A), sim.client("ram", account=B)
    share = a.create_resource_share(name="iso", resourceArns=[SUBNET], principals=[C])["resourceShare"]
    arn = share["resourceShareArn"]
    attacks = [
        (b.update_resource_share, dict(resourceShareArn=arn, name="pwned"), "UnknownResourceException"),
        (b.associate_resource_share, dict(resourceShareArn=arn, principals=[B]), "UnknownResourceException"),
        (b.tag_resource, dict(resourceShareArn=arn, tags=[{"key": "k", "value": "v"}]), "UnknownResourceException"),
        (b.list_resource_share_permissions, dict(resourceShareArn=arn), "UnknownResourceException"),
        (b.delete_resource_share, dict(resourceShareArn=arn), "UnknownResourceException"),
    ]
    lists = [lambda: b.get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"],
             lambda: b.get_resource_shares(resourceOwner="SELF", resourceShareArns=[arn])["resourceShares"],
             lambda: b.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"],
             lambda: b.get_resource_share_invitations()["resourceShareInvitations"]]

    def unchanged():
        mine = a.get_resource_shares(resourceOwner="SELF", resourceShareArns=[arn])["resourceShares"]
        assert [(s["name"], s["status"], s.get("tags", [])) for s in mine] == [("iso", "ACTIVE", [])]
        principals = a.list_principals(resourceOwner="SELF", resourceShareArns=[arn])["principals"]
        assert B not in [p["id"] for p in principals]
    return attacks, lists, unchanged


CASES = {"iam": iam_case, "stepfunctions": sfn_case, "route53": route53_case, "dms": dms_case, "ram": ram_case}


@pytest.mark.parametrize("service", sorted(CASES))
def test_account_b_cannot_read_or_change_account_a(awssim, service):
    attacks, lists, unchanged = CASES[service](awssim)
    for fn, kwargs, expected in attacks:
        got = code_of(fn, **kwargs)
        assert got == expected, f"{fn.__name__}{kwargs}: {got} != {expected}"
    for listing in lists:
        assert listing() == [], f"account B's listing shows account A's resources: {listing()}"
    unchanged()
    # the request log attributes every refused call to account B
    reqs = awssim.control("GET", "requests")[1]["requests"]
    refused = [r for r in reqs if r["account"] == B and r["status"] >= 400]
    assert len(refused) >= len(attacks)


def test_ram_share_is_the_only_way_across(awssim):
    a, b = awssim.client("ram", account=A), awssim.client("ram", account=B)
    share = a.create_resource_share(name="to-b", resourceArns=[SUBNET], principals=[B])["resourceShare"]
    arn = share["resourceShareArn"]
    inv = b.get_resource_share_invitations()["resourceShareInvitations"]
    assert [i["resourceShareArn"] for i in inv] == [arn]
    assert b.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"] == []  # not before accepting
    b.accept_resource_share_invitation(resourceShareInvitationArn=inv[0]["resourceShareInvitationArn"])
    assert [r["arn"] for r in b.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]] == [SUBNET]
    assert [s["resourceShareArn"] for s in b.get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"]] == [arn]
    # shared means readable, not writable
    assert code_of(b.update_resource_share, resourceShareArn=arn, name="x") == "OperationNotPermittedException"
    assert code_of(b.associate_resource_share, resourceShareArn=arn, principals=[C]) == "OperationNotPermittedException"
    # a third account still sees nothing
    c = awssim.client("ram", account=C)
    assert c.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"] == []
    assert c.get_resource_share_invitations()["resourceShareInvitations"] == []


def test_assumed_role_session_acts_in_the_roles_account(awssim):
    """Credentials from AssumeRole into A act as A (and only A): what they create is A's, B cannot see it."""
    iam_a = awssim.client("iam", account=A)
    iam_a.create_role(RoleName="deployer", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}]}))
    creds = awssim.client("sts", account=B).assume_role(
        RoleArn=f"arn:aws:iam::{A}:role/deployer", RoleSessionName="ci")["Credentials"]
    r53_session = awssim.client("route53", creds=creds)
    zone = r53_session.create_hosted_zone(Name="via-role.example.com", CallerReference="r")["HostedZone"]["Id"]
    assert awssim.client("route53", account=A).get_hosted_zone(Id=zone)["HostedZone"]["Name"] == "via-role.example.com."
    assert code_of(awssim.client("route53", account=B).get_hosted_zone, Id=zone) == "NoSuchHostedZone"
    ident = awssim.client("sts", creds=creds).get_caller_identity()
    assert ident["Account"] == A and ident["Arn"] == f"arn:aws:sts::{A}:assumed-role/deployer/ci"


# ---- strict auth over every protocol -------------------------------------------------------------

KEY, SECRET = "AKIAISOLATION0000001", "isolationSecretKey000000000000000000000"
# one cheap read per service; the auth error codes differ by protocol like AWS's
READS = {
    "sts": (lambda c: c.get_caller_identity(), "query"),
    "iam": (lambda c: c.list_roles(), "query"),
    "stepfunctions": (lambda c: c.list_state_machines(), "json"),
    "dms": (lambda c: c.describe_endpoints(), "json"),
    "route53": (lambda c: c.list_hosted_zones(), "rest-xml"),
    "ram": (lambda c: c.get_resource_shares(resourceOwner="SELF"), "rest-json"),
}
CODES = {
    "unknown": {"query": "InvalidClientTokenId", "rest-xml": "InvalidClientTokenId",
                "json": "UnrecognizedClientException", "rest-json": "UnrecognizedClientException"},
    "forged": {"query": "SignatureDoesNotMatch", "rest-xml": "SignatureDoesNotMatch",
               "json": "InvalidSignatureException", "rest-json": "InvalidSignatureException"},
    "expired": {"query": "ExpiredToken", "rest-xml": "ExpiredToken",
                "json": "ExpiredTokenException", "rest-json": "ExpiredTokenException"},
}


@pytest.fixture
def strict(awssim_factory, tmp_path):
    accounts = tmp_path / "accounts.json"
    accounts.write_text(json.dumps({"credentials": [
        {"accessKeyId": KEY, "secretAccessKey": SECRET, "account": A, "userName": "admin"}]}))
    return awssim_factory(auth="strict", accounts=str(accounts))


def status_and_code(fn):
    with pytest.raises(ClientError) as ei:
        fn()
    r = ei.value.response
    return r["ResponseMetadata"]["HTTPStatusCode"], r["Error"]["Code"]


@pytest.mark.parametrize("service", sorted(READS))
def test_strict_mode_refusals_per_protocol(strict, service):
    read, proto = READS[service]
    good = {"AccessKeyId": KEY, "SecretAccessKey": SECRET}
    read(strict.client(service, creds=good))  # the known key works
    assert status_and_code(lambda: read(strict.client(service, account=B))) == (403, CODES["unknown"][proto])
    forged = dict(good, SecretAccessKey="x" * 40)
    assert status_and_code(lambda: read(strict.client(service, creds=forged))) == (403, CODES["forged"][proto])
    # a session from AssumeRole, used after it expired on the virtual clock
    strict.client("iam", creds=good).create_role(RoleName="short", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"},
                                                "Action": "sts:AssumeRole"}]}))
    sess = strict.client("sts", creds=good).assume_role(RoleArn=f"arn:aws:iam::{A}:role/short",
                                                        RoleSessionName="sess", DurationSeconds=900)["Credentials"]
    read(strict.client(service, creds=sess))
    wrong_token = dict(sess, SessionToken="IQoJforgedtoken")
    assert status_and_code(lambda: read(strict.client(service, creds=wrong_token))) == (403, CODES["unknown"][proto])
    strict.advance(901)
    assert status_and_code(lambda: read(strict.client(service, creds=sess))) == (403, CODES["expired"][proto])


def test_strict_mode_unsigned_and_malformed(strict):
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, body = strict.raw("POST", "/", b"Action=ListRoles&Version=2010-05-08", form)
    assert status == 403 and b"<Code>MissingAuthenticationToken</Code>" in body
    status, _, body = strict.raw("POST", "/", b"Action=ListRoles&Version=2010-05-08",
                                 dict(form, Authorization="AWS4-HMAC-SHA256 Credential=" + KEY))
    assert status == 400 and b"IncompleteSignature" in body


def test_strict_mode_presigned_url_expiry_on_route53(strict):
    """Presigned GET for a REST-XML service: good while fresh, RequestExpired after X-Amz-Expires."""
    import time
    import urllib.request
    r53 = strict.client("route53", creds={"AccessKeyId": KEY, "SecretAccessKey": SECRET})
    url = r53.generate_presigned_url("list_hosted_zones", ExpiresIn=1, HttpMethod="GET")
    with urllib.request.urlopen(url) as resp:
        assert resp.status == 200 and b"<ListHostedZonesResponse" in resp.read()
    time.sleep(2.1)
    status, _, body = strict.raw("GET", url[len(strict.url):])
    assert status == 403 and b"RequestExpired" in body
    tampered = url.replace("X-Amz-Expires=1", "X-Amz-Expires=3600")
    status, _, body = strict.raw("GET", tampered[len(strict.url):])
    assert status == 403 and b"SignatureDoesNotMatch" in body
    for bad in ("0", "604801", "9223372036854775807"):  # SigV4 allows 1 s .. 7 days
        status, _, body = strict.raw("GET", url.replace("X-Amz-Expires=1", "X-Amz-Expires=" + bad)[len(strict.url):])
        assert status == 400 and b"AuthorizationQueryParametersError" in body, (bad, body)


def test_secrets_never_logged_at_debug(awssim_factory, tmp_path):
    accounts = tmp_path / "accounts.json"
    accounts.write_text(json.dumps({"credentials": [
        {"accessKeyId": KEY, "secretAccessKey": SECRET, "account": A}]}))
    sim = awssim_factory(log_level="debug", accounts=str(accounts))
    good = {"AccessKeyId": KEY, "SecretAccessKey": SECRET}
    iam = sim.client("iam", creds=good)
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}]}))
    sess = sim.client("sts", creds=good).assume_role(RoleArn=f"arn:aws:iam::{A}:role/r",
                                                     RoleSessionName="sess")["Credentials"]
    sim.client("stepfunctions", creds=sess).list_state_machines()
    sim.client("dms", creds=sess).create_endpoint(
        EndpointIdentifier="e", EndpointType="source", EngineName="postgres", ServerName="h", Port=5432,
        DatabaseName="d", Username="u", Password="DbPassw0rdNeverLogged")
    with pytest.raises(ClientError):
        sim.client("sts", creds=dict(good, SecretAccessKey="WrongSecretAlsoNeverLogged0000000000000")).get_caller_identity()
    with pytest.raises(ClientError):
        sim.client("sts", creds=dict(sess, SessionToken="IQoJForgedTokenNeverLogged")).get_caller_identity()
    sim.stop()
    log = open(sim.log.name).read()
    assert "CreateEndpoint" in log and "AssumeRole" in log, \
        "debug logging is off: this test would prove nothing"
    for secret in (SECRET, sess["SecretAccessKey"], sess["SessionToken"], sess["SessionToken"][:40],
                   "DbPassw0rdNeverLogged", "WrongSecretAlsoNeverLogged", "IQoJForgedTokenNeverLogged"):
        assert secret not in log, f"a secret appears in the debug log: {secret[:12]}..."
