"""Control API hooks that expose service behaviour to scenarios: RAM visibility, Route 53 config and resolver."""
import json

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


def test_route53_change_delay_config(awssim):
    r53 = awssim.client("route53")
    zone = r53.create_hosted_zone(Name="example.com", CallerReference="c1")
    assert zone["ChangeInfo"]["Status"] == "PENDING"
    assert awssim.control("POST", "route53/config", {"changeDelaySeconds": 0})[0] == 200
    change = r53.change_resource_record_sets(HostedZoneId=zone["HostedZone"]["Id"], ChangeBatch={"Changes": [
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "a.example.com", "Type": "A", "TTL": 60,
                                                   "ResourceRecords": [{"Value": "10.0.0.1"}]}}]})
    assert r53.get_change(Id=change["ChangeInfo"]["Id"])["ChangeInfo"]["Status"] == "INSYNC"
    assert awssim.control("POST", "route53/config", {"changeDelaySeconds": -1})[0] == 400


def test_route53_resolve_with_client_ip(awssim):
    r53 = awssim.client("route53")
    zone = r53.create_hosted_zone(Name="example.com", CallerReference="c2")["HostedZone"]["Id"]
    r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [
        {"Action": "CREATE", "ResourceRecordSet": {"Name": "www.example.com", "Type": "A", "TTL": 60,
                                                   "ResourceRecords": [{"Value": "10.0.0.9"}]}}]})
    status, body = awssim.control("GET", "route53/resolve?name=www.example.com&type=A&account=123456789012"
                                         "&clientIp=192.0.2.1")
    assert status == 200, body
    assert "10.0.0.9" in json.dumps(body)
