"""Control API hooks that expose service behaviour to scenarios: RAM visibility."""

OWNER, PEER = "111111111111", "222222222222"
TGW = f"arn:aws:ec2:us-east-1:{OWNER}:transit-gateway/tgw-0123456789abcdef0"


def visible(sim, account, arn):
    status, body = sim.control("GET", f"ram/visible?account={account}&arn={arn}")
    assert status == 200, body
    return body["visible"]


def test_shared_resource_visible_only_after_acceptance(awssim):
    owner = awssim.client("ram", account=OWNER)
    peer = awssim.client("ram", account=PEER)
    share = owner.create_resource_share(name="tgw", resourceArns=[TGW], principals=[PEER])["resourceShare"]
    assert visible(awssim, OWNER, TGW) is True
    assert visible(awssim, PEER, TGW) is False
    inv = peer.get_resource_share_invitations()["resourceShareInvitations"]
    assert [i["resourceShareArn"] for i in inv] == [share["resourceShareArn"]]
    peer.accept_resource_share_invitation(resourceShareInvitationArn=inv[0]["resourceShareInvitationArn"])
    assert visible(awssim, PEER, TGW) is True
    assert visible(awssim, "333333333333", TGW) is False


def test_visibility_needs_account_and_arn(awssim):
    assert awssim.control("GET", "ram/visible?account=1")[0] == 400
