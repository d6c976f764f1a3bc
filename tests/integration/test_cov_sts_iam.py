"""STS and IAM rules not covered by test_sts_iam.py: IAM's policy grammar errors, role quotas and
conflicts, tag merging and limits; STS trust evaluation (single-statement policies, lists, explicit
Deny, Null conditions, session tags and sts:TagSession, SAML provider lists), token and session
policy errors, and which callers may use which operation."""
import base64
import json

import pytest
from botocore.exceptions import ClientError

A = "111111111111"
B = "222222222222"


def error(excinfo):
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)}, ensure_ascii=False)


def allow_assume(principal, **extra):
    stmt = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    stmt.update(extra)
    return stmt


def b64url(obj):
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def jwt(claims):
    return ".".join([b64url({"alg": "RS256"}), b64url(claims), "sig"])


@pytest.fixture
def iam(awssim):
    return awssim.client("iam", account=A)


@pytest.fixture
def sts(awssim):
    return awssim.client("sts", account=A)


@pytest.mark.parametrize("doc, message", [
    ({"Version": "2001-01-01", "Statement": [allow_assume({"AWS": A})]}, "The policy failed legacy parsing"),
    ({"Version": "2012-10-17"}, "Syntax errors in policy."),
    ({"Version": "2012-10-17", "Statement": "everything"}, "Syntax errors in policy."),
    ({"Version": "2012-10-17", "Statement": [dict(allow_assume({"AWS": A}), Effect="Maybe")]},
     "Syntax errors in policy."),
    ({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": A}}]},
     "Policy statement must contain actions."),
    ({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]},
     "AssumeRolepolicy contained an invalid principal: Missing Principal"),
])
def test_trust_policy_grammar(iam, doc, message):
    with pytest.raises(ClientError) as ei:
        iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(doc))
    assert error(ei) == ("MalformedPolicyDocument", message, 400)


def test_single_statement_object_and_not_principal_are_accepted(iam, awssim):
    single = {"Version": "2012-10-17", "Statement": allow_assume({"AWS": A})}
    role = iam.create_role(RoleName="single", AssumeRolePolicyDocument=json.dumps(single))["Role"]
    # the trust policy with one statement object (not a list) is evaluated like a list of one
    creds = awssim.client("sts", account=A).assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
    assert creds["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/single/s1"
    not_principal = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "NotPrincipal": {"AWS": A}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName="np", AssumeRolePolicyDocument=json.dumps(not_principal))


def test_permission_policy_grammar(iam):
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=policy(allow_assume({"AWS": A})))
    no_resource = policy({"Effect": "Allow", "Action": "s3:GetObject"})
    with pytest.raises(ClientError) as ei:
        iam.put_role_policy(RoleName="app", PolicyName="p", PolicyDocument=no_resource)
    assert error(ei) == ("MalformedPolicyDocument", "Policy statement must contain resources.", 400)
    # NotResource counts as resources; the failed put left nothing behind
    assert iam.list_role_policies(RoleName="app")["PolicyNames"] == []
    iam.put_role_policy(RoleName="app", PolicyName="p", PolicyDocument=policy(
        {"Effect": "Deny", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::x"}))
    assert iam.list_role_policies(RoleName="app")["PolicyNames"] == ["p"]
    with pytest.raises(ClientError) as ei:
        iam.update_assume_role_policy(RoleName="app", PolicyDocument="[]")
    assert error(ei) == ("MalformedPolicyDocument", "This policy contains invalid Json", 400)
    # the role's trust policy is unchanged
    doc = iam.get_role(RoleName="app")["Role"]["AssumeRolePolicyDocument"]
    assert doc["Statement"][0]["Principal"] == {"AWS": A}


def test_create_role_path_and_boundary(iam):
    with pytest.raises(ClientError) as ei:
        iam.create_role(RoleName="r", Path="/no-trailing-slash", AssumeRolePolicyDocument=policy(
            allow_assume({"AWS": A})))
    code, message, status = error(ei)
    assert (code, status) == ("ValidationError", 400)
    assert message.startswith("The specified value for path is invalid. It must begin and end with /")
    boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
    role = iam.create_role(RoleName="r", Path="/team/", PermissionsBoundary=boundary,
                           AssumeRolePolicyDocument=policy(allow_assume({"AWS": A})))["Role"]
    assert role["Arn"] == f"arn:aws:iam::{A}:role/team/r"
    assert role["PermissionsBoundary"] == {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
    assert iam.get_role(RoleName="r")["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"] == boundary


def test_role_arn_path_must_match(awssim, iam, sts):
    iam.create_role(RoleName="pathed", Path="/team/", AssumeRolePolicyDocument=policy(allow_assume({"AWS": A})))
    wrong = f"arn:aws:iam::{A}:role/other/pathed"
    with pytest.raises(ClientError) as ei:
        sts.assume_role(RoleArn=wrong, RoleSessionName="s1")
    assert error(ei)[0] == "AccessDenied" and wrong in error(ei)[1]
    # a trust policy may not name a role by an ARN with the wrong path either
    with pytest.raises(ClientError) as ei:
        iam.create_role(RoleName="x", AssumeRolePolicyDocument=policy(allow_assume({"AWS": [A, wrong]})))
    assert error(ei)[1] == f'Invalid principal in policy: "AWS":"{wrong}"'
    ok = sts.assume_role(RoleArn=f"arn:aws:iam::{A}:role/team/pathed", RoleSessionName="s1")
    assert ok["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{A}:assumed-role/pathed/s1"


def test_inline_policy_not_found(iam):
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=policy(allow_assume({"AWS": A})))
    for call in (iam.get_role_policy, iam.delete_role_policy):
        with pytest.raises(ClientError) as ei:
            call(RoleName="app", PolicyName="absent")
        assert error(ei) == ("NoSuchEntity", "The role policy with name absent cannot be found.", 404)


def test_attached_policies_quota_duplicates_and_conflicts(iam):
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=policy(allow_assume({"AWS": A})))
    arns = [f"arn:aws:iam::{A}:policy/p{i}" for i in range(20)]
    for arn in arns:
        iam.attach_role_policy(RoleName="app", PolicyArn=arn)
    iam.attach_role_policy(RoleName="app", PolicyArn=arns[3])  # attaching twice is a no-op
    attached = iam.list_attached_role_policies(RoleName="app", MaxItems=100)["AttachedPolicies"]
    assert [a["PolicyArn"] for a in attached] == arns
    with pytest.raises(ClientError) as ei:
        iam.attach_role_policy(RoleName="app", PolicyArn=f"arn:aws:iam::{A}:policy/p20")
    assert error(ei) == ("LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 20", 409)
    with pytest.raises(ClientError) as ei:
        iam.detach_role_policy(RoleName="app", PolicyArn=f"arn:aws:iam::{A}:policy/never")
    assert error(ei) == ("NoSuchEntity", f"Policy arn:aws:iam::{A}:policy/never was not found.", 404)
    with pytest.raises(ClientError) as ei:
        iam.delete_role(RoleName="app")
    assert error(ei) == ("DeleteConflict", "Cannot delete entity, must detach all policies first.", 409)
    for arn in arns:
        iam.detach_role_policy(RoleName="app", PolicyArn=arn)
    iam.delete_role(RoleName="app")


def test_tags_merge_by_key_and_limits(iam):
    iam.create_role(RoleName="app", AssumeRolePolicyDocument=policy(allow_assume({"AWS": A})),
                    Tags=[{"Key": "team", "Value": "a"}, {"Key": "env", "Value": "dev"}])
    iam.tag_role(RoleName="app", Tags=[{"Key": "env", "Value": "prod"}, {"Key": "cost", "Value": "42"}])
    assert iam.list_role_tags(RoleName="app")["Tags"] == [
        {"Key": "team", "Value": "a"}, {"Key": "env", "Value": "prod"}, {"Key": "cost", "Value": "42"}]
    with pytest.raises(ClientError) as ei:
        iam.tag_role(RoleName="app", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(48)])
    assert error(ei) == ("LimitExceeded", "Cannot exceed quota for TagsPerRole: 50.", 409)
    assert len(iam.list_role_tags(RoleName="app")["Tags"]) == 3
    with pytest.raises(ClientError) as ei:
        iam.tag_role(RoleName="app", Tags=[{"Key": "aws:reserved", "Value": "v"}])
    assert error(ei)[0] == "InvalidInput" and error(ei)[2] == 400


# ---- STS ----

def test_trust_policy_statement_object_deny_and_action_lists(awssim, iam, sts):
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["sts:TagSession", "sts:AssumeRole"]},
        {"Effect": "Deny", "Principal": "*", "Action": ["sts:SetSourceIdentity", "sts:AssumeRole"],
         "Condition": {"StringEquals": {"sts:ExternalId": "blocked"}}}]}
    role = iam.create_role(RoleName="r", AssumeRolePolicyDocument=json.dumps(doc))["Role"]
    sts.assume_role(RoleArn=role["Arn"], RoleSessionName="ok", ExternalId="fine")
    with pytest.raises(ClientError) as ei:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="no", ExternalId="blocked")
    assert error(ei) == ("AccessDenied", f"User: arn:aws:iam::{A}:root is not authorized to perform: "
                         f"sts:AssumeRole on resource: {role['Arn']}", 403)
    # an action list that does not name sts:AssumeRole grants nothing
    only_tags = {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": A},
                                                         "Action": ["sts:TagSession", "sts:SetSourceIdentity"]}}
    role2 = iam.create_role(RoleName="r2", AssumeRolePolicyDocument=json.dumps(only_tags))["Role"]
    with pytest.raises(ClientError) as ei:
        sts.assume_role(RoleArn=role2["Arn"], RoleSessionName="x1")
    assert error(ei)[0] == "AccessDenied"


def test_null_condition_requires_external_id(iam, sts):
    role = iam.create_role(RoleName="r", AssumeRolePolicyDocument=policy(allow_assume(
        {"AWS": A}, Condition={"Null": {"sts:ExternalId": "false"}})))["Role"]
    with pytest.raises(ClientError) as ei:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
    assert error(ei)[0] == "AccessDenied"
    assert sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", ExternalId="any")["Credentials"]


def test_session_tags_need_tag_session(iam, sts):
    tag_cond = {"StringEquals": {"aws:RequestTag/team": "payments"}}
    both = {"Version": "2012-10-17", "Statement": [
        allow_assume({"AWS": A}),
        {"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:TagSession", "Condition": tag_cond}]}
    role = iam.create_role(RoleName="tagged", AssumeRolePolicyDocument=json.dumps(both))["Role"]
    out = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", Tags=[{"Key": "team", "Value": "payments"}],
                          SourceIdentity="alice")
    assert out["SourceIdentity"] == "alice"
    with pytest.raises(ClientError) as ei:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", Tags=[{"Key": "team", "Value": "other"}])
    assert error(ei) == ("AccessDenied", f"User: arn:aws:iam::{A}:root is not authorized to perform: "
                         f"sts:TagSession on resource: {role['Arn']}", 403)
    plain = iam.create_role(RoleName="plain", AssumeRolePolicyDocument=policy(allow_assume({"AWS": A})))["Role"]
    with pytest.raises(ClientError) as ei:
        sts.assume_role(RoleArn=plain["Arn"], RoleSessionName="s1", Tags=[{"Key": "team", "Value": "payments"}])
    assert "sts:TagSession" in error(ei)[1]


def test_session_policy_size(iam, sts):
    role = iam.create_role(RoleName="r", AssumeRolePolicyDocument=policy(allow_assume({"AWS": A})))["Role"]
    small = policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
    out = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", Policy=small)
    assert out["PackedPolicySize"] == len(small) * 100 // 2048
    # under 2048 characters (the model's limit) but over 2048 bytes: the packed policy is too large
    big = policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + "é" * 1900})
    assert len(big) <= 2048 < len(big.encode())
    with pytest.raises(ClientError) as ei:
        sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1", Policy=big)
    pct = len(big.encode()) * 100 // 2048
    assert error(ei) == ("PackedPolicyTooLarge",
                         f"Packed policy consumes {pct}% of allotted space, please use smaller policy.", 400)


def test_web_identity_token_errors(awssim, iam, sts):
    provider = "token.example.com"
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
           "Principal": {"Federated": f"arn:aws:iam::{A}:oidc-provider/{provider}"}}]}
    role = iam.create_role(RoleName="oidc", AssumeRolePolicyDocument=json.dumps(doc))["Role"]
    call = dict(RoleArn=role["Arn"], RoleSessionName="w1")
    with pytest.raises(ClientError) as ei:
        sts.assume_role_with_web_identity(WebIdentityToken=jwt({"iss": "https://" + provider}), **call)
    assert error(ei)[0] == "InvalidIdentityToken"
    assert error(ei)[1].startswith("The ID Token provided is not a valid JWT.")
    now = awssim.control("GET", "clock")[1]["nowMs"] // 1000
    with pytest.raises(ClientError) as ei:
        sts.assume_role_with_web_identity(WebIdentityToken=jwt(
            {"iss": "https://" + provider, "sub": "u", "exp": now - 10}), **call)
    code, message, status = error(ei)
    assert (code, status) == ("ExpiredTokenException", 400)
    assert message.startswith("Token expired: current date/time ") and "must be before the expiration" in message
    good = jwt({"iss": "https://" + provider, "sub": "u", "aud": ["a1", "a2"], "exp": now + 600})
    with pytest.raises(ClientError) as ei:
        sts.assume_role_with_web_identity(WebIdentityToken=good, DurationSeconds=7200, **call)
    assert error(ei) == ("ValidationError",
                         "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", 400)
    out = sts.assume_role_with_web_identity(WebIdentityToken=good, **call)
    assert out["Audience"] == "a1" and out["Provider"] == provider


def test_saml_provider_lists_and_refusals(awssim, iam, sts):
    corp = f"arn:aws:iam::{A}:saml-provider/corp"
    other = f"arn:aws:iam::{A}:saml-provider/other"
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithSAML",
           "Principal": {"Federated": [other, corp]}}]}
    role = iam.create_role(RoleName="saml", AssumeRolePolicyDocument=json.dumps(doc))["Role"]

    def assertion(provider):
        xml = (f'<Response><Issuer>https://idp</Issuer><Assertion><Subject><NameID>bob</NameID></Subject>'
               f'<Attribute><AttributeValue>{role["Arn"]},{provider}</AttributeValue></Attribute>'
               f'</Assertion></Response>')
        return base64.b64encode(xml.encode()).decode()

    out = sts.assume_role_with_saml(RoleArn=role["Arn"], PrincipalArn=corp, SAMLAssertion=assertion(corp))
    assert out["Subject"] == "bob"
    stranger = f"arn:aws:iam::{A}:saml-provider/stranger"
    with pytest.raises(ClientError) as ei:
        sts.assume_role_with_saml(RoleArn=role["Arn"], PrincipalArn=stranger, SAMLAssertion=assertion(stranger))
    assert error(ei) == ("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML", 403)
    with pytest.raises(ClientError) as ei:  # the assertion names another provider for the role
        sts.assume_role_with_saml(RoleArn=role["Arn"], PrincipalArn=corp, SAMLAssertion=assertion(other))
    assert error(ei) == ("InvalidIdentityToken", "Invalid SAML response: role and provider pair not in assertion",
                         400)
    with pytest.raises(ClientError) as ei:
        sts.assume_role_with_saml(RoleArn=role["Arn"], PrincipalArn=corp,
                                  SAMLAssertion=base64.b64encode(b"<not-closed>" * 2).decode())
    assert error(ei) == ("InvalidIdentityToken", "Invalid base64 SAML authentication response", 400)


def test_session_credentials_limits(awssim, sts):
    session = sts.get_session_token()["Credentials"]
    as_session = awssim.client("sts", creds=session)
    with pytest.raises(ClientError) as ei:
        as_session.get_federation_token(Name="fed")
    assert error(ei) == ("AccessDenied", "Cannot call GetFederationToken with session credentials", 403)
    task = {"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"}
    with pytest.raises(ClientError) as ei:
        as_session.assume_root(TargetPrincipal=B, TaskPolicyArn=task)
    assert error(ei)[0] == "AccessDenied" and "sts:AssumeRoot" in error(ei)[1]
    with pytest.raises(ClientError) as ei:
        sts.assume_root(TargetPrincipal=B, TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/AdministratorAccess"})
    assert error(ei) == ("ValidationError", "The TaskPolicyArn must be an AWS managed root-task policy.", 400)
    fed_policy = policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    fed = sts.get_federation_token(Name="fed", Policy=fed_policy)
    assert fed["PackedPolicySize"] == len(fed_policy) * 100 // 2048
    assert fed["FederatedUser"]["Arn"] == f"arn:aws:sts::{A}:federated-user/fed"


@pytest.mark.parametrize("audience", ["a", "ab", "abc"])
def test_web_identity_token_payload(awssim, sts, audience):
    now = awssim.control("GET", "clock")[1]["nowMs"] // 1000
    tok = sts.get_web_identity_token(Audience=[audience], SigningAlgorithm="RS256", DurationSeconds=120)
    header, payload, sig = tok["WebIdentityToken"].split(".")
    assert "=" not in payload and len(sig) == 43
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims == {"iss": "https://sts.amazonaws.com", "sub": f"arn:aws:iam::{A}:root", "aud": [audience],
                      "iat": now, "exp": now + 120}
