"""AWS RAM through real clients (boto3 and the AWS CLI) across three accounts.

Covers every operation of the ram model, success and error paths: resource shares and their
associations, invitations (accept, reject, expiry on the virtual clock), organization sharing,
managed permissions and versions, CREATED_FROM_POLICY errors, tags, paging, and malformed input.
"""
import json

import pytest
from botocore.exceptions import ClientError

OWNER, PEER, OTHER = "111111111111", "222222222222", "333333333333"
TGW = f"arn:aws:ec2:us-east-1:{OWNER}:transit-gateway/tgw-0123456789abcdef0"
SUBNET = f"arn:aws:ec2:us-east-1:{OWNER}:subnet/subnet-0123456789abcdef0"
PREFIX_LIST = f"arn:aws:ec2:us-east-1:{OWNER}:prefix-list/pl-0123456789abcdef0"
ORG_ID = "o-abcdefghij"
ORG_ARN = f"arn:aws:organizations::{OWNER}:organization/{ORG_ID}"
OU_ARN = f"arn:aws:organizations::{OWNER}:ou/{ORG_ID}/ou-ab12-cdefgh12"
TGW_POLICY = json.dumps({"Effect": "Allow", "Action": ["ec2:CreateTransitGatewayVpcAttachment"]})


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def expect_error(code, fn, **kwargs):
    with pytest.raises(ClientError) as excinfo:
        fn(**kwargs)
    assert error_code(excinfo) == code, excinfo.value.response["Error"]
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 409)
    return excinfo.value.response


@pytest.fixture
def ram(awssim):
    return {acct: awssim.client("ram", account=acct) for acct in (OWNER, PEER, OTHER)}


def set_org(awssim, enable=True, ram=None):
    status, body = awssim.control("POST", "ram/organization", {
        "organizationId": ORG_ID, "masterAccount": OWNER, "accounts": [PEER],
        "organizationalUnits": [{"id": "ou-ab12-cdefgh12", "accounts": [PEER]}]})
    assert status == 200, body
    if enable:
        assert ram[OWNER].enable_sharing_with_aws_organization()["returnValue"] is True


def only_invitation(client):
    invs = client.get_resource_share_invitations()["resourceShareInvitations"]
    assert len(invs) == 1, invs
    return invs[0]


def principal_status(client, share_arn, principal):
    assocs = client.get_resource_share_associations(
        associationType="PRINCIPAL", resourceShareArns=[share_arn], principal=principal)["resourceShareAssociations"]
    assert len(assocs) == 1, assocs
    return assocs[0]["status"]


# ---- resource shares ----------------------------------------------------------------------------

def test_create_get_update_delete_share(ram):
    owner = ram[OWNER]
    share = owner.create_resource_share(
        name="network", resourceArns=[TGW], tags=[{"key": "team", "value": "net"}],
        resourceShareConfiguration={"retainSharingOnAccountLeaveOrganization": True},
        clientToken="create-1")["resourceShare"]
    arn = share["resourceShareArn"]
    assert arn.startswith(f"arn:aws:ram:us-east-1:{OWNER}:resource-share/")
    assert share["status"] == "ACTIVE" and share["owningAccountId"] == OWNER
    assert share["allowExternalPrincipals"] is True
    assert share["resourceShareConfiguration"] == {"retainSharingOnAccountLeaveOrganization": True}

    shares = owner.get_resource_shares(resourceOwner="SELF")["resourceShares"]
    assert [s["resourceShareArn"] for s in shares] == [arn]
    assert shares[0]["tags"] == [{"key": "team", "value": "net"}]
    assert owner.get_resource_shares(resourceOwner="SELF", name="other")["resourceShares"] == []

    updated = owner.update_resource_share(resourceShareArn=arn, name="renamed",
                                          allowExternalPrincipals=False)["resourceShare"]
    assert updated["name"] == "renamed" and updated["allowExternalPrincipals"] is False

    assert owner.delete_resource_share(resourceShareArn=arn)["returnValue"] is True
    deleted = owner.get_resource_shares(resourceOwner="SELF", resourceShareStatus="DELETED")["resourceShares"]
    assert [s["status"] for s in deleted] == ["DELETED"]
    expect_error("UnknownResourceException", owner.update_resource_share, resourceShareArn=arn, name="x")
    expect_error("UnknownResourceException", owner.delete_resource_share, resourceShareArn=arn)


def test_share_errors(ram):
    owner = ram[OWNER]
    expect_error("MalformedArnException", owner.update_resource_share, resourceShareArn="not-an-arn")
    expect_error("UnknownResourceException", owner.delete_resource_share,
                 resourceShareArn=f"arn:aws:ram:us-east-1:{OWNER}:resource-share/00000000-0000-4000-8000-000000000000")
    expect_error("MalformedArnException", owner.create_resource_share, name="x", resourceArns=["arn:bad"])
    expect_error("MalformedArnException", owner.create_resource_share, name="x",
                 resourceArns=["arn:aws:s3:::my-bucket"])
    expect_error("InvalidParameterException", owner.create_resource_share, name="x", principals=["12345"])
    expect_error("InvalidParameterException", owner.create_resource_share, name="x", principals=[OWNER])
    expect_error("InvalidParameterException", owner.create_resource_share, name="x",
                 tags=[{"key": "aws:reserved", "value": "v"}])
    expect_error("UnknownResourceException", ram[PEER].create_resource_share, name="x", resourceArns=[TGW])
    expect_error("InvalidParameterException", owner.create_resource_share, name="x",
                 resourceArns=["arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-1"])
    # allowExternalPrincipals=false: accounts outside the organization are refused
    expect_error("OperationNotPermittedException", owner.create_resource_share, name="x",
                 allowExternalPrincipals=False, principals=[PEER])
    expect_error("InvalidParameterException", owner.get_resource_shares, resourceOwner="NOBODY")
    # nothing was created by the failed calls
    assert owner.get_resource_shares(resourceOwner="SELF")["resourceShares"] == []


def test_client_token_idempotency(ram):
    owner = ram[OWNER]
    first = owner.create_resource_share(name="a", clientToken="tok-1")
    again = owner.create_resource_share(name="a", clientToken="tok-1")
    assert again["resourceShare"]["resourceShareArn"] == first["resourceShare"]["resourceShareArn"]
    assert again["clientToken"] == "tok-1"
    expect_error("IdempotentParameterMismatchException", owner.create_resource_share, name="b", clientToken="tok-1")
    assert len(owner.get_resource_shares(resourceOwner="SELF")["resourceShares"]) == 1


def test_paging(ram):
    owner = ram[OWNER]
    for i in range(5):
        owner.create_resource_share(name=f"s{i}")
    page = owner.get_resource_shares(resourceOwner="SELF", maxResults=2)
    assert len(page["resourceShares"]) == 2 and page["nextToken"]
    names = []
    for p in owner.get_paginator("get_resource_shares").paginate(resourceOwner="SELF",
                                                                  PaginationConfig={"PageSize": 2}):
        names += [s["name"] for s in p["resourceShares"]]
    assert names == [f"s{i}" for i in range(5)]
    expect_error("InvalidNextTokenException", owner.get_resource_shares, resourceOwner="SELF", nextToken="bogus")
    expect_error("InvalidParameterException", owner.get_resource_shares, resourceOwner="SELF", maxResults=0)


# ---- associations and invitations ----------------------------------------------------------------

def test_invitation_accept_shares_resource(ram):
    owner, peer, other = ram[OWNER], ram[PEER], ram[OTHER]
    share = owner.create_resource_share(name="tgw", resourceArns=[TGW], principals=[PEER])["resourceShare"]
    arn = share["resourceShareArn"]
    assert principal_status(owner, arn, PEER) == "ASSOCIATING"
    assert peer.get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"] == []
    assert peer.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"] == []

    inv = only_invitation(peer)
    assert inv["status"] == "PENDING" and inv["senderAccountId"] == OWNER and inv["receiverAccountId"] == PEER
    assert inv["resourceShareArn"] == arn and inv["resourceShareName"] == "tgw"
    inv_arn = inv["resourceShareInvitationArn"]
    assert inv_arn.startswith(f"arn:aws:ram:us-east-1:{OWNER}:resource-share-invitation/")
    assert other.get_resource_share_invitations()["resourceShareInvitations"] == []
    pending = peer.list_pending_invitation_resources(resourceShareInvitationArn=inv_arn)["resources"]
    assert [(r["arn"], r["type"]) for r in pending] == [(TGW, "ec2:TransitGateway")]
    # the peer may read the share's permissions before accepting
    perms = peer.list_resource_share_permissions(resourceShareArn=arn)["permissions"]
    assert [p["name"] for p in perms] == ["AWSRAMDefaultPermissionTransitGateway"]

    expect_error("ResourceShareInvitationArnNotFoundException", other.accept_resource_share_invitation,
                 resourceShareInvitationArn=inv_arn)
    expect_error("OperationNotPermittedException", owner.accept_resource_share_invitation,
                 resourceShareInvitationArn=inv_arn)
    accepted = peer.accept_resource_share_invitation(resourceShareInvitationArn=inv_arn)
    assert accepted["resourceShareInvitation"]["status"] == "ACCEPTED"
    expect_error("ResourceShareInvitationAlreadyAcceptedException", peer.accept_resource_share_invitation,
                 resourceShareInvitationArn=inv_arn)
    expect_error("ResourceShareInvitationAlreadyAcceptedException", peer.reject_resource_share_invitation,
                 resourceShareInvitationArn=inv_arn)

    assert principal_status(owner, arn, PEER) == "ASSOCIATED"
    theirs = peer.get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"]
    assert [s["resourceShareArn"] for s in theirs] == [arn]
    assert [r["arn"] for r in peer.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]] == [TGW]
    assert other.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"] == []
    principals = owner.list_principals(resourceOwner="SELF")["principals"]
    assert [(p["id"], p["external"]) for p in principals] == [(PEER, True)]
    assert [p["id"] for p in peer.list_principals(resourceOwner="OTHER-ACCOUNTS")["principals"]] == [PEER]
    assert [r["arn"] for r in owner.list_resources(resourceOwner="SELF", principal=PEER)["resources"]] == [TGW]
    assert owner.list_resources(resourceOwner="SELF", principal=OTHER)["resources"] == []

    # only the owner may change the share
    expect_error("OperationNotPermittedException", peer.update_resource_share, resourceShareArn=arn, name="x")
    expect_error("OperationNotPermittedException", peer.associate_resource_share, resourceShareArn=arn,
                 principals=[OTHER])
    expect_error("UnknownResourceException", other.delete_resource_share, resourceShareArn=arn)

    gone = owner.disassociate_resource_share(resourceShareArn=arn, principals=[PEER])["resourceShareAssociations"]
    assert [(a["associatedEntity"], a["status"]) for a in gone] == [(PEER, "DISASSOCIATING")]
    assert principal_status(owner, arn, PEER) == "DISASSOCIATED"
    assert peer.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"] == []


def test_invitation_reject(ram):
    owner, peer = ram[OWNER], ram[PEER]
    arn = owner.create_resource_share(name="s", resourceArns=[SUBNET], principals=[PEER])["resourceShare"][
        "resourceShareArn"]
    inv_arn = only_invitation(peer)["resourceShareInvitationArn"]
    rejected = peer.reject_resource_share_invitation(resourceShareInvitationArn=inv_arn, clientToken="rej-1")
    assert rejected["resourceShareInvitation"]["status"] == "REJECTED"
    # same token, same parameters: the first answer again
    again = peer.reject_resource_share_invitation(resourceShareInvitationArn=inv_arn, clientToken="rej-1")
    assert again["resourceShareInvitation"]["status"] == "REJECTED"
    expect_error("ResourceShareInvitationAlreadyRejectedException", peer.reject_resource_share_invitation,
                 resourceShareInvitationArn=inv_arn)
    expect_error("ResourceShareInvitationAlreadyRejectedException", peer.accept_resource_share_invitation,
                 resourceShareInvitationArn=inv_arn)
    expect_error("ResourceShareInvitationAlreadyRejectedException", peer.list_pending_invitation_resources,
                 resourceShareInvitationArn=inv_arn)
    assert principal_status(owner, arn, PEER) == "FAILED"
    assert peer.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"] == []


def test_invitation_expires_after_seven_days(awssim, ram):
    owner, peer = ram[OWNER], ram[PEER]
    arn = owner.create_resource_share(name="s", resourceArns=[TGW], principals=[PEER])["resourceShare"][
        "resourceShareArn"]
    inv_arn = only_invitation(peer)["resourceShareInvitationArn"]
    awssim.advance(7 * 24 * 3600 - 60)
    assert only_invitation(peer)["status"] == "PENDING"
    awssim.advance(120)
    assert only_invitation(peer)["status"] == "EXPIRED"
    expect_error("ResourceShareInvitationExpiredException", peer.accept_resource_share_invitation,
                 resourceShareInvitationArn=inv_arn)
    expect_error("ResourceShareInvitationExpiredException", peer.list_pending_invitation_resources,
                 resourceShareInvitationArn=inv_arn)
    assert principal_status(owner, arn, PEER) == "FAILED"
    # associating again sends a new invitation that can be accepted
    owner.associate_resource_share(resourceShareArn=arn, principals=[PEER])
    invs = peer.get_resource_share_invitations(resourceShareArns=[arn])["resourceShareInvitations"]
    assert [i["status"] for i in invs] == ["EXPIRED", "PENDING"]
    peer.accept_resource_share_invitation(resourceShareInvitationArn=invs[1]["resourceShareInvitationArn"])
    assert [r["arn"] for r in peer.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]] == [TGW]


def test_invitation_lookup_errors(ram):
    peer = ram[PEER]
    expect_error("MalformedArnException", peer.accept_resource_share_invitation, resourceShareInvitationArn="bad")
    missing = f"arn:aws:ram:us-east-1:{OWNER}:resource-share-invitation/00000000-0000-4000-8000-000000000000"
    expect_error("ResourceShareInvitationArnNotFoundException", peer.reject_resource_share_invitation,
                 resourceShareInvitationArn=missing)
    expect_error("ResourceShareInvitationArnNotFoundException", peer.get_resource_share_invitations,
                 resourceShareInvitationArns=[missing])
    expect_error("ResourceShareInvitationArnNotFoundException", peer.list_pending_invitation_resources,
                 resourceShareInvitationArn=missing)


def test_associate_and_disassociate_resources(ram):
    owner = ram[OWNER]
    arn = owner.create_resource_share(name="s")["resourceShare"]["resourceShareArn"]
    added = owner.associate_resource_share(resourceShareArn=arn, resourceArns=[SUBNET, PREFIX_LIST],
                                           sources=[PEER])["resourceShareAssociations"]
    assert sorted(a["associationType"] for a in added) == ["RESOURCE", "RESOURCE", "SOURCE"]
    assert {a["status"] for a in added} == {"ASSOCIATING"}
    res = owner.get_resource_share_associations(associationType="RESOURCE")["resourceShareAssociations"]
    assert {(a["associatedEntity"], a["status"]) for a in res} == {(SUBNET, "ASSOCIATED"), (PREFIX_LIST, "ASSOCIATED")}
    only_subnet = owner.get_resource_share_associations(associationType="RESOURCE", resourceArn=SUBNET)
    assert len(only_subnet["resourceShareAssociations"]) == 1
    expect_error("InvalidParameterException", owner.get_resource_share_associations, associationType="RESOURCE",
                 principal=PEER)
    expect_error("InvalidParameterException", owner.get_resource_share_associations, associationType="PRINCIPAL",
                 resourceArn=SUBNET)
    # one default permission per resource type
    perms = owner.list_resource_share_permissions(resourceShareArn=arn)["permissions"]
    assert sorted(p["name"] for p in perms) == ["AWSRAMDefaultPermissionPrefixList", "AWSRAMDefaultPermissionSubnet"]
    srcs = owner.list_source_associations(resourceShareArns=[arn])["sourceAssociations"]
    assert [(s["sourceId"], s["status"]) for s in srcs] == [(PEER, "ASSOCIATED")]
    assert owner.list_source_associations(sourceId=OTHER)["sourceAssociations"] == []

    owner.disassociate_resource_share(resourceShareArn=arn, resourceArns=[PREFIX_LIST], sources=[PEER])
    res = owner.list_resources(resourceOwner="SELF")["resources"]
    assert [r["arn"] for r in res] == [SUBNET]
    assert owner.list_resources(resourceOwner="SELF", resourceType="ec2:subnet")["resources"][0]["arn"] == SUBNET
    assert owner.list_resources(resourceOwner="SELF", resourceRegionScope="GLOBAL")["resources"] == []
    expect_error("InvalidResourceTypeException", owner.list_resources, resourceOwner="SELF", resourceType="ec2:Nope")
    expect_error("InvalidParameterException", owner.list_resources, resourceOwner="OTHER-ACCOUNTS", principal=PEER)
    expect_error("UnknownResourceException", owner.disassociate_resource_share, resourceShareArn=arn,
                 resourceArns=[TGW])
    # the permission of a type still shared cannot be removed; once the type is gone it can
    expect_error("OperationNotPermittedException", owner.disassociate_resource_share_permission,
                 resourceShareArn=arn,
                 permissionArn="arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet")
    assert owner.disassociate_resource_share_permission(
        resourceShareArn=arn, permissionArn="arn:aws:ram::aws:permission/AWSRAMDefaultPermissionPrefixList"
    )["returnValue"] is True


# ---- organization ---------------------------------------------------------------------------------

def test_organization_sharing(awssim, ram):
    owner, peer, other = ram[OWNER], ram[PEER], ram[OTHER]
    expect_error("OperationNotPermittedException", owner.enable_sharing_with_aws_organization)
    set_org(awssim, enable=False)
    expect_error("OperationNotPermittedException", peer.enable_sharing_with_aws_organization)
    expect_error("OperationNotPermittedException", owner.create_resource_share, name="o", principals=[ORG_ARN])
    assert owner.enable_sharing_with_aws_organization()["returnValue"] is True
    expect_error("UnknownResourceException", owner.create_resource_share, name="o",
                 principals=[f"arn:aws:organizations::{OWNER}:organization/o-zzzzzzzzzz"])

    arn = owner.create_resource_share(name="org", allowExternalPrincipals=False, resourceArns=[TGW],
                                      principals=[ORG_ARN])["resourceShare"]["resourceShareArn"]
    assert principal_status(owner, arn, ORG_ARN) == "ASSOCIATED"
    assert peer.get_resource_share_invitations()["resourceShareInvitations"] == []
    assert [r["arn"] for r in peer.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]] == [TGW]
    assert other.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"] == []
    expect_error("OperationNotPermittedException", owner.associate_resource_share, resourceShareArn=arn,
                 principals=[OTHER])
    # accounts inside the organization need no invitation either; OUs work too
    acct = owner.create_resource_share(name="acct", resourceArns=[SUBNET], principals=[PEER])["resourceShare"]
    assert principal_status(owner, acct["resourceShareArn"], PEER) == "ASSOCIATED"
    owner.create_resource_share(name="ou", resourceArns=[PREFIX_LIST], principals=[OU_ARN])
    theirs = {r["arn"] for r in peer.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]}
    assert theirs == {TGW, SUBNET, PREFIX_LIST}
    external = owner.list_principals(resourceOwner="SELF", principals=[PEER])["principals"]
    assert [p["external"] for p in external] == [False]
    # a bad organization spec is refused by the control API
    status, _ = awssim.control("POST", "ram/organization", {"organizationId": "nope", "masterAccount": OWNER})
    assert status == 400


# ---- permissions ----------------------------------------------------------------------------------

def test_aws_managed_permissions_and_resource_types(ram):
    owner = ram[OWNER]
    perms = owner.list_permissions(resourceType="ec2:TransitGateway")["permissions"]
    assert [p["name"] for p in perms] == ["AWSRAMDefaultPermissionTransitGateway"]
    assert perms[0]["permissionType"] == "AWS_MANAGED" and perms[0]["isResourceTypeDefault"] is True
    assert owner.list_permissions(permissionType="CUSTOMER_MANAGED")["permissions"] == []
    got = owner.get_permission(permissionArn=perms[0]["arn"])["permission"]
    assert json.loads(got["permission"])["Effect"] == "Allow" and got["version"] == "1"
    versions = owner.list_permission_versions(permissionArn=perms[0]["arn"])["permissions"]
    assert [v["version"] for v in versions] == ["1"]
    expect_error("InvalidParameterException", owner.list_permissions, resourceType="ec2:Nope")
    expect_error("UnknownResourceException", owner.get_permission,
                 permissionArn="arn:aws:ram::aws:permission/DoesNotExist")
    expect_error("MalformedArnException", owner.get_permission, permissionArn="nope")
    expect_error("OperationNotPermittedException", owner.delete_permission, permissionArn=perms[0]["arn"])
    types = owner.list_resource_types()["resourceTypes"]
    assert {"resourceType": "ec2:TransitGateway", "serviceName": "ec2", "resourceRegionScope": "REGIONAL"} in types
    glob = owner.list_resource_types(resourceRegionScope="GLOBAL")["resourceTypes"]
    assert [t["resourceType"] for t in glob] == ["networkmanager:CoreNetwork"]


def test_customer_managed_permission_lifecycle(ram):
    owner, peer = ram[OWNER], ram[PEER]
    perm = owner.create_permission(name="TgwAttach", resourceType="ec2:TransitGateway", policyTemplate=TGW_POLICY,
                                   tags=[{"key": "k", "value": "v"}])["permission"]
    parn = perm["arn"]
    assert parn == f"arn:aws:ram:us-east-1:{OWNER}:permission/TgwAttach"
    assert perm["permissionType"] == "CUSTOMER_MANAGED" and perm["version"] == "1" and perm["defaultVersion"]
    expect_error("PermissionAlreadyExistsException", owner.create_permission, name="TgwAttach",
                 resourceType="ec2:TransitGateway", policyTemplate=TGW_POLICY)
    expect_error("MalformedPolicyTemplateException", owner.create_permission, name="Bad",
                 resourceType="ec2:TransitGateway", policyTemplate="{not json")
    expect_error("MalformedPolicyTemplateException", owner.create_permission, name="Bad",
                 resourceType="ec2:TransitGateway",
                 policyTemplate=json.dumps({"Effect": "Allow", "Action": ["ec2:X"], "Resource": "*"}))
    expect_error("InvalidPolicyException", owner.create_permission, name="Bad", resourceType="ec2:TransitGateway",
                 policyTemplate=json.dumps({"Effect": "Allow", "Action": ["s3:GetObject"]}))
    expect_error("InvalidParameterException", owner.create_permission, name="Bad", resourceType="ec2:Nope",
                 policyTemplate=TGW_POLICY)

    v2 = owner.create_permission_version(
        permissionArn=parn,
        policyTemplate=json.dumps({"Effect": "Allow", "Action": ["ec2:DescribeTransitGateways"]}))["permission"]
    assert v2["version"] == "2" and v2["defaultVersion"] is False
    assert [v["version"] for v in owner.list_permission_versions(permissionArn=parn)["permissions"]] == ["1", "2"]
    assert owner.get_permission(permissionArn=parn, permissionVersion=2)["permission"]["version"] == "2"
    expect_error("InvalidParameterException", owner.get_permission, permissionArn=parn, permissionVersion=9)

    share = owner.create_resource_share(name="tgw", resourceArns=[TGW])["resourceShare"]["resourceShareArn"]
    expect_error("InvalidParameterException", owner.associate_resource_share_permission, resourceShareArn=share,
                 permissionArn=parn)
    assert owner.associate_resource_share_permission(resourceShareArn=share, permissionArn=parn,
                                                     replace=True)["returnValue"] is True
    assert [p["arn"] for p in owner.list_resource_share_permissions(resourceShareArn=share)["permissions"]] == [parn]
    assert [s["resourceShareArn"] for s in owner.get_resource_shares(resourceOwner="SELF",
                                                                     permissionArn=parn)["resourceShares"]] == [share]

    assert owner.set_default_permission_version(permissionArn=parn, permissionVersion=2)["returnValue"] is True
    expect_error("InvalidParameterException", owner.set_default_permission_version, permissionArn=parn,
                 permissionVersion=7)
    expect_error("InvalidParameterException", owner.delete_permission_version, permissionArn=parn, permissionVersion=2)
    expect_error("OperationNotPermittedException", owner.delete_permission_version, permissionArn=parn,
                 permissionVersion=1)
    stale = owner.list_permission_associations(permissionArn=parn, defaultVersion=False)["permissions"]
    assert [(a["resourceShareArn"], a["permissionVersion"]) for a in stale] == [(share, "1")]

    work = owner.replace_permission_associations(fromPermissionArn=parn, toPermissionArn=parn)[
        "replacePermissionAssociationsWork"]
    assert work["status"] == "IN_PROGRESS" and work["toPermissionVersion"] == "2"
    works = owner.list_replace_permission_associations_work(workIds=[work["id"]])[
        "replacePermissionAssociationsWorks"]
    assert [w["status"] for w in works] == ["COMPLETED"]
    assert owner.list_replace_permission_associations_work(status="FAILED")["replacePermissionAssociationsWorks"] == []
    current = owner.list_permission_associations(permissionArn=parn)["permissions"]
    assert [(a["permissionVersion"], a["defaultVersion"]) for a in current] == [("2", True)]
    expect_error("InvalidParameterException", owner.replace_permission_associations, fromPermissionArn=parn,
                 toPermissionArn="arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet")

    deleted = owner.delete_permission_version(permissionArn=parn, permissionVersion=1)
    assert deleted["returnValue"] is True and deleted["permissionStatus"] == "DELETED"
    expect_error("UnknownResourceException", peer.get_permission, permissionArn=parn)
    expect_error("UnknownResourceException", peer.create_permission_version, permissionArn=parn,
                 policyTemplate=TGW_POLICY)
    expect_error("OperationNotPermittedException", owner.delete_permission, permissionArn=parn)
    owner.delete_resource_share(resourceShareArn=share)
    assert owner.delete_permission(permissionArn=parn)["permissionStatus"] == "DELETED"
    expect_error("UnknownResourceException", owner.get_permission, permissionArn=parn)


def test_permission_version_limit(ram):
    owner = ram[OWNER]
    parn = owner.create_permission(name="Many", resourceType="ec2:Subnet",
                                   policyTemplate=json.dumps({"Effect": "Allow", "Action": "ec2:DescribeSubnets"})
                                   )["permission"]["arn"]
    for _ in range(4):
        owner.create_permission_version(permissionArn=parn,
                                        policyTemplate=json.dumps({"Effect": "Allow", "Action": "ec2:RunInstances"}))
    expect_error("PermissionVersionsLimitExceededException", owner.create_permission_version, permissionArn=parn,
                 policyTemplate=json.dumps({"Effect": "Allow", "Action": "ec2:RunInstances"}))


def test_promote_errors_on_standard_resources(ram):
    owner = ram[OWNER]
    arn = owner.create_resource_share(name="s")["resourceShare"]["resourceShareArn"]
    expect_error("OperationNotPermittedException", owner.promote_resource_share_created_from_policy,
                 resourceShareArn=arn)
    parn = owner.create_permission(name="P", resourceType="ec2:Subnet",
                                   policyTemplate=json.dumps({"Effect": "Allow", "Action": "ec2:DescribeSubnets"})
                                   )["permission"]["arn"]
    expect_error("OperationNotPermittedException", owner.promote_permission_created_from_policy,
                 permissionArn=parn, name="Promoted")
    expect_error("MalformedArnException", owner.promote_permission_created_from_policy, permissionArn="x", name="n")


# ---- policies and tags ----------------------------------------------------------------------------

def test_resource_policies(ram):
    owner, peer = ram[OWNER], ram[PEER]
    owner.create_resource_share(name="tgw", resourceArns=[TGW], principals=[PEER])
    assert owner.get_resource_policies(resourceArns=[TGW])["policies"] == []
    peer.accept_resource_share_invitation(resourceShareInvitationArn=only_invitation(peer)["resourceShareInvitationArn"])
    policies = owner.get_resource_policies(resourceArns=[TGW])["policies"]
    assert len(policies) == 1
    stmt = json.loads(policies[0])["Statement"][0]
    assert stmt["Principal"]["AWS"] == [f"arn:aws:iam::{PEER}:root"] and stmt["Resource"] == TGW
    assert "ec2:CreateTransitGatewayVpcAttachment" in stmt["Action"]
    assert owner.get_resource_policies(resourceArns=[TGW], principal=OTHER)["policies"] == []
    expect_error("ResourceArnNotFoundException", peer.get_resource_policies, resourceArns=[TGW])
    expect_error("MalformedArnException", owner.get_resource_policies, resourceArns=["nope"])


def test_tags(ram):
    owner, peer = ram[OWNER], ram[PEER]
    arn = owner.create_resource_share(name="t")["resourceShare"]["resourceShareArn"]
    owner.tag_resource(resourceShareArn=arn, tags=[{"key": "a", "value": "1"}, {"key": "b", "value": "2"}])
    owner.untag_resource(resourceShareArn=arn, tagKeys=["a"])
    shares = owner.get_resource_shares(resourceOwner="SELF", tagFilters=[{"tagKey": "b", "tagValues": ["2"]}])
    assert [s["tags"] for s in shares["resourceShares"]] == [[{"key": "b", "value": "2"}]]
    assert owner.get_resource_shares(resourceOwner="SELF", tagFilters=[{"tagKey": "a"}])["resourceShares"] == []
    parn = owner.create_permission(name="Tagged", resourceType="ec2:Subnet",
                                   policyTemplate=json.dumps({"Effect": "Allow", "Action": "ec2:DescribeSubnets"})
                                   )["permission"]["arn"]
    owner.tag_resource(resourceArn=parn, tags=[{"key": "x", "value": "y"}])
    assert owner.get_permission(permissionArn=parn)["permission"]["tags"] == [{"key": "x", "value": "y"}]
    expect_error("UnknownResourceException", peer.tag_resource, resourceShareArn=arn, tags=[{"key": "a", "value": "1"}])
    expect_error("InvalidParameterException", owner.tag_resource, tags=[{"key": "a", "value": "1"}])
    expect_error("InvalidParameterException", owner.tag_resource, resourceShareArn=arn,
                 tags=[{"key": "aws:x", "value": "1"}])
    expect_error("TagLimitExceededException", owner.tag_resource, resourceShareArn=arn,
                 tags=[{"key": f"k{i}", "value": "v"} for i in range(50)])
    expect_error("MalformedArnException", owner.untag_resource, resourceArn="nope", tagKeys=["a"])


# ---- AWS CLI ----------------------------------------------------------------------------------------

def test_cli_share_invitation_flow(awssim):
    created = awssim.cli("ram", "create-resource-share", "--name", "cli-share", "--resource-arns", TGW,
                         "--principals", PEER, account=OWNER, check=True).json
    arn = created["resourceShare"]["resourceShareArn"]
    invs = awssim.cli("ram", "get-resource-share-invitations", account=PEER, check=True).json
    inv_arn = invs["resourceShareInvitations"][0]["resourceShareInvitationArn"]
    pending = awssim.cli("ram", "list-pending-invitation-resources", "--resource-share-invitation-arn", inv_arn,
                         account=PEER, check=True).json
    assert [r["arn"] for r in pending["resources"]] == [TGW]
    accepted = awssim.cli("ram", "accept-resource-share-invitation", "--resource-share-invitation-arn", inv_arn,
                          account=PEER, check=True).json
    assert accepted["resourceShareInvitation"]["status"] == "ACCEPTED"
    again = awssim.cli("ram", "accept-resource-share-invitation", "--resource-share-invitation-arn", inv_arn,
                       account=PEER)
    assert again.rc != 0 and "ResourceShareInvitationAlreadyAcceptedException" in again.stderr
    res = awssim.cli("ram", "list-resources", "--resource-owner", "OTHER-ACCOUNTS", account=PEER, check=True).json
    assert [r["arn"] for r in res["resources"]] == [TGW]
    assoc = awssim.cli("ram", "get-resource-share-associations", "--association-type", "PRINCIPAL",
                       "--resource-share-arns", arn, account=OWNER, check=True).json
    assert [a["status"] for a in assoc["resourceShareAssociations"]] == ["ASSOCIATED"]
    upd = awssim.cli("ram", "update-resource-share", "--resource-share-arn", arn, "--name", "x", account=PEER)
    assert upd.rc != 0 and "OperationNotPermittedException" in upd.stderr
    principals = awssim.cli("ram", "list-principals", "--resource-owner", "SELF", account=OWNER, check=True).json
    assert [p["id"] for p in principals["principals"]] == [PEER]
    awssim.cli("ram", "disassociate-resource-share", "--resource-share-arn", arn, "--principals", PEER,
               account=OWNER, check=True)
    awssim.cli("ram", "tag-resource", "--resource-share-arn", arn, "--tags", "key=a,value=b", account=OWNER,
               check=True)
    awssim.cli("ram", "untag-resource", "--resource-share-arn", arn, "--tag-keys", "a", account=OWNER, check=True)
    deleted = awssim.cli("ram", "delete-resource-share", "--resource-share-arn", arn, account=OWNER, check=True).json
    assert deleted["returnValue"] is True
    shares = awssim.cli("ram", "get-resource-shares", "--resource-owner", "SELF", account=OWNER, check=True).json
    assert [s["status"] for s in shares["resourceShares"]] == ["DELETED"]


def test_cli_reject_and_permissions(awssim):
    awssim.cli("ram", "create-resource-share", "--name", "s", "--resource-arns", SUBNET, "--principals", OTHER,
               account=OWNER, check=True)
    inv_arn = awssim.cli("ram", "get-resource-share-invitations", account=OTHER, check=True).json[
        "resourceShareInvitations"][0]["resourceShareInvitationArn"]
    rejected = awssim.cli("ram", "reject-resource-share-invitation", "--resource-share-invitation-arn", inv_arn,
                          account=OTHER, check=True).json
    assert rejected["resourceShareInvitation"]["status"] == "REJECTED"

    perm = awssim.cli("ram", "create-permission", "--name", "CliPerm", "--resource-type", "ec2:Subnet",
                      "--policy-template", json.dumps({"Effect": "Allow", "Action": ["ec2:DescribeSubnets"]}),
                      account=OWNER, check=True).json["permission"]
    awssim.cli("ram", "create-permission-version", "--permission-arn", perm["arn"], "--policy-template",
               json.dumps({"Effect": "Allow", "Action": ["ec2:RunInstances"]}), account=OWNER, check=True)
    awssim.cli("ram", "set-default-permission-version", "--permission-arn", perm["arn"], "--permission-version", "2",
               account=OWNER, check=True)
    got = awssim.cli("ram", "get-permission", "--permission-arn", perm["arn"], account=OWNER, check=True).json
    assert got["permission"]["version"] == "2"
    versions = awssim.cli("ram", "list-permission-versions", "--permission-arn", perm["arn"], account=OWNER,
                          check=True).json
    assert len(versions["permissions"]) == 2
    awssim.cli("ram", "delete-permission-version", "--permission-arn", perm["arn"], "--permission-version", "1",
               account=OWNER, check=True)
    listed = awssim.cli("ram", "list-permissions", "--permission-type", "CUSTOMER_MANAGED", account=OWNER,
                        check=True).json
    assert [p["name"] for p in listed["permissions"]] == ["CliPerm"]
    types = awssim.cli("ram", "list-resource-types", account=OWNER, check=True).json
    assert any(t["resourceType"] == "ec2:Subnet" for t in types["resourceTypes"])
    assoc = awssim.cli("ram", "list-permission-associations", account=OWNER, check=True).json
    assert assoc["permissions"][0]["arn"].endswith("AWSRAMDefaultPermissionSubnet")
    work = awssim.cli("ram", "replace-permission-associations", "--from-permission-arn",
                      "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet", "--to-permission-arn",
                      perm["arn"], account=OWNER, check=True).json
    assert work["replacePermissionAssociationsWork"]["toPermissionArn"] == perm["arn"]
    works = awssim.cli("ram", "list-replace-permission-associations-work", account=OWNER, check=True).json
    assert works["replacePermissionAssociationsWorks"][0]["status"] == "COMPLETED"
    bad = awssim.cli("ram", "delete-permission", "--permission-arn", perm["arn"], account=OWNER)
    assert bad.rc != 0 and "OperationNotPermittedException" in bad.stderr
    srcs = awssim.cli("ram", "list-source-associations", account=OWNER, check=True).json
    assert srcs["sourceAssociations"] == []
    pol = awssim.cli("ram", "get-resource-policies", "--resource-arns", SUBNET, account=OWNER, check=True).json
    assert pol["policies"] == []


def test_cli_organization(awssim):
    status, _ = awssim.control("POST", "ram/organization", {"organizationId": ORG_ID, "masterAccount": OWNER,
                                                            "accounts": [PEER]})
    assert status == 200
    denied = awssim.cli("ram", "enable-sharing-with-aws-organization", account=PEER)
    assert denied.rc != 0 and "OperationNotPermittedException" in denied.stderr
    enabled = awssim.cli("ram", "enable-sharing-with-aws-organization", account=OWNER, check=True).json
    assert enabled["returnValue"] is True
    share = awssim.cli("ram", "create-resource-share", "--name", "org", "--resource-arns", TGW, "--principals",
                       ORG_ARN, "--no-allow-external-principals", account=OWNER, check=True).json
    perm_arn = "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionTransitGateway"
    perms = awssim.cli("ram", "list-resource-share-permissions", "--resource-share-arn",
                       share["resourceShare"]["resourceShareArn"], account=PEER, check=True).json
    assert [p["arn"] for p in perms["permissions"]] == [perm_arn]
    awssim.cli("ram", "associate-resource-share-permission", "--resource-share-arn",
               share["resourceShare"]["resourceShareArn"], "--permission-arn", perm_arn, account=OWNER, check=True)
    res = awssim.cli("ram", "list-resources", "--resource-owner", "OTHER-ACCOUNTS", account=PEER, check=True).json
    assert [r["arn"] for r in res["resources"]] == [TGW]
    none = awssim.cli("ram", "list-resources", "--resource-owner", "OTHER-ACCOUNTS", account=OTHER, check=True).json
    assert none["resources"] == []


# ---- bad input --------------------------------------------------------------------------------------

def test_bad_input_keeps_server_serving(awssim, ram):
    owner = ram[OWNER]
    status, _, body = awssim.raw("POST", "/createresourceshare", b"{not json",
                                 headers={"Content-Type": "application/json"})
    assert 400 <= status < 500, body
    status, _, body = awssim.raw("POST", "/createresourceshare", b'{"name": 5}',
                                 headers={"Content-Type": "application/json"})
    assert 400 <= status < 500, body
    expect_error("InvalidParameterException", owner.create_resource_share)  # name missing
    expect_error("InvalidParameterException", owner.create_resource_share, name="x", principals="not-a-list")
    expect_error("InvalidParameterException", owner.get_resource_shares, resourceOwner="SELF", maxResults=501)
    expect_error("InvalidParameterException", owner.get_resource_share_associations, associationType="NOPE")
    # still serving
    assert owner.create_resource_share(name="after")["resourceShare"]["name"] == "after"


def test_cli_associations_and_promote_errors(awssim):
    arn = awssim.cli("ram", "create-resource-share", "--name", "cli", account=OWNER, check=True).json[
        "resourceShare"]["resourceShareArn"]
    added = awssim.cli("ram", "associate-resource-share", "--resource-share-arn", arn, "--resource-arns", SUBNET,
                       PREFIX_LIST, "--principals", PEER, account=OWNER, check=True).json
    assert sorted(a["associatedEntity"] for a in added["resourceShareAssociations"]) == sorted([SUBNET, PREFIX_LIST, PEER])
    awssim.cli("ram", "disassociate-resource-share", "--resource-share-arn", arn, "--resource-arns", PREFIX_LIST,
               account=OWNER, check=True)
    dropped = awssim.cli("ram", "disassociate-resource-share-permission", "--resource-share-arn", arn,
                         "--permission-arn", "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionPrefixList",
                         account=OWNER, check=True).json
    assert dropped["returnValue"] is True
    kept = awssim.cli("ram", "disassociate-resource-share-permission", "--resource-share-arn", arn,
                      "--permission-arn", "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet", account=OWNER)
    assert kept.rc != 0 and "OperationNotPermittedException" in kept.stderr
    promote = awssim.cli("ram", "promote-resource-share-created-from-policy", "--resource-share-arn", arn,
                         account=OWNER)
    assert promote.rc != 0 and "OperationNotPermittedException" in promote.stderr
    missing = awssim.cli("ram", "promote-permission-created-from-policy", "--permission-arn",
                         f"arn:aws:ram:us-east-1:{OWNER}:permission/Nope", "--name", "P", account=OWNER)
    assert missing.rc != 0 and "UnknownResourceException" in missing.stderr
    malformed = awssim.cli("ram", "associate-resource-share", "--resource-share-arn", "bad", "--principals", PEER,
                           account=OWNER)
    assert malformed.rc != 0 and "MalformedArnException" in malformed.stderr


def test_regions_and_three_accounts(awssim, ram):
    owner, peer, other = ram[OWNER], ram[PEER], ram[OTHER]
    arn = owner.create_resource_share(name="east", resourceArns=[TGW], principals=[PEER, OTHER])["resourceShare"][
        "resourceShareArn"]
    west = awssim.client("ram", account=OWNER, region="us-west-2")
    assert west.get_resource_shares(resourceOwner="SELF")["resourceShares"] == []
    expect_error("UnknownResourceException", west.update_resource_share, resourceShareArn=arn, name="x")
    assert awssim.client("ram", account=PEER, region="us-west-2").get_resource_share_invitations()[
        "resourceShareInvitations"] == []
    # each recipient answers its own invitation
    peer.accept_resource_share_invitation(resourceShareInvitationArn=only_invitation(peer)["resourceShareInvitationArn"])
    other.reject_resource_share_invitation(resourceShareInvitationArn=only_invitation(other)["resourceShareInvitationArn"])
    assert principal_status(owner, arn, PEER) == "ASSOCIATED"
    assert principal_status(owner, arn, OTHER) == "FAILED"
    assert [r["arn"] for r in peer.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]] == [TGW]
    assert other.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"] == []
    # the recipient shares its own subnet back; the original owner gets an invitation in turn
    peer_subnet = f"arn:aws:ec2:us-east-1:{PEER}:subnet/subnet-0aaaaaaaaaaaaaaaa"
    back = peer.create_resource_share(name="back", resourceArns=[peer_subnet], principals=[OWNER])["resourceShare"]
    inv = only_invitation(owner)
    assert inv["senderAccountId"] == PEER and inv["resourceShareArn"] == back["resourceShareArn"]
    owner.accept_resource_share_invitation(resourceShareInvitationArn=inv["resourceShareInvitationArn"])
    assert [r["arn"] for r in owner.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]] == [peer_subnet]
    assert [r["arn"] for r in owner.list_resources(resourceOwner="SELF")["resources"]] == [TGW]


def test_recipient_leaves_share(ram):
    owner, peer, other = ram[OWNER], ram[PEER], ram[OTHER]
    arn = owner.create_resource_share(name="s", resourceArns=[TGW], principals=[PEER, OTHER])["resourceShare"][
        "resourceShareArn"]
    for client in (peer, other):
        client.accept_resource_share_invitation(
            resourceShareInvitationArn=only_invitation(client)["resourceShareInvitationArn"])
    # a recipient may remove itself, but nobody else and nothing else
    expect_error("OperationNotPermittedException", peer.disassociate_resource_share, resourceShareArn=arn,
                 principals=[OTHER])
    expect_error("OperationNotPermittedException", peer.disassociate_resource_share, resourceShareArn=arn,
                 resourceArns=[TGW])
    left = peer.disassociate_resource_share(resourceShareArn=arn, principals=[PEER])["resourceShareAssociations"]
    assert [(a["associatedEntity"], a["status"]) for a in left] == [(PEER, "DISASSOCIATING")]
    assert peer.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"] == []
    assert [r["arn"] for r in other.list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]] == [TGW]
    assert principal_status(owner, arn, PEER) == "DISASSOCIATED"
    expect_error("UnknownResourceException", peer.disassociate_resource_share, resourceShareArn=arn,
                 principals=[PEER])


def test_recipient_view_of_associations_and_permissions(awssim, ram):
    owner, peer, other = ram[OWNER], ram[PEER], ram[OTHER]
    parn = owner.create_permission(name="TgwOnly", resourceType="ec2:TransitGateway",
                                   policyTemplate=TGW_POLICY)["permission"]["arn"]
    arn = owner.create_resource_share(name="s", resourceArns=[TGW], principals=[PEER, OTHER],
                                      permissionArns=[parn])["resourceShare"]["resourceShareArn"]
    # the invited account may read the share's customer managed permission; strangers may not
    assert peer.get_permission(permissionArn=parn)["permission"]["name"] == "TgwOnly"
    expect_error("UnknownResourceException", awssim.client("ram", account="444444444444").get_permission,
                 permissionArn=parn)
    peer.accept_resource_share_invitation(resourceShareInvitationArn=only_invitation(peer)["resourceShareInvitationArn"])
    seen = peer.get_resource_share_associations(associationType="PRINCIPAL")["resourceShareAssociations"]
    assert [a["associatedEntity"] for a in seen] == [PEER], "a recipient sees only its own principal association"
    res = peer.get_resource_share_associations(associationType="RESOURCE", resourceShareArns=[arn])
    assert [a["associatedEntity"] for a in res["resourceShareAssociations"]] == [TGW]
    assocs = owner.list_permission_associations(resourceType="ec2:TransitGateway", featureSet="STANDARD",
                                                associationStatus="ASSOCIATED")["permissions"]
    assert [(a["arn"], a["resourceShareArn"]) for a in assocs] == [(parn, arn)]
    assert owner.list_permission_associations(resourceType="ec2:Subnet")["permissions"] == []
    assert owner.list_permission_associations(featureSet="CREATED_FROM_POLICY")["permissions"] == []
    expect_error("InvalidParameterException", owner.create_resource_share, name="dup",
                 permissionArns=[parn, "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionTransitGateway"])
    pending = other.list_pending_invitation_resources(
        resourceShareInvitationArn=only_invitation(other)["resourceShareInvitationArn"], resourceRegionScope="GLOBAL")
    assert pending["resources"] == []
