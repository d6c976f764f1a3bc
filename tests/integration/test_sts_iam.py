"""STS and IAM roles through real clients (boto3 and the AWS CLI)."""
import base64
import json

import pytest
from botocore.exceptions import ClientError

A = "111111111111"
B = "222222222222"


def trust(principal, **extra):
    stmt = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    stmt.update(extra)
    return json.dumps({"Version": "2012-10-17", "Statement": [stmt]})


def make_role(sim, account, name, principal, max_session=None, **extra):
    iam = sim.client("iam", account=account)
    kwargs = dict(RoleName=name, AssumeRolePolicyDocument=trust(principal, **extra))
    if max_session:
        kwargs["MaxSessionDuration"] = max_session
    return iam.create_role(**kwargs)["Role"]


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_caller_identity_from_twelve_digit_key(awssim):
    ident = awssim.client("sts", account=A).get_caller_identity()
    assert ident["Account"] == A
    assert ident["Arn"] == f"arn:aws:iam::{A}:root"


def test_unknown_key_maps_to_default_account(awssim):
    ident = awssim.client("sts", account="AKIAEXAMPLEKEY").get_caller_identity()
    assert ident["Account"] == "000000000000"


def test_cross_account_assume_role_and_identity(awssim):
    role = make_role(awssim, B, "deployer", {"AWS": f"arn:aws:iam::{A}:root"})
    assert role["Arn"] == f"arn:aws:iam::{B}:role/deployer"
    assert role["RoleId"].startswith("AROA")
    out = awssim.client("sts", account=A).assume_role(RoleArn=role["Arn"], RoleSessionName="ci")
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["AccessKeyId"]) == 20
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{B}:assumed-role/deployer/ci"
    ident = awssim.client("sts", creds=creds).get_caller_identity()
    assert ident["Account"] == B
    assert ident["Arn"] == f"arn:aws:sts::{B}:assumed-role/deployer/ci"
    assert ident["UserId"] == role["RoleId"] + ":ci"


def test_trust_policy_refuses_other_accounts(awssim):
    role = make_role(awssim, B, "only-a", {"AWS": A})
    with pytest.raises(ClientError) as ei:
        awssim.client("sts", account="333333333333").assume_role(RoleArn=role["Arn"], RoleSessionName="xx")
    assert error_code(ei) == "AccessDenied"
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "is not authorized to perform: sts:AssumeRole" in str(ei.value)


def test_missing_role_is_access_denied_not_revealed(awssim):
    with pytest.raises(ClientError) as ei:
        awssim.client("sts", account=A).assume_role(RoleArn=f"arn:aws:iam::{B}:role/nope", RoleSessionName="xx")
    assert error_code(ei) == "AccessDenied"


def test_external_id_condition(awssim):
    role = make_role(awssim, B, "ext", {"AWS": A}, Condition={"StringEquals": {"sts:ExternalId": "s3cr3t"}})
    sts = awssim.client("sts", account=A)
    with pytest.raises(ClientError):
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="xx")
    with pytest.raises(ClientError):
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="xx", ExternalId="wrong")
    assert sts.assume_role(RoleArn=role["Arn"], RoleSessionName="xx", ExternalId="s3cr3t")["Credentials"]


def test_duration_limits(awssim):
    role = make_role(awssim, A, "one-hour", {"AWS": A})
    sts = awssim.client("sts", account=A)
    with pytest.raises(ClientError) as ei:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="xx", DurationSeconds=7200)
    assert error_code(ei) == "ValidationError"
    assert "MaxSessionDuration" in str(ei.value)
    with pytest.raises(ClientError) as ei:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="xx", DurationSeconds=899)
    assert error_code(ei) == "ValidationError"
    assert "greater than or equal to 900" in str(ei.value)
    long_role = make_role(awssim, A, "two-hours", {"AWS": A}, max_session=7200)
    creds = sts.assume_role(RoleArn=long_role["Arn"], RoleSessionName="xx", DurationSeconds=7200)["Credentials"]
    assert (creds["Expiration"] - awssim.client("sts", account=A).assume_role(
        RoleArn=long_role["Arn"], RoleSessionName="yy", DurationSeconds=900)["Credentials"]["Expiration"]).seconds == 6300


def test_role_chaining_limited_to_one_hour(awssim):
    first = make_role(awssim, A, "first", {"AWS": A}, max_session=7200)
    second = make_role(awssim, A, "second", {"AWS": first["Arn"]}, max_session=7200)
    creds = awssim.client("sts", account=A).assume_role(RoleArn=first["Arn"], RoleSessionName="aa")["Credentials"]
    chained = awssim.client("sts", creds=creds)
    with pytest.raises(ClientError) as ei:
        chained.assume_role(RoleArn=second["Arn"], RoleSessionName="bb", DurationSeconds=7200)
    assert "role chaining" in str(ei.value)
    out = chained.assume_role(RoleArn=second["Arn"], RoleSessionName="bb")
    assert out["AssumedRoleUser"]["Arn"].endswith("assumed-role/second/bb")


def test_session_name_validation_message(awssim):
    role = make_role(awssim, A, "r", {"AWS": A})
    with pytest.raises(ClientError) as ei:
        awssim.client("sts", account=A).assume_role(RoleArn=role["Arn"], RoleSessionName="a" * 65)
    msg = ei.value.response["Error"]["Message"]
    assert msg.startswith("1 validation error detected: Value '")
    assert "at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64" in msg


def test_credentials_expire_on_the_virtual_clock(awssim):
    role = make_role(awssim, A, "short", {"AWS": A})
    creds = awssim.client("sts", account=A).assume_role(RoleArn=role["Arn"], RoleSessionName="xx",
                                                         DurationSeconds=900)["Credentials"]
    session = awssim.client("sts", creds=creds)
    assert session.get_caller_identity()["Account"] == A
    awssim.advance(899)
    assert session.get_caller_identity()["Account"] == A
    awssim.advance(1)
    with pytest.raises(ClientError) as ei:
        session.get_caller_identity()
    assert error_code(ei) == "ExpiredToken"
    last = awssim.control("GET", "requests")[1]["requests"][-1]
    assert (last["operation"], last["status"], last["errorCode"]) == ("GetCallerIdentity", 403, "ExpiredToken")


def test_issued_credentials_are_verified(awssim):
    role = make_role(awssim, A, "r", {"AWS": A})
    creds = awssim.client("sts", account=A).assume_role(RoleArn=role["Arn"], RoleSessionName="xx")["Credentials"]
    bad = dict(creds, SecretAccessKey="x" * 40)
    with pytest.raises(ClientError) as ei:
        awssim.client("sts", creds=bad).get_caller_identity()
    assert error_code(ei) == "SignatureDoesNotMatch"
    wrong_token = dict(creds, SessionToken="IQoJforged")
    with pytest.raises(ClientError) as ei:
        awssim.client("sts", creds=wrong_token).get_caller_identity()
    assert error_code(ei) == "InvalidClientTokenId"


def test_strict_auth_refuses_unknown_keys(awssim_factory, tmp_path):
    accounts = tmp_path / "accounts.json"
    accounts.write_text(json.dumps({"credentials": [
        {"accessKeyId": "AKIAADMINEXAMPLE0001", "secretAccessKey": "adminsecret", "account": A, "userName": "admin"}]}))
    sim = awssim_factory(auth="strict", accounts=str(accounts))
    with pytest.raises(ClientError) as ei:
        sim.client("sts", account=A).get_caller_identity()
    assert error_code(ei) == "InvalidClientTokenId"
    admin = {"AccessKeyId": "AKIAADMINEXAMPLE0001", "SecretAccessKey": "adminsecret"}
    ident = sim.client("sts", creds=admin).get_caller_identity()
    assert ident["Arn"] == f"arn:aws:iam::{A}:user/admin"
    with pytest.raises(ClientError) as ei:
        sim.client("sts", creds=dict(admin, SecretAccessKey="wrong")).get_caller_identity()
    assert error_code(ei) == "SignatureDoesNotMatch"
    status, _, body = sim.raw("POST", "/", b"Action=GetCallerIdentity&Version=2011-06-15",
                              {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"MissingAuthenticationToken" in body


def test_strict_auth_refuses_expired_presigned_url(awssim_factory, tmp_path):
    import urllib.request
    accounts = tmp_path / "accounts.json"
    accounts.write_text(json.dumps({"credentials": [
        {"accessKeyId": "AKIAPRESIGN000000001", "secretAccessKey": "k", "account": A}]}))
    sim = awssim_factory(auth="strict", accounts=str(accounts))
    sts = sim.client("sts", creds={"AccessKeyId": "AKIAPRESIGN000000001", "SecretAccessKey": "k"})
    url = sts.generate_presigned_url("get_caller_identity", ExpiresIn=60, HttpMethod="GET")
    with urllib.request.urlopen(url) as resp:
        assert b"<Account>111111111111</Account>" in resp.read()
    old = sts.generate_presigned_url("get_caller_identity", ExpiresIn=1, HttpMethod="GET")
    import time
    time.sleep(2.1)
    status, _, body = sim.raw("GET", old[len(sim.url):])
    assert status == 403 and b"RequestExpired" in body


def test_get_session_and_federation_tokens(awssim):
    sts = awssim.client("sts", account=A)
    st = sts.get_session_token(DurationSeconds=900)["Credentials"]
    assert awssim.client("sts", creds=st).get_caller_identity()["Account"] == A
    with pytest.raises(ClientError) as ei:
        awssim.client("sts", creds=st).get_session_token()
    assert error_code(ei) == "AccessDenied"
    fed = sts.get_federation_token(Name="bob", DurationSeconds=900)
    assert fed["FederatedUser"]["Arn"] == f"arn:aws:sts::{A}:federated-user/bob"
    ident = awssim.client("sts", creds=fed["Credentials"]).get_caller_identity()
    assert ident["Arn"].endswith("federated-user/bob")
    with pytest.raises(ClientError) as ei:
        sts.get_federation_token(Name="bob", Policy="{not json")
    assert error_code(ei) == "MalformedPolicyDocument"


def _b64url(obj):
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def test_assume_role_with_web_identity(awssim):
    iam = awssim.client("iam", account=A)
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
           "Principal": {"Federated": f"arn:aws:iam::{A}:oidc-provider/token.actions.githubusercontent.com"},
           "Action": "sts:AssumeRoleWithWebIdentity",
           "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}]}
    role = iam.create_role(RoleName="gha", AssumeRolePolicyDocument=json.dumps(doc))["Role"]
    token = ".".join([_b64url({"alg": "RS256"}), _b64url({"iss": "https://token.actions.githubusercontent.com",
                      "sub": "repo:org/app:ref:refs/heads/main", "aud": "sts.amazonaws.com"}), "sig"])
    sts = awssim.client("sts", account=A)
    out = sts.assume_role_with_web_identity(RoleArn=role["Arn"], RoleSessionName="gha", WebIdentityToken=token)
    assert out["SubjectFromWebIdentityToken"] == "repo:org/app:ref:refs/heads/main"
    assert out["Provider"] == "token.actions.githubusercontent.com"
    bad_aud = ".".join([_b64url({}), _b64url({"iss": "https://token.actions.githubusercontent.com",
                        "sub": "x", "aud": "other"}), "sig"])
    with pytest.raises(ClientError) as ei:
        sts.assume_role_with_web_identity(RoleArn=role["Arn"], RoleSessionName="gha", WebIdentityToken=bad_aud)
    assert error_code(ei) == "AccessDenied"
    with pytest.raises(ClientError) as ei:
        sts.assume_role_with_web_identity(RoleArn=role["Arn"], RoleSessionName="gha", WebIdentityToken="notajwt1234")
    assert error_code(ei) == "InvalidIdentityToken"


def test_assume_role_with_saml(awssim):
    iam = awssim.client("iam", account=A)
    provider = f"arn:aws:iam::{A}:saml-provider/corp"
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": provider},
           "Action": "sts:AssumeRoleWithSAML"}]}
    role = iam.create_role(RoleName="saml", AssumeRolePolicyDocument=json.dumps(doc))["Role"]
    assertion = (f'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
                 f'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Issuer>https://idp.corp</saml:Issuer>'
                 f'<saml:Assertion><saml:Subject><saml:NameID>alice</saml:NameID></saml:Subject>'
                 f'<saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">'
                 f'<saml:AttributeValue>{role["Arn"]},{provider}</saml:AttributeValue></saml:Attribute>'
                 f'</saml:AttributeStatement></saml:Assertion></samlp:Response>')
    out = awssim.client("sts", account=A).assume_role_with_saml(
        RoleArn=role["Arn"], PrincipalArn=provider, SAMLAssertion=base64.b64encode(assertion.encode()).decode())
    assert out["Subject"] == "alice"
    assert out["Issuer"] == "https://idp.corp"
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/saml/alice"


def test_other_sts_operations(awssim):
    sts = awssim.client("sts", account=A)
    role = make_role(awssim, B, "keyinfo", {"AWS": A})
    issued = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="ki")["Credentials"]["AccessKeyId"]
    assert sts.get_access_key_info(AccessKeyId=issued)["Account"] == B
    assert sts.get_access_key_info(AccessKeyId="AKIAUNKNOWNKEY000000")["Account"] == "000000000000"
    msg = base64.b64encode(json.dumps({"allowed": False}).encode()).decode()
    assert json.loads(sts.decode_authorization_message(EncodedMessage=msg)["DecodedMessage"]) == {"allowed": False}
    with pytest.raises(ClientError) as ei:
        sts.decode_authorization_message(EncodedMessage="!!!")
    assert error_code(ei) == "InvalidAuthorizationMessageException"
    root = sts.assume_root(TargetPrincipal=B, TaskPolicyArn={
        "arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"})
    assert awssim.client("sts", creds=root["Credentials"]).get_caller_identity()["Arn"] == f"arn:aws:iam::{B}:root"
    tok = sts.get_web_identity_token(Audience=["https://example.com"], SigningAlgorithm="RS256")
    assert tok["WebIdentityToken"].count(".") == 2
    with pytest.raises(ClientError) as ei:
        sts.get_delegated_access_token(TradeInToken="t" * 20)
    assert error_code(ei) == "ExpiredTradeInTokenException"


def test_iam_role_lifecycle(awssim):
    iam = awssim.client("iam", account=A)
    make_role(awssim, A, "app", {"Service": "lambda.amazonaws.com"})
    with pytest.raises(ClientError) as ei:
        make_role(awssim, A, "APP", {"Service": "lambda.amazonaws.com"})
    assert error_code(ei) == "EntityAlreadyExists"
    iam.put_role_policy(RoleName="app", PolicyName="logs", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}))
    assert iam.list_role_policies(RoleName="app")["PolicyNames"] == ["logs"]
    assert iam.get_role_policy(RoleName="app", PolicyName="logs")["PolicyDocument"]["Statement"][0]["Action"] == "logs:*"
    iam.attach_role_policy(RoleName="app", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert iam.list_attached_role_policies(RoleName="app")["AttachedPolicies"][0]["PolicyName"] == "ReadOnlyAccess"
    with pytest.raises(ClientError) as ei:
        iam.delete_role(RoleName="app")
    assert error_code(ei) == "DeleteConflict"
    iam.delete_role_policy(RoleName="app", PolicyName="logs")
    iam.detach_role_policy(RoleName="app", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.tag_role(RoleName="app", Tags=[{"Key": "team", "Value": "payments"}])
    assert iam.list_role_tags(RoleName="app")["Tags"] == [{"Key": "team", "Value": "payments"}]
    iam.untag_role(RoleName="app", TagKeys=["team"])
    assert iam.list_role_tags(RoleName="app")["Tags"] == []
    iam.update_role(RoleName="app", MaxSessionDuration=7200, Description="d")
    assert iam.get_role(RoleName="app")["Role"]["MaxSessionDuration"] == 7200
    iam.update_role_description(RoleName="app", Description="new")
    iam.put_role_permissions_boundary(RoleName="app", PermissionsBoundary="arn:aws:iam::aws:policy/PowerUserAccess")
    assert iam.get_role(RoleName="app")["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"].endswith("PowerUserAccess")
    iam.delete_role_permissions_boundary(RoleName="app")
    iam.update_assume_role_policy(RoleName="app", PolicyDocument=trust({"AWS": A}))
    iam.delete_role(RoleName="app")
    with pytest.raises(ClientError) as ei:
        iam.get_role(RoleName="app")
    assert error_code(ei) == "NoSuchEntity"
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_iam_max_session_duration_range(awssim):
    iam = awssim.client("iam", account=A)
    for bad in (3599, 43201):
        with pytest.raises(ClientError) as ei:
            iam.create_role(RoleName=f"r{bad}", AssumeRolePolicyDocument=trust({"AWS": A}), MaxSessionDuration=bad)
        assert error_code(ei) == "ValidationError"


def test_iam_policy_documents_validated(awssim):
    iam = awssim.client("iam", account=A)
    with pytest.raises(ClientError) as ei:
        iam.create_role(RoleName="bad", AssumeRolePolicyDocument="{oops")
    assert error_code(ei) == "MalformedPolicyDocument"
    with pytest.raises(ClientError) as ei:
        iam.create_role(RoleName="bad", AssumeRolePolicyDocument=trust({"AWS": f"arn:aws:iam::{B}:role/missing"}))
    assert "Invalid principal in policy" in str(ei.value)
    with pytest.raises(ClientError) as ei:
        iam.create_role(RoleName="bad", AssumeRolePolicyDocument=trust({"AWS": A}, Resource="*"))
    assert "Has prohibited field Resource" in str(ei.value)


def test_list_roles_paging(awssim):
    iam = awssim.client("iam", account=A)
    for i in range(5):
        iam.create_role(RoleName=f"role{i}", Path="/svc/" if i % 2 else "/", AssumeRolePolicyDocument=trust({"AWS": A}))
    page = iam.list_roles(MaxItems=2)
    assert page["IsTruncated"] and len(page["Roles"]) == 2
    rest = iam.list_roles(Marker=page["Marker"])
    assert [r["RoleName"] for r in page["Roles"] + rest["Roles"]] == [f"role{i}" for i in range(5)]
    assert len(iam.list_roles(PathPrefix="/svc/")["Roles"]) == 2
    paginated = [r["RoleName"] for p in iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 2})
                 for r in p["Roles"]]
    assert len(paginated) == 5


def test_accounts_are_isolated(awssim):
    make_role(awssim, A, "mine", {"AWS": A})
    with pytest.raises(ClientError):
        awssim.client("iam", account=B).get_role(RoleName="mine")
    assert awssim.client("iam", account=B).list_roles()["Roles"] == []


def test_cli_session(awssim):
    out = awssim.cli("iam", "create-role", "--role-name", "cli-role", "--assume-role-policy-document",
                     trust({"AWS": A}), account=A, check=True).json
    assert out["Role"]["Arn"] == f"arn:aws:iam::{A}:role/cli-role"
    creds = awssim.cli("sts", "assume-role", "--role-arn", out["Role"]["Arn"], "--role-session-name", "cli",
                       account=A, check=True).json["Credentials"]
    ident = awssim.cli("sts", "get-caller-identity", creds=creds, check=True).json
    assert ident["Arn"] == f"arn:aws:sts::{A}:assumed-role/cli-role/cli"
    bad = awssim.cli("sts", "assume-role", "--role-arn", out["Role"]["Arn"], "--role-session-name", "cli",
                     "--duration-seconds", "7200", account=A)
    assert bad.rc != 0 and "ValidationError" in bad.stderr and "MaxSessionDuration" in bad.stderr
