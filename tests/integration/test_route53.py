"""Route 53 through real clients (boto3 and the AWS CLI): every operation, its AWS errors, bad
input, and the simulated behaviours (INSYNC after 60 s, health checks with faults, routing)."""
import json

import pytest
from botocore.exceptions import ClientError

A = "111111111111"
B = "222222222222"
VPC1 = {"VPCRegion": "us-east-1", "VPCId": "vpc-0123456789abcdef0"}
VPC2 = {"VPCRegion": "us-west-2", "VPCId": "vpc-11112222"}
KMS = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
LOGS = "arn:aws:logs:us-east-1:111111111111:log-group:/aws/route53/example.com"


def code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def status(excinfo):
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def r53(awssim):
    return awssim.client("route53", account=A)


def zone(r53, name="example.com", ref="ref-1", **kw):
    return r53.create_hosted_zone(Name=name, CallerReference=ref, **kw)


def rrset(name, value, rtype="A", ttl=60, **extra):
    rr = {"Name": name, "Type": rtype, "TTL": ttl, "ResourceRecords": [{"Value": v} for v in
                                                                      (value if isinstance(value, list) else [value])]}
    rr.update(extra)
    return rr


def change(r53, zid, *changes):
    return r53.change_resource_record_sets(
        HostedZoneId=zid, ChangeBatch={"Changes": [{"Action": a, "ResourceRecordSet": rr} for a, rr in changes]})


def health_check(r53, ref, ip="192.0.2.10", **cfg):
    config = {"Type": "HTTP", "IPAddress": ip, "RequestInterval": 30, "FailureThreshold": 3}
    config.update(cfg)
    return r53.create_health_check(CallerReference=ref, HealthCheckConfig=config)["HealthCheck"]


def resolve(sim, name, samples=1, account=A, rtype="A"):
    st, body = sim.control("GET", f"route53/resolve?name={name}&type={rtype}&samples={samples}&account={account}")
    assert st == 200, body
    return body


def add_fault(sim, **fault):
    st, body = sim.control("POST", "faults", dict(service="route53", **fault))
    assert st == 200, body
    return body["id"]


# ---------------------------------------------------------------------------------------------
# hosted zones


def test_create_get_list_delete_zone(awssim, r53):
    z = zone(r53, "Example.COM", HostedZoneConfig={"Comment": "main"})
    zid = z["HostedZone"]["Id"]
    assert zid.startswith("/hostedzone/Z") and 14 <= len(zid) - len("/hostedzone/") <= 22
    assert z["HostedZone"]["Name"] == "example.com."
    assert z["HostedZone"]["ResourceRecordSetCount"] == 2
    assert z["ChangeInfo"]["Status"] == "PENDING"
    assert z["Location"].endswith(zid.split("/")[-1])
    ns = z["DelegationSet"]["NameServers"]
    assert len(ns) == 4 and all(n.startswith("ns-") and ".awsdns-" in n for n in ns)

    got = r53.get_hosted_zone(Id=zid)
    assert got["HostedZone"]["Config"] == {"Comment": "main", "PrivateZone": False}
    assert got["DelegationSet"]["NameServers"] == ns
    recs = r53.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"]
    assert [(r["Type"], r["TTL"]) for r in recs] == [("NS", 172800), ("SOA", 900)]
    assert recs[1]["ResourceRecords"][0]["Value"].startswith(ns[0] + ". awsdns-hostmaster.amazon.com. 1 7200 900")

    assert r53.get_hosted_zone_count()["HostedZoneCount"] == 1
    r53.update_hosted_zone_comment(Id=zid, Comment="changed")
    assert r53.get_hosted_zone(Id=zid)["HostedZone"]["Config"]["Comment"] == "changed"
    listed = r53.list_hosted_zones()
    assert [h["Id"] for h in listed["HostedZones"]] == [zid]
    assert listed["IsTruncated"] is False

    r53.delete_hosted_zone(Id=zid)
    with pytest.raises(ClientError) as e:
        r53.get_hosted_zone(Id=zid)
    assert code(e) == "NoSuchHostedZone" and status(e) == 404
    assert "No hosted zone found with ID" in e.value.response["Error"]["Message"]


def test_zone_errors(r53):
    zone(r53, ref="same")
    with pytest.raises(ClientError) as e:
        zone(r53, "other.com", ref="same")
    assert code(e) == "HostedZoneAlreadyExists" and status(e) == 409
    with pytest.raises(ClientError) as e:
        zone(r53, "bad..name.com", ref="x1")
    assert code(e) == "InvalidDomainName"
    with pytest.raises(ClientError) as e:
        zone(r53, "com", ref="x2")
    assert code(e) == "InvalidDomainName"
    with pytest.raises(ClientError) as e:
        r53.create_hosted_zone(Name="p.com", CallerReference="x3", HostedZoneConfig={"PrivateZone": True})
    assert code(e) == "InvalidInput"
    with pytest.raises(ClientError) as e:
        r53.create_hosted_zone(Name="p.com", CallerReference="x4", VPC={"VPCId": "nope", "VPCRegion": "us-east-1"})
    assert code(e) == "InvalidVPCId"
    with pytest.raises(ClientError) as e:
        r53.delete_hosted_zone(Id="ZDOESNOTEXIST")
    assert code(e) == "NoSuchHostedZone"
    with pytest.raises(ClientError) as e:
        r53.update_hosted_zone_comment(Id="ZDOESNOTEXIST", Comment="x")
    assert code(e) == "NoSuchHostedZone"


def test_zones_are_per_account(awssim, r53):
    zid = zone(r53)["HostedZone"]["Id"]
    other = awssim.client("route53", account=B)
    with pytest.raises(ClientError) as e:
        other.get_hosted_zone(Id=zid)
    assert code(e) == "NoSuchHostedZone"
    assert other.list_hosted_zones()["HostedZones"] == []


def test_delete_non_empty_zone(r53):
    zid = zone(r53)["HostedZone"]["Id"]
    change(r53, zid, ("CREATE", rrset("www.example.com", "192.0.2.1")))
    with pytest.raises(ClientError) as e:
        r53.delete_hosted_zone(Id=zid)
    assert code(e) == "HostedZoneNotEmpty"
    change(r53, zid, ("DELETE", rrset("www.example.com", "192.0.2.1")))
    r53.delete_hosted_zone(Id=zid)


def test_list_hosted_zones_paging_and_by_name(r53):
    ids = {}
    for i, name in enumerate(["b.example.com", "example.com", "a.example.org", "example.net", "z.com"]):
        ids[name] = zone(r53, name, ref=f"r{i}")["HostedZone"]["Id"]
    page = r53.list_hosted_zones(MaxItems="2")
    assert len(page["HostedZones"]) == 2 and page["IsTruncated"] and page["MaxItems"] == "2"
    rest = r53.list_hosted_zones(Marker=page["NextMarker"])
    assert len(rest["HostedZones"]) == 3
    by_name = r53.list_hosted_zones_by_name()
    # labels reversed: com.example, com.example.b, com.z, net.example, org.example.a
    assert [h["Name"] for h in by_name["HostedZones"]] == [
        "example.com.", "b.example.com.", "z.com.", "example.net.", "a.example.org."]
    part = r53.list_hosted_zones_by_name(DNSName="z.com", MaxItems="1")
    assert [h["Name"] for h in part["HostedZones"]] == ["z.com."]
    assert part["IsTruncated"] and part["NextDNSName"] == "example.net."
    assert part["NextHostedZoneId"] == ids["example.net"].split("/")[-1]
    with pytest.raises(ClientError) as e:
        r53.list_hosted_zones_by_name(HostedZoneId="Z123")
    assert code(e) == "InvalidInput"


def test_private_zone_vpc_associations(awssim, r53):
    z = zone(r53, "internal.example", ref="p1", VPC=VPC1, HostedZoneConfig={"PrivateZone": True})
    zid = z["HostedZone"]["Id"]
    assert z["HostedZone"]["Config"]["PrivateZone"] is True
    assert z["VPC"] == VPC1
    got = r53.get_hosted_zone(Id=zid)
    assert got["VPCs"] == [VPC1] and "DelegationSet" not in got
    # the same name on the same VPC conflicts
    with pytest.raises(ClientError) as e:
        zone(r53, "internal.example", ref="p2", VPC=VPC1)
    assert code(e) == "ConflictingDomainExists"

    r53.associate_vpc_with_hosted_zone(HostedZoneId=zid, VPC=VPC2, Comment="second")
    assert sorted(v["VPCId"] for v in r53.get_hosted_zone(Id=zid)["VPCs"]) == sorted([VPC1["VPCId"], VPC2["VPCId"]])
    with pytest.raises(ClientError) as e:
        r53.associate_vpc_with_hosted_zone(HostedZoneId=zid, VPC=VPC2)
    assert code(e) == "ConflictingDomainExists"
    by_vpc = r53.list_hosted_zones_by_vpc(VPCId=VPC2["VPCId"], VPCRegion=VPC2["VPCRegion"])
    assert by_vpc["HostedZoneSummaries"] == [{"HostedZoneId": zid.split("/")[-1], "Name": "internal.example.",
                                              "Owner": {"OwningAccount": A}}]
    with pytest.raises(ClientError) as e:
        r53.list_hosted_zones_by_vpc(VPCId="not-a-vpc", VPCRegion="us-east-1")
    assert code(e) == "InvalidInput"
    r53.disassociate_vpc_from_hosted_zone(HostedZoneId=zid, VPC=VPC2)
    with pytest.raises(ClientError) as e:
        r53.disassociate_vpc_from_hosted_zone(HostedZoneId=zid, VPC=VPC2)
    assert code(e) == "VPCAssociationNotFound"
    with pytest.raises(ClientError) as e:
        r53.disassociate_vpc_from_hosted_zone(HostedZoneId=zid, VPC=VPC1)
    assert code(e) == "LastVPCAssociation"
    assert r53.list_hosted_zones(HostedZoneType="PrivateHostedZone")["HostedZones"][0]["Id"] == zid

    pub = zone(r53, "public.example.com", ref="pub")["HostedZone"]["Id"]
    with pytest.raises(ClientError) as e:
        r53.associate_vpc_with_hosted_zone(HostedZoneId=pub, VPC=VPC2)
    assert code(e) == "PublicZoneVPCAssociation"
    with pytest.raises(ClientError) as e:
        r53.get_hosted_zone_limit(HostedZoneId=pub, Type="MAX_VPCS_ASSOCIATED_BY_ZONE")
    assert code(e) == "HostedZoneNotPrivate"
    lim = r53.get_hosted_zone_limit(HostedZoneId=zid, Type="MAX_VPCS_ASSOCIATED_BY_ZONE")
    assert lim["Limit"] == {"Type": "MAX_VPCS_ASSOCIATED_BY_ZONE", "Value": 300} and lim["Count"] == 1


def test_cross_account_vpc_association_needs_authorization(awssim, r53):
    zid = zone(r53, "shared.internal", ref="s1", VPC=VPC1)["HostedZone"]["Id"]
    other = awssim.client("route53", account=B)
    vpc_b = {"VPCRegion": "eu-west-1", "VPCId": "vpc-0badc0de0badc0de0"}
    with pytest.raises(ClientError) as e:
        other.associate_vpc_with_hosted_zone(HostedZoneId=zid, VPC=vpc_b)
    assert code(e) == "NotAuthorizedException" and status(e) == 401
    out = r53.create_vpc_association_authorization(HostedZoneId=zid, VPC=vpc_b)
    assert out["VPC"] == vpc_b
    assert r53.list_vpc_association_authorizations(HostedZoneId=zid)["VPCs"] == [vpc_b]
    other.associate_vpc_with_hosted_zone(HostedZoneId=zid, VPC=vpc_b)
    summaries = other.list_hosted_zones_by_vpc(VPCId=vpc_b["VPCId"], VPCRegion="eu-west-1")["HostedZoneSummaries"]
    assert summaries[0]["Owner"]["OwningAccount"] == A
    r53.delete_vpc_association_authorization(HostedZoneId=zid, VPC=vpc_b)
    with pytest.raises(ClientError) as e:
        r53.delete_vpc_association_authorization(HostedZoneId=zid, VPC=vpc_b)
    assert code(e) == "VPCAssociationAuthorizationNotFound"
    with pytest.raises(ClientError) as e:
        r53.list_vpc_association_authorizations(HostedZoneId="ZNOPE")
    assert code(e) == "NoSuchHostedZone"


def test_update_hosted_zone_features(r53):
    zid = zone(r53)["HostedZone"]["Id"]
    r53.update_hosted_zone_features(HostedZoneId=zid, EnableAcceleratedRecovery=True)
    assert r53.get_hosted_zone(Id=zid)["HostedZone"]["Features"]["AcceleratedRecoveryStatus"] == "ENABLED"
    with pytest.raises(ClientError) as e:
        r53.update_hosted_zone_features(HostedZoneId="ZNOPE", EnableAcceleratedRecovery=True)
    assert code(e) == "NoSuchHostedZone"


# ---------------------------------------------------------------------------------------------
# record sets and changes


def test_change_insync_after_60_virtual_seconds(awssim, r53):
    zid = zone(r53)["HostedZone"]["Id"]
    ci = change(r53, zid, ("CREATE", rrset("www.example.com", "192.0.2.1")))["ChangeInfo"]
    assert ci["Status"] == "PENDING" and ci["Id"].startswith("/change/C")
    assert r53.get_change(Id=ci["Id"])["ChangeInfo"]["Status"] == "PENDING"
    awssim.advance(60)
    assert r53.get_change(Id=ci["Id"])["ChangeInfo"]["Status"] == "INSYNC"
    with pytest.raises(ClientError) as e:
        r53.get_change(Id="/change/CNOSUCHCHANGE")
    assert code(e) == "NoSuchChange" and status(e) == 404


def test_waiter_resource_record_sets_changed(awssim, r53):
    zid = zone(r53)["HostedZone"]["Id"]
    ci = change(r53, zid, ("CREATE", rrset("www.example.com", "192.0.2.1")))["ChangeInfo"]
    awssim.advance(61)
    r53.get_waiter("resource_record_sets_changed").wait(Id=ci["Id"], WaiterConfig={"Delay": 1, "MaxAttempts": 2})


def test_record_set_crud_upsert_and_order(r53):
    zid = zone(r53)["HostedZone"]["Id"]
    change(r53, zid,
           ("CREATE", rrset("WWW.Example.com", ["192.0.2.1", "192.0.2.2"])),
           ("CREATE", rrset("*.example.com", "192.0.2.3")),
           ("CREATE", rrset("mail.example.com", "10 mx.example.com.", "MX")),
           ("CREATE", rrset("example.com", '"v=spf1 -all"', "TXT")),
           ("CREATE", {"Name": "alias.example.com", "Type": "A",
             "AliasTarget": {"HostedZoneId": zid.split("/")[-1], "DNSName": "www.example.com",
                             "EvaluateTargetHealth": False}}))
    names = [(r["Name"], r["Type"]) for r in r53.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"]]
    assert names == [("example.com.", "NS"), ("example.com.", "SOA"), ("example.com.", "TXT"),
                     ("\\052.example.com.", "A"), ("alias.example.com.", "A"), ("mail.example.com.", "MX"),
                     ("www.example.com.", "A")]
    change(r53, zid, ("UPSERT", rrset("www.example.com", "192.0.2.9", ttl=300)))
    www = r53.list_resource_record_sets(HostedZoneId=zid, StartRecordName="www.example.com", StartRecordType="A",
                                        MaxItems="1")
    assert www["ResourceRecordSets"][0]["TTL"] == 300
    assert www["ResourceRecordSets"][0]["ResourceRecords"] == [{"Value": "192.0.2.9"}]
    alias = r53.list_resource_record_sets(HostedZoneId=zid, StartRecordName="alias.example.com",
                                          MaxItems="1")["ResourceRecordSets"][0]
    assert alias["AliasTarget"]["DNSName"] == "www.example.com."
    assert r53.get_hosted_zone(Id=zid)["HostedZone"]["ResourceRecordSetCount"] == 7


def test_change_batch_errors(r53):
    zid = zone(r53)["HostedZone"]["Id"]
    change(r53, zid, ("CREATE", rrset("www.example.com", "192.0.2.1")))

    def bad(*changes):
        with pytest.raises(ClientError) as e:
            change(r53, zid, *changes)
        return code(e), e.value.response["Error"]["Message"]

    assert bad(("CREATE", rrset("www.example.com", "192.0.2.1"))) == (
        "InvalidChangeBatch", "[Tried to create resource record set [name='www.example.com.', type='A'] but it already exists]")
    assert bad(("DELETE", rrset("nope.example.com", "192.0.2.1"))) == (
        "InvalidChangeBatch", "[Tried to delete resource record set [name='nope.example.com.', type='A'] but it was not found]")
    c, m = bad(("DELETE", rrset("www.example.com", "192.0.2.7")))
    assert c == "InvalidChangeBatch" and "values provided do not match the current values" in m
    assert bad(("CREATE", rrset("www.other.com", "192.0.2.1"))) == (
        "InvalidChangeBatch", "[RRSet with DNS name www.other.com. is not permitted in zone example.com.]")
    c, m = bad(("CREATE", rrset("w.example.com", "192.0.2.1", Weight=5)))
    assert c == "InvalidInput" and "Missing field 'SetIdentifier'" in m
    c, m = bad(("CREATE", rrset("w.example.com", "192.0.2.1", SetIdentifier="x")))
    assert c == "InvalidInput" and "Expected exactly one of [Weight, Region, Failover" in m
    c, m = bad(("CREATE", {"Name": "n.example.com", "Type": "A"}))
    assert c == "InvalidInput" and m == (
        "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or "
        "TrafficPolicyInstanceId], but found none in Change with [Action=CREATE, Name=n.example.com, Type=A, "
        "SetIdentifier=null]")
    c, m = bad(("CREATE", rrset("d.example.com", "192.0.2.1")), ("UPSERT", rrset("d.example.com", "192.0.2.2")))
    assert c == "InvalidChangeBatch" and "invalid set of changes" in m
    c, m = bad(("CREATE", rrset("www.example.com", "cname.example.org", "CNAME")))
    assert c == "InvalidChangeBatch" and "CNAME" in m
    c, m = bad(("CREATE", rrset("example.com", "x.example.org", "CNAME")))
    assert "not permitted at apex" in m
    c, m = bad(("CREATE", rrset("w.example.com", "192.0.2.1", SetIdentifier="x", Weight=256)))
    # body members are checked against Route 53's XML schema first, in the schema validator's words
    assert c == "InvalidInput" and m == (
        "Invalid XML ; cvc-maxInclusive-valid: Value '256' is not facet-valid with respect to maxInclusive '255' "
        "for type 'ResourceRecordSetWeight'.")
    c, m = bad(("CREATE", rrset("a..example.com", "192.0.2.1")))
    assert c == "InvalidChangeBatch" and "DomainLabelEmpty" in m
    c, m = bad(("CREATE", rrset("x" * 64 + ".example.com", "192.0.2.1")))
    assert c == "InvalidChangeBatch" and "DomainLabelTooLong" in m
    c, m = bad(("CREATE", rrset("ip.example.com", "300.1.1.1")))
    assert "ARRDATAIllegalIPv4Address" in m
    c, m = bad(("CREATE", rrset("t.example.com", "unquoted", "TXT")))
    assert "InvalidCharacterString" in m
    c, m = bad(("CREATE", rrset("t.example.com", '"' + "x" * 256 + '"', "TXT")))
    assert "CharacterStringTooLong" in m
    change(r53, zid, ("CREATE", rrset("dkim.example.com", '"' + "a" * 255 + '" "' + "b" * 200 + '"', "TXT")))
    c, m = bad(("UPSERT", rrset("many.example.com", [f"10.0.{i // 256}.{i % 256}" for i in range(501)])))
    assert (c, m) == ("InvalidChangeBatch", "Number of records limit of 1000 exceeded.")
    c, m = bad(("CREATE", rrset("www.example.com", "192.0.2.1", SetIdentifier="w1", Weight=1)))
    assert "non-weighted set exists" in m
    c, m = bad(("CREATE", {"Name": "al.example.com", "Type": "A", "AliasTarget": {
        "HostedZoneId": zid.split("/")[-1], "DNSName": "missing.example.com", "EvaluateTargetHealth": False}}))
    assert "but that target was not found" in m
    ns = [r for r in r53.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"] if r["Type"] == "NS"][0]
    c, m = bad(("DELETE", ns))
    assert "at least one NS record" in m
    # several problems are reported together
    c, m = bad(("CREATE", rrset("www.example.com", "192.0.2.1")), ("CREATE", rrset("x.other.com", "192.0.2.1")))
    assert m.startswith("[Tried to create") and ", RRSet with DNS name x.other.com." in m
    c, m = bad(("CREATE", rrset("hc.example.com", "192.0.2.1", SetIdentifier="a", Weight=1,
                                HealthCheckId="00000000-0000-4000-8000-000000000000")))
    assert c == "NoSuchHealthCheck"
    with pytest.raises(ClientError) as e:
        change(r53, "ZNOSUCHZONE", ("CREATE", rrset("a.example.com", "192.0.2.1")))
    assert code(e) == "NoSuchHostedZone"
    # nothing of the failed batches was applied (NS, SOA, www, dkim)
    assert r53.get_hosted_zone(Id=zid)["HostedZone"]["ResourceRecordSetCount"] == 4


def test_every_routing_policy_is_accepted(r53):
    zid = zone(r53)["HostedZone"]["Id"]
    col = r53.create_cidr_collection(Name="offices", CallerReference="c1")["Collection"]
    r53.change_cidr_collection(Id=col["Id"], Changes=[
        {"LocationName": "paris", "Action": "PUT", "CidrList": ["203.0.113.0/24"]}])
    change(r53, zid,
           ("CREATE", rrset("w.example.com", "192.0.2.1", SetIdentifier="w1", Weight=10)),
           ("CREATE", rrset("w.example.com", "192.0.2.2", SetIdentifier="w2", Weight=0)),
           ("CREATE", rrset("l.example.com", "192.0.2.1", SetIdentifier="use1", Region="us-east-1")),
           ("CREATE", rrset("l.example.com", "192.0.2.2", SetIdentifier="euw1", Region="eu-west-1")),
           ("CREATE", rrset("f.example.com", "192.0.2.1", SetIdentifier="p", Failover="PRIMARY")),
           ("CREATE", rrset("f.example.com", "192.0.2.2", SetIdentifier="s", Failover="SECONDARY")),
           ("CREATE", rrset("g.example.com", "192.0.2.1", SetIdentifier="fr", GeoLocation={"CountryCode": "FR"})),
           ("CREATE", rrset("g.example.com", "192.0.2.2", SetIdentifier="us-ca",
                            GeoLocation={"CountryCode": "US", "SubdivisionCode": "CA"})),
           ("CREATE", rrset("g.example.com", "192.0.2.3", SetIdentifier="eu", GeoLocation={"ContinentCode": "EU"})),
           ("CREATE", rrset("g.example.com", "192.0.2.4", SetIdentifier="dflt", GeoLocation={"CountryCode": "*"})),
           ("CREATE", rrset("gp.example.com", "192.0.2.1", SetIdentifier="r", GeoProximityLocation={
               "AWSRegion": "us-east-1", "Bias": 10})),
           ("CREATE", rrset("gp.example.com", "192.0.2.2", SetIdentifier="c", GeoProximityLocation={
               "Coordinates": {"Latitude": "48.85", "Longitude": "2.35"}})),
           ("CREATE", rrset("mv.example.com", "192.0.2.1", SetIdentifier="m1", MultiValueAnswer=True)),
           ("CREATE", rrset("cidr.example.com", "192.0.2.1", SetIdentifier="paris",
                            CidrRoutingConfig={"CollectionId": col["Id"], "LocationName": "paris"})),
           ("CREATE", rrset("cidr.example.com", "192.0.2.2", SetIdentifier="rest",
                            CidrRoutingConfig={"CollectionId": col["Id"], "LocationName": "*"})))
    recs = r53.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"]
    assert len(recs) == 17
    geo = [r for r in recs if r["Name"] == "g.example.com."]
    assert {r["SetIdentifier"] for r in geo} == {"fr", "us-ca", "eu", "dflt"}
    ans = r53.test_dns_answer(HostedZoneId=zid, RecordName="cidr.example.com", RecordType="A",
                              EDNS0ClientSubnetIP="203.0.113.77", EDNS0ClientSubnetMask="24")
    assert ans["RecordData"] == ["192.0.2.1"]
    ans = r53.test_dns_answer(HostedZoneId=zid, RecordName="cidr.example.com", RecordType="A",
                              EDNS0ClientSubnetIP="198.51.100.1")
    assert ans["RecordData"] == ["192.0.2.2"]
    with pytest.raises(ClientError) as e:
        change(r53, zid, ("CREATE", rrset("g2.example.com", "192.0.2.1", SetIdentifier="x",
                                          GeoLocation={"CountryCode": "XX"})))
    assert code(e) == "InvalidInput"
    with pytest.raises(ClientError) as e:
        change(r53, zid, ("CREATE", rrset("f.example.com", "192.0.2.3", SetIdentifier="p2", Failover="PRIMARY")))
    assert code(e) == "InvalidChangeBatch"


def test_list_resource_record_sets_paging(r53):
    zid = zone(r53)["HostedZone"]["Id"]
    change(r53, zid, *[("CREATE", rrset("w.example.com", f"192.0.2.{i}", SetIdentifier=f"s{i}", Weight=i))
                       for i in range(1, 6)])
    seen, kwargs = [], {"MaxItems": "2"}
    while True:
        page = r53.list_resource_record_sets(HostedZoneId=zid, **kwargs)
        seen += [(r["Name"], r["Type"], r.get("SetIdentifier")) for r in page["ResourceRecordSets"]]
        if not page["IsTruncated"]:
            break
        kwargs = {"MaxItems": "2", "StartRecordName": page["NextRecordName"],
                  "StartRecordType": page["NextRecordType"]}
        if "NextRecordIdentifier" in page:
            kwargs["StartRecordIdentifier"] = page["NextRecordIdentifier"]
    assert len(seen) == 7 and len(set(seen)) == 7
    assert [s[2] for s in seen[2:]] == ["s1", "s2", "s3", "s4", "s5"]
    paginator = r53.get_paginator("list_resource_record_sets")
    assert sum(len(p["ResourceRecordSets"]) for p in paginator.paginate(HostedZoneId=zid,
                                                                        PaginationConfig={"PageSize": 3})) == 7


# ---------------------------------------------------------------------------------------------
# health checks, faults and answers


def test_health_check_crud(r53):
    hc = health_check(r53, "h1", FullyQualifiedDomainName="app.example.com", Type="HTTPS", ResourcePath="/health")
    assert hc["HealthCheckVersion"] == 1
    cfg = hc["HealthCheckConfig"]
    assert cfg["Port"] == 443 and cfg["EnableSNI"] is True and cfg["FailureThreshold"] == 3
    # the same CallerReference and settings return the same check
    again = r53.create_health_check(CallerReference="h1", HealthCheckConfig={
        "Type": "HTTPS", "IPAddress": "192.0.2.10", "RequestInterval": 30, "FailureThreshold": 3,
        "FullyQualifiedDomainName": "app.example.com", "ResourcePath": "/health"})["HealthCheck"]
    assert again["Id"] == hc["Id"]
    with pytest.raises(ClientError) as e:
        health_check(r53, "h1", ip="192.0.2.99")
    assert code(e) == "HealthCheckAlreadyExists" and status(e) == 409
    assert r53.get_health_check(HealthCheckId=hc["Id"])["HealthCheck"]["Id"] == hc["Id"]
    up = r53.update_health_check(HealthCheckId=hc["Id"], HealthCheckVersion=1, FailureThreshold=5,
                                 ResetElements=["ResourcePath"])["HealthCheck"]
    assert up["HealthCheckVersion"] == 2 and up["HealthCheckConfig"]["FailureThreshold"] == 5
    assert "ResourcePath" not in up["HealthCheckConfig"]
    with pytest.raises(ClientError) as e:
        r53.update_health_check(HealthCheckId=hc["Id"], HealthCheckVersion=1, FailureThreshold=2)
    assert code(e) == "HealthCheckVersionMismatch"
    health_check(r53, "h2", ip="192.0.2.11")
    assert r53.get_health_check_count()["HealthCheckCount"] == 2
    page = r53.list_health_checks(MaxItems="1")
    assert len(page["HealthChecks"]) == 1 and page["IsTruncated"]
    assert len(r53.list_health_checks(Marker=page["NextMarker"])["HealthChecks"]) == 1
    r53.delete_health_check(HealthCheckId=hc["Id"])
    with pytest.raises(ClientError) as e:
        r53.get_health_check(HealthCheckId=hc["Id"])
    assert code(e) == "NoSuchHealthCheck" and status(e) == 404
    # a deleted check's CallerReference can't be reused
    with pytest.raises(ClientError) as e:
        health_check(r53, "h1", FullyQualifiedDomainName="app.example.com", Type="HTTPS", ResourcePath="/health")
    assert code(e) == "HealthCheckAlreadyExists"
    for bad in ({"Type": "HTTP"}, {"Type": "TCP", "IPAddress": "192.0.2.1"},
                {"Type": "HTTP_STR_MATCH", "IPAddress": "192.0.2.1"}, {"Type": "HTTP", "IPAddress": "10.0.0.1"},
                {"Type": "CLOUDWATCH_METRIC"},
                {"Type": "TCP", "IPAddress": "192.0.2.1", "Port": 22,
                 "AlarmIdentifier": {"Name": "a", "Region": "us-east-1"}}):
        with pytest.raises(ClientError) as e:
            r53.create_health_check(CallerReference="bad" + json.dumps(bad), HealthCheckConfig=bad)
        assert code(e) == "InvalidInput", bad
    with pytest.raises(ClientError) as e:
        r53.delete_health_check(HealthCheckId="nope")
    assert code(e) == "NoSuchHealthCheck"


def test_record_with_deleted_health_check_can_be_deleted(r53):
    zid = zone(r53)["HostedZone"]["Id"]
    hc = health_check(r53, "gone")
    rr = rrset("w.example.com", "192.0.2.1", SetIdentifier="a", Weight=1, HealthCheckId=hc["Id"])
    change(r53, zid, ("CREATE", rr))
    r53.delete_health_check(HealthCheckId=hc["Id"])  # allowed while a record uses it
    with pytest.raises(ClientError) as e:
        change(r53, zid, ("UPSERT", rr))
    assert code(e) == "NoSuchHealthCheck"
    change(r53, zid, ("DELETE", rr))
    assert r53.get_hosted_zone(Id=zid)["HostedZone"]["ResourceRecordSetCount"] == 2


def test_health_status_follows_faults_over_virtual_time(awssim, r53):
    hc = health_check(r53, "hf", ip="192.0.2.50", FailureThreshold=2)
    zid = zone(r53)["HostedZone"]["Id"]
    change(r53, zid,
           ("CREATE", rrset("f.example.com", "192.0.2.50", SetIdentifier="p", Failover="PRIMARY",
                            HealthCheckId=hc["Id"])),
           ("CREATE", rrset("f.example.com", "192.0.2.60", SetIdentifier="s", Failover="SECONDARY")))
    obs = r53.get_health_check_status(HealthCheckId=hc["Id"])["HealthCheckObservations"]
    assert len(obs) == 8 and all(o["StatusReport"]["Status"].startswith("Success") for o in obs)
    assert r53.get_health_check_last_failure_reason(HealthCheckId=hc["Id"])["HealthCheckObservations"] == []
    assert resolve(awssim, "f.example.com")["answer"][0]["values"] == ["192.0.2.50"]

    fid = add_fault(awssim, ip="192.0.2.50", reason="Failure: HTTP Status Code 503, Service Unavailable")
    awssim.advance(30)  # one failure, threshold 2
    assert resolve(awssim, "f.example.com")["answer"][0]["setIdentifier"] == "p"
    awssim.advance(30)
    res = resolve(awssim, "f.example.com", samples=10)
    assert res["counts"] == {"s": 10}
    ans = r53.test_dns_answer(HostedZoneId=zid, RecordName="f.example.com", RecordType="A")
    assert ans["RecordData"] == ["192.0.2.60"] and ans["ResponseCode"] == "NOERROR"
    obs = r53.get_health_check_status(HealthCheckId=hc["Id"])["HealthCheckObservations"]
    assert obs[0]["StatusReport"]["Status"] == "Failure: HTTP Status Code 503, Service Unavailable"
    last = r53.get_health_check_last_failure_reason(HealthCheckId=hc["Id"])["HealthCheckObservations"]
    assert len(last) == 8 and last[0]["Region"] and last[0]["IPAddress"]

    st, faults = awssim.control("GET", "faults")
    assert st == 200 and [f["ip"] for f in faults["route53"]] == ["192.0.2.50"]
    st, body = awssim.control("DELETE", f"faults?service=route53&id={fid}")
    assert st == 200 and body["cleared"] == 1
    awssim.advance(60)
    assert resolve(awssim, "f.example.com")["answer"][0]["setIdentifier"] == "p"


def test_health_metrics_in_control_api(awssim, r53):
    hc = health_check(r53, "metrics", ip="192.0.2.90", FailureThreshold=1)
    add_fault(awssim, healthCheckId=hc["Id"])
    awssim.advance(180)
    st, body = awssim.control("GET", f"metrics?namespace=AWS/Route53&account={A}")
    assert st == 200, body
    status = [m for m in body["metrics"] if m["MetricName"] == "HealthCheckStatus"]
    assert len(status) == 4 and status[0]["Dimensions"] == [{"Name": "HealthCheckId", "Value": hc["Id"]}]
    assert [m["Value"] for m in status] == [1, 0, 0, 0]
    st, body = awssim.control("GET", f"metrics?namespace=AWS/Route53&account={A}&region=eu-west-1")
    assert st == 200 and body["metrics"] == []


def test_alias_failover_to_aws_resources_follows_fqdn_faults(awssim, r53):
    zid = zone(r53)["HostedZone"]["Id"]

    def alias(sid, role, dns, zone_id):
        return {"Name": "app.example.com", "Type": "A", "SetIdentifier": sid, "Failover": role,
                "AliasTarget": {"HostedZoneId": zone_id, "DNSName": dns, "EvaluateTargetHealth": True}}

    change(r53, zid, ("CREATE", alias("east", "PRIMARY", "dualstack.east-lb-1.us-east-1.elb.amazonaws.com",
                                      "Z35SXDOTRQ7X7K")),
           ("CREATE", alias("west", "SECONDARY", "west-lb-2.us-west-2.elb.amazonaws.com", "Z1H1FL5HABSF5")))
    assert resolve(awssim, "app.example.com")["answer"][0]["setIdentifier"] == "east"
    add_fault(awssim, fqdn="east-lb-1.us-east-1.elb.amazonaws.com")
    res = resolve(awssim, "app.example.com", samples=5)
    assert res["counts"] == {"west": 5}
    assert {r["setIdentifier"]: r["healthy"] for r in res["records"]} == {"east": False, "west": True}


def test_first_observation_reports_a_fault_after_one_interval(awssim, r53):
    # what a state machine polling GetHealthCheckStatus sees (HealthCheckObservations[0])
    hc = r53.create_health_check(CallerReference="sm", HealthCheckConfig={
        "Type": "HTTPS", "FullyQualifiedDomainName": "new.example.com", "ResourcePath": "/health",
        "RequestInterval": 30, "FailureThreshold": 3})["HealthCheck"]
    first = lambda: r53.get_health_check_status(HealthCheckId=hc["Id"])["HealthCheckObservations"][0]
    assert first()["StatusReport"]["Status"].startswith("Success")
    add_fault(awssim, healthCheckId=hc["Id"], reason="HTTP 503 from new-alb (simulated)")
    awssim.advance(29)
    assert first()["StatusReport"]["Status"].startswith("Success")
    awssim.advance(1)
    assert first()["StatusReport"]["Status"] == "Failure: HTTP 503 from new-alb (simulated)"


def test_fault_validation(awssim):
    st, body = awssim.control("POST", "faults", {"service": "route53"})
    assert st == 400
    st, body = awssim.control("POST", "faults", {"service": "route53", "ip": "192.0.2.1", "status": "sideways"})
    assert st == 400
    st, body = awssim.control("POST", "faults", {"service": "route53", "ip": "192.0.2.1", "regions": ["mars-1"]})
    assert st == 400
    st, body = awssim.control("POST", "faults", {"service": "route53", "ip": "192.0.2.1", "regions": ["sa-east-1"]})
    assert st == 200
    st, body = awssim.control("GET", "faults")
    assert body["route53"][0]["regions"] == ["sa-east-1"]


def test_weighted_answers_follow_weights(awssim, r53):
    zid = zone(r53)["HostedZone"]["Id"]
    change(r53, zid,
           ("CREATE", rrset("w.example.com", "192.0.2.1", SetIdentifier="blue", Weight=90)),
           ("CREATE", rrset("w.example.com", "192.0.2.2", SetIdentifier="green", Weight=10)),
           ("CREATE", rrset("w.example.com", "192.0.2.3", SetIdentifier="off", Weight=0)))
    res = resolve(awssim, "w.example.com", samples=2000)
    assert res["policy"] == "weighted"
    assert res["counts"].get("off", 0) == 0
    assert 1700 < res["counts"]["blue"] < 1900, res["counts"]


def test_calculated_and_cloudwatch_checks(awssim, r53):
    a = health_check(r53, "ca", ip="192.0.2.71", FailureThreshold=1)
    b = health_check(r53, "cb", ip="192.0.2.72", FailureThreshold=1)
    calc = r53.create_health_check(CallerReference="calc", HealthCheckConfig={
        "Type": "CALCULATED", "HealthThreshold": 2, "ChildHealthChecks": [a["Id"], b["Id"]]})["HealthCheck"]
    cw = r53.create_health_check(CallerReference="cw", HealthCheckConfig={
        "Type": "CLOUDWATCH_METRIC", "AlarmIdentifier": {"Name": "errors", "Region": "us-east-1"},
        "InsufficientDataHealthStatus": "Unhealthy"})["HealthCheck"]
    assert cw["CloudWatchAlarmConfiguration"]["MetricName"] == "errors"
    obs = r53.get_health_check_status(HealthCheckId=calc["Id"])["HealthCheckObservations"]
    assert obs[0]["StatusReport"]["Status"].startswith("Success")
    add_fault(awssim, healthCheckId=b["Id"])
    awssim.advance(30)
    obs = r53.get_health_check_status(HealthCheckId=calc["Id"])["HealthCheckObservations"]
    assert obs[0]["StatusReport"]["Status"].startswith("Failure: 1 of 2")
    add_fault(awssim, healthCheckId=cw["Id"], status="insufficient_data")
    obs = r53.get_health_check_status(HealthCheckId=cw["Id"])["HealthCheckObservations"]
    assert obs[0]["StatusReport"]["Status"].startswith("Failure")
    with pytest.raises(ClientError) as e:
        r53.delete_health_check(HealthCheckId=a["Id"])
    assert code(e) == "HealthCheckInUse"
    with pytest.raises(ClientError) as e:
        r53.create_health_check(CallerReference="calc2", HealthCheckConfig={
            "Type": "CALCULATED", "HealthThreshold": 1, "ChildHealthChecks": ["no-such-check"]})
    assert code(e) == "InvalidInput"


def test_test_dns_answer(awssim, r53):
    zid = zone(r53)["HostedZone"]["Id"]
    change(r53, zid, ("CREATE", rrset("*.example.com", "192.0.2.5")),
           ("CREATE", rrset("real.example.com", "192.0.2.6")),
           ("CREATE", rrset("www.example.com", "web.example.com", "CNAME")),
           ("CREATE", {"Name": "apex.example.com", "Type": "A", "AliasTarget": {
               "HostedZoneId": zid.split("/")[-1], "DNSName": "real.example.com", "EvaluateTargetHealth": True}}))
    ans = r53.test_dns_answer(HostedZoneId=zid, RecordName="foo.example.com", RecordType="A")
    assert ans["RecordData"] == ["192.0.2.5"] and ans["Protocol"] == "UDP"
    assert ans["Nameserver"] == r53.get_hosted_zone(Id=zid)["DelegationSet"]["NameServers"][0]
    ans = r53.test_dns_answer(HostedZoneId=zid, RecordName="www.example.com", RecordType="A")
    assert ans["RecordData"] == ["web.example.com"]
    ans = r53.test_dns_answer(HostedZoneId=zid, RecordName="apex.example.com", RecordType="A")
    assert ans["RecordData"] == ["192.0.2.6"]
    ans = r53.test_dns_answer(HostedZoneId=zid, RecordName="example.com", RecordType="A")
    assert ans["RecordData"] == [] and ans["ResponseCode"] == "NOERROR"
    with pytest.raises(ClientError) as e:
        r53.test_dns_answer(HostedZoneId="ZNOPE", RecordName="a.example.com", RecordType="A")
    assert code(e) == "NoSuchHostedZone"
    assert resolve(awssim, "nothing.example.org")["rcode"] == "REFUSED"


def test_checker_ip_ranges(r53):
    ranges = r53.get_checker_ip_ranges()["CheckerIpRanges"]
    assert "107.23.255.0/26" in ranges and all("/" in r for r in ranges)


# ---------------------------------------------------------------------------------------------
# delegation sets, limits, tags


def test_reusable_delegation_sets(r53):
    ds = r53.create_reusable_delegation_set(CallerReference="d1")["DelegationSet"]
    assert ds["Id"].startswith("/delegationset/N") and len(ds["NameServers"]) == 4
    with pytest.raises(ClientError) as e:
        r53.create_reusable_delegation_set(CallerReference="d1")
    assert code(e) == "DelegationSetAlreadyCreated"
    z = r53.create_hosted_zone(Name="one.com", CallerReference="z1", DelegationSetId=ds["Id"])
    assert z["DelegationSet"]["NameServers"] == ds["NameServers"] and z["DelegationSet"]["Id"] == ds["Id"]
    with pytest.raises(ClientError) as e:
        r53.create_hosted_zone(Name="sub.one.com", CallerReference="z2", DelegationSetId=ds["Id"])
    assert code(e) == "ConflictingDomainExists"
    assert r53.get_reusable_delegation_set(Id=ds["Id"])["DelegationSet"] == ds
    assert r53.list_reusable_delegation_sets()["DelegationSets"] == [ds]
    assert [h["Name"] for h in r53.list_hosted_zones(DelegationSetId=ds["Id"])["HostedZones"]] == ["one.com."]
    lim = r53.get_reusable_delegation_set_limit(DelegationSetId=ds["Id"], Type="MAX_ZONES_BY_REUSABLE_DELEGATION_SET")
    assert lim["Limit"]["Value"] == 100 and lim["Count"] == 1
    with pytest.raises(ClientError) as e:
        r53.delete_reusable_delegation_set(Id=ds["Id"])
    assert code(e) == "DelegationSetInUse"
    r53.delete_hosted_zone(Id=z["HostedZone"]["Id"])
    r53.delete_reusable_delegation_set(Id=ds["Id"])
    with pytest.raises(ClientError) as e:
        r53.get_reusable_delegation_set(Id=ds["Id"])
    assert code(e) == "NoSuchDelegationSet"
    with pytest.raises(ClientError) as e:
        r53.create_hosted_zone(Name="two.com", CallerReference="z3", DelegationSetId="NNOPE")
    assert code(e) == "NoSuchDelegationSet"
    # a zone's own delegation set made reusable
    zid = r53.create_hosted_zone(Name="three.com", CallerReference="z4")
    ds2 = r53.create_reusable_delegation_set(CallerReference="d2", HostedZoneId=zid["HostedZone"]["Id"])
    assert ds2["DelegationSet"]["NameServers"] == zid["DelegationSet"]["NameServers"]
    with pytest.raises(ClientError) as e:
        r53.create_reusable_delegation_set(CallerReference="d3", HostedZoneId=zid["HostedZone"]["Id"])
    assert code(e) == "DelegationSetAlreadyReusable"


def test_account_limits(r53):
    zone(r53)
    expected = {"MAX_HEALTH_CHECKS_BY_OWNER": 200, "MAX_HOSTED_ZONES_BY_OWNER": 500,
                "MAX_TRAFFIC_POLICY_INSTANCES_BY_OWNER": 5, "MAX_REUSABLE_DELEGATION_SETS_BY_OWNER": 100,
                "MAX_TRAFFIC_POLICIES_BY_OWNER": 50}
    for t, v in expected.items():
        out = r53.get_account_limit(Type=t)
        assert out["Limit"] == {"Type": t, "Value": v}
    assert r53.get_account_limit(Type="MAX_HOSTED_ZONES_BY_OWNER")["Count"] == 1
    zid = r53.list_hosted_zones()["HostedZones"][0]["Id"]
    lim = r53.get_hosted_zone_limit(HostedZoneId=zid, Type="MAX_RRSETS_BY_ZONE")
    assert lim["Limit"]["Value"] == 10000 and lim["Count"] == 2
    with pytest.raises(ClientError) as e:
        r53.get_account_limit(Type="MAX_EVERYTHING")
    assert code(e) == "InvalidInput"


def test_tags(r53):
    zid = zone(r53)["HostedZone"]["Id"].split("/")[-1]
    hc = health_check(r53, "t1")
    r53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zid,
                                 AddTags=[{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "dns"}])
    r53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zid, RemoveTagKeys=["team"],
                                 AddTags=[{"Key": "env", "Value": "stage"}])
    got = r53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=zid)["ResourceTagSet"]
    assert got == {"ResourceType": "hostedzone", "ResourceId": zid, "Tags": [{"Key": "env", "Value": "stage"}]}
    r53.change_tags_for_resource(ResourceType="healthcheck", ResourceId=hc["Id"], AddTags=[{"Key": "a", "Value": "b"}])
    sets = r53.list_tags_for_resources(ResourceType="healthcheck", ResourceIds=[hc["Id"]])["ResourceTagSets"]
    assert sets[0]["Tags"] == [{"Key": "a", "Value": "b"}]
    with pytest.raises(ClientError) as e:
        r53.list_tags_for_resource(ResourceType="hostedzone", ResourceId="ZNOPE")
    assert code(e) == "NoSuchHostedZone"
    with pytest.raises(ClientError) as e:
        r53.change_tags_for_resource(ResourceType="healthcheck", ResourceId="nope",
                                     AddTags=[{"Key": "a", "Value": "b"}])
    assert code(e) == "NoSuchHealthCheck"
    with pytest.raises(ClientError) as e:
        r53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zid,
                                     AddTags=[{"Key": f"k{i}", "Value": "v"} for i in range(10)])
    assert code(e) == "InvalidInput"


# ---------------------------------------------------------------------------------------------
# traffic policies, query logging, DNSSEC, CIDR collections, geolocations

DOC = json.dumps({"AWSPolicyFormatVersion": "2015-10-01", "RecordType": "A", "StartEndpoint": "e1",
                  "Endpoints": {"e1": {"Type": "value", "Value": "192.0.2.1"}}})


def test_traffic_policies_and_instances(awssim, r53):
    tp = r53.create_traffic_policy(Name="tp1", Document=DOC, Comment="first")["TrafficPolicy"]
    assert tp["Version"] == 1 and tp["Type"] == "A"
    with pytest.raises(ClientError) as e:
        r53.create_traffic_policy(Name="tp1", Document=DOC)
    assert code(e) == "TrafficPolicyAlreadyExists"
    with pytest.raises(ClientError) as e:
        r53.create_traffic_policy(Name="bad", Document="{not json")
    assert code(e) == "InvalidTrafficPolicyDocument"
    v2 = r53.create_traffic_policy_version(Id=tp["Id"], Document=DOC, Comment="second")["TrafficPolicy"]
    assert v2["Version"] == 2
    assert r53.get_traffic_policy(Id=tp["Id"], Version=2)["TrafficPolicy"]["Comment"] == "second"
    r53.update_traffic_policy_comment(Id=tp["Id"], Version=1, Comment="renamed")
    assert r53.get_traffic_policy(Id=tp["Id"], Version=1)["TrafficPolicy"]["Comment"] == "renamed"
    summ = r53.list_traffic_policies()["TrafficPolicySummaries"]
    assert summ == [{"Id": tp["Id"], "Name": "tp1", "Type": "A", "LatestVersion": 2, "TrafficPolicyCount": 2}]
    assert [p["Version"] for p in r53.list_traffic_policy_versions(Id=tp["Id"])["TrafficPolicies"]] == [1, 2]

    zid = zone(r53)["HostedZone"]["Id"]
    inst = r53.create_traffic_policy_instance(HostedZoneId=zid, Name="tp.example.com", TTL=60,
                                              TrafficPolicyId=tp["Id"], TrafficPolicyVersion=1)
    ti = inst["TrafficPolicyInstance"]
    assert ti["State"] == "Creating" and ti["Name"] == "tp.example.com."
    awssim.advance(60)
    assert r53.get_traffic_policy_instance(Id=ti["Id"])["TrafficPolicyInstance"]["State"] == "Applied"
    recs = r53.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"]
    assert any(r.get("TrafficPolicyInstanceId") == ti["Id"] for r in recs)
    assert r53.get_traffic_policy_instance_count()["TrafficPolicyInstanceCount"] == 1
    assert len(r53.list_traffic_policy_instances()["TrafficPolicyInstances"]) == 1
    assert len(r53.list_traffic_policy_instances_by_hosted_zone(HostedZoneId=zid)["TrafficPolicyInstances"]) == 1
    assert len(r53.list_traffic_policy_instances_by_policy(TrafficPolicyId=tp["Id"], TrafficPolicyVersion=1)[
        "TrafficPolicyInstances"]) == 1
    up = r53.update_traffic_policy_instance(Id=ti["Id"], TTL=120, TrafficPolicyId=tp["Id"], TrafficPolicyVersion=2)
    assert up["TrafficPolicyInstance"]["TrafficPolicyVersion"] == 2
    with pytest.raises(ClientError) as e:
        r53.delete_traffic_policy(Id=tp["Id"], Version=2)
    assert code(e) == "TrafficPolicyInUse"
    txt = r53.create_traffic_policy_version(Id=tp["Id"], Document=DOC.replace('"A"', '"TXT"'))["TrafficPolicy"]
    with pytest.raises(ClientError) as e:
        r53.update_traffic_policy_instance(Id=ti["Id"], TTL=1, TrafficPolicyId=tp["Id"],
                                           TrafficPolicyVersion=txt["Version"])
    assert code(e) == "ConflictingTypes"
    r53.delete_traffic_policy_instance(Id=ti["Id"])
    with pytest.raises(ClientError) as e:
        r53.get_traffic_policy_instance(Id=ti["Id"])
    assert code(e) == "NoSuchTrafficPolicyInstance"
    assert r53.get_hosted_zone(Id=zid)["HostedZone"]["ResourceRecordSetCount"] == 2
    r53.delete_traffic_policy(Id=tp["Id"], Version=1)
    with pytest.raises(ClientError) as e:
        r53.get_traffic_policy(Id=tp["Id"], Version=1)
    assert code(e) == "NoSuchTrafficPolicy"
    with pytest.raises(ClientError) as e:
        r53.list_traffic_policy_versions(Id="nope")
    assert code(e) == "NoSuchTrafficPolicy"


def test_query_logging_configs(r53):
    zid = zone(r53)["HostedZone"]["Id"]
    q = r53.create_query_logging_config(HostedZoneId=zid, CloudWatchLogsLogGroupArn=LOGS)["QueryLoggingConfig"]
    assert q["HostedZoneId"] == zid.split("/")[-1]
    with pytest.raises(ClientError) as e:
        r53.create_query_logging_config(HostedZoneId=zid, CloudWatchLogsLogGroupArn=LOGS)
    assert code(e) == "QueryLoggingConfigAlreadyExists"
    with pytest.raises(ClientError) as e:
        r53.create_query_logging_config(HostedZoneId=zid,
                                        CloudWatchLogsLogGroupArn=LOGS.replace("us-east-1", "eu-west-1"))
    assert code(e) == "InvalidInput"
    assert r53.get_query_logging_config(Id=q["Id"])["QueryLoggingConfig"] == q
    assert r53.list_query_logging_configs(HostedZoneId=zid)["QueryLoggingConfigs"] == [q]
    with pytest.raises(ClientError) as e:
        r53.list_query_logging_configs(NextToken="garbage")
    assert code(e) == "InvalidPaginationToken"
    r53.delete_query_logging_config(Id=q["Id"])
    with pytest.raises(ClientError) as e:
        r53.get_query_logging_config(Id=q["Id"])
    assert code(e) == "NoSuchQueryLoggingConfig"


def test_dnssec_key_signing_keys(r53):
    zid = zone(r53)["HostedZone"]["Id"]
    with pytest.raises(ClientError) as e:
        r53.disable_hosted_zone_dnssec(HostedZoneId=zid)
    assert code(e) == "DNSSECNotFound"
    with pytest.raises(ClientError) as e:
        r53.enable_hosted_zone_dnssec(HostedZoneId=zid)
    assert code(e) == "KeySigningKeyWithActiveStatusNotFound"
    k = r53.create_key_signing_key(CallerReference="k1", HostedZoneId=zid, KeyManagementServiceArn=KMS,
                                   Name="ksk_one", Status="ACTIVE")["KeySigningKey"]
    assert k["Flag"] == 257 and k["SigningAlgorithmType"] == 13
    assert k["DSRecord"] == f"{k['KeyTag']} 13 2 {k['DigestValue']}"
    assert k["DNSKEYRecord"] == f"257 3 13 {k['PublicKey']}"
    with pytest.raises(ClientError) as e:
        r53.create_key_signing_key(CallerReference="k2", HostedZoneId=zid, KeyManagementServiceArn=KMS,
                                   Name="ksk_one", Status="ACTIVE")
    assert code(e) == "KeySigningKeyAlreadyExists"
    with pytest.raises(ClientError) as e:
        r53.create_key_signing_key(CallerReference="k3", HostedZoneId=zid, KeyManagementServiceArn="arn:bad",
                                   Name="ksk_two", Status="ACTIVE")
    assert code(e) == "InvalidKMSArn"
    with pytest.raises(ClientError) as e:
        r53.create_key_signing_key(CallerReference="k4", HostedZoneId=zid, KeyManagementServiceArn=KMS,
                                   Name="b-a-d!", Status="ACTIVE")
    assert code(e) == "InvalidKeySigningKeyName"
    r53.enable_hosted_zone_dnssec(HostedZoneId=zid)
    got = r53.get_dnssec(HostedZoneId=zid)
    assert got["Status"]["ServeSignature"] == "SIGNING" and got["KeySigningKeys"][0]["Name"] == "ksk_one"
    with pytest.raises(ClientError) as e:
        r53.deactivate_key_signing_key(HostedZoneId=zid, Name="ksk_one")
    assert code(e) == "KeySigningKeyInUse"
    with pytest.raises(ClientError) as e:
        r53.delete_key_signing_key(HostedZoneId=zid, Name="ksk_one")
    assert code(e) == "InvalidKeySigningKeyStatus"
    r53.disable_hosted_zone_dnssec(HostedZoneId=zid)
    r53.deactivate_key_signing_key(HostedZoneId=zid, Name="ksk_one")
    r53.activate_key_signing_key(HostedZoneId=zid, Name="ksk_one")
    r53.deactivate_key_signing_key(HostedZoneId=zid, Name="ksk_one")
    r53.delete_key_signing_key(HostedZoneId=zid, Name="ksk_one")
    with pytest.raises(ClientError) as e:
        r53.activate_key_signing_key(HostedZoneId=zid, Name="ksk_one")
    assert code(e) == "NoSuchKeySigningKey"
    assert r53.get_dnssec(HostedZoneId=zid)["KeySigningKeys"] == []


def test_cidr_collections(r53):
    col = r53.create_cidr_collection(Name="net", CallerReference="c1")["Collection"]
    assert col["Version"] == 1 and col["Arn"].endswith(col["Id"])
    with pytest.raises(ClientError) as e:
        r53.create_cidr_collection(Name="net", CallerReference="c2")
    assert code(e) == "CidrCollectionAlreadyExistsException"
    r53.change_cidr_collection(Id=col["Id"], CollectionVersion=1, Changes=[
        {"LocationName": "office", "Action": "PUT", "CidrList": ["198.51.100.0/24", "2001:db8::/32"]},
        {"LocationName": "dc", "Action": "PUT", "CidrList": ["203.0.113.0/24"]}])
    with pytest.raises(ClientError) as e:
        r53.change_cidr_collection(Id=col["Id"], CollectionVersion=1, Changes=[
            {"LocationName": "dc", "Action": "DELETE_IF_EXISTS", "CidrList": ["203.0.113.0/24"]}])
    assert code(e) == "CidrCollectionVersionMismatchException" and status(e) == 409
    with pytest.raises(ClientError) as e:
        r53.change_cidr_collection(Id=col["Id"], Changes=[
            {"LocationName": "dc", "Action": "PUT", "CidrList": ["not-a-cidr"]}])
    assert code(e) == "InvalidInput"
    assert r53.list_cidr_collections()["CidrCollections"][0]["Version"] == 2
    assert sorted(l["LocationName"] for l in r53.list_cidr_locations(CollectionId=col["Id"])["CidrLocations"]) == [
        "dc", "office"]
    blocks = r53.list_cidr_blocks(CollectionId=col["Id"], LocationName="office")["CidrBlocks"]
    assert {b["CidrBlock"] for b in blocks} == {"198.51.100.0/24", "2001:db8::/32"}
    with pytest.raises(ClientError) as e:
        r53.list_cidr_blocks(CollectionId=col["Id"], LocationName="mars")
    assert code(e) == "NoSuchCidrLocationException"
    with pytest.raises(ClientError) as e:
        r53.delete_cidr_collection(Id=col["Id"])
    assert code(e) == "CidrCollectionInUseException"
    r53.change_cidr_collection(Id=col["Id"], Changes=[
        {"LocationName": "office", "Action": "DELETE_IF_EXISTS", "CidrList": ["198.51.100.0/24", "2001:db8::/32"]},
        {"LocationName": "dc", "Action": "DELETE_IF_EXISTS", "CidrList": ["203.0.113.0/24"]}])
    r53.delete_cidr_collection(Id=col["Id"])
    with pytest.raises(ClientError) as e:
        r53.list_cidr_locations(CollectionId=col["Id"])
    assert code(e) == "NoSuchCidrCollectionException" and status(e) == 404


def test_geolocations(r53):
    assert r53.get_geo_location(ContinentCode="EU")["GeoLocationDetails"] == {
        "ContinentCode": "EU", "ContinentName": "Europe"}
    us_ca = r53.get_geo_location(CountryCode="US", SubdivisionCode="CA")["GeoLocationDetails"]
    assert us_ca["SubdivisionName"] == "California"
    assert r53.get_geo_location(CountryCode="*")["GeoLocationDetails"]["CountryName"] == "Default"
    with pytest.raises(ClientError) as e:
        r53.get_geo_location(CountryCode="XX")
    assert code(e) == "NoSuchGeoLocation" and status(e) == 404
    first = r53.list_geo_locations(MaxItems="10")
    assert [g.get("ContinentCode") for g in first["GeoLocationDetailsList"][:7]] == [
        "AF", "AN", "AS", "EU", "NA", "OC", "SA"]
    assert first["IsTruncated"] and first["NextCountryCode"]
    total, kwargs = 0, {}
    while True:
        page = r53.list_geo_locations(**kwargs)
        total += len(page["GeoLocationDetailsList"])
        if not page["IsTruncated"]:
            break
        kwargs = {k2: page[k1] for k1, k2 in (("NextContinentCode", "StartContinentCode"),
                                               ("NextCountryCode", "StartCountryCode"),
                                               ("NextSubdivisionCode", "StartSubdivisionCode")) if k1 in page}
    assert total > 250


# ---------------------------------------------------------------------------------------------
# bad input: AWS errors, and the server keeps serving


def test_bad_input_keeps_server_serving(awssim, r53):
    zid = zone(r53)["HostedZone"]["Id"].split("/")[-1]
    st, _, body = awssim.raw("POST", f"/2013-04-01/hostedzone/{zid}/rrset/", b"<ChangeResourceRecordSetsRequest><oops",
                             headers={"Content-Type": "text/xml"})
    assert st == 400 and b"<Code>InvalidInput</Code>" in body
    bad_action = (b'<?xml version="1.0" encoding="UTF-8"?><ChangeResourceRecordSetsRequest '
                  b'xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch><Changes><Change>'
                  b"<Action>EXPLODE</Action><ResourceRecordSet><Name>a.example.com</Name><Type>A</Type><TTL>60</TTL>"
                  b"<ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords>"
                  b"</ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>")
    st, _, body = awssim.raw("POST", f"/2013-04-01/hostedzone/{zid}/rrset/", bad_action,
                             headers={"Content-Type": "text/xml"})
    assert st == 400 and b"InvalidInput" in body
    with pytest.raises(ClientError) as e:
        r53.change_resource_record_sets(HostedZoneId=zid, ChangeBatch={"Changes": [
            {"Action": "CREATE", "ResourceRecordSet": {"Name": "a.example.com", "Type": "BOGUS", "TTL": 1,
                                                       "ResourceRecords": [{"Value": "x"}]}}]})
    assert code(e) == "InvalidInput"
    msg = e.value.response["Error"]["Message"]
    assert msg.startswith("Invalid XML ; cvc-enumeration-valid: Value 'BOGUS' is not facet-valid with respect to "
                          "enumeration '[SOA, A, TXT, NS, CNAME, MX, NAPTR, PTR, SRV, SPF, AAAA, CAA") and \
        msg.endswith("]'. It must be a value from the enumeration."), msg
    with pytest.raises(ClientError) as e:  # a string facet: the comment's length
        r53.create_hosted_zone(Name="len.example.com", CallerReference="len-1",
                               HostedZoneConfig={"Comment": "c" * 257})
    assert code(e) == "InvalidInput" and e.value.response["Error"]["Message"] == (
        "Invalid XML ; cvc-maxLength-valid: Value '" + "c" * 257 + "' with length = '257' is not facet-valid "
        "with respect to maxLength '256' for type 'ResourceDescription'.")
    with pytest.raises(ClientError) as e:  # a URI member is not part of the XML document
        r53.get_account_limit(Type="NOT_A_LIMIT")
    assert code(e) == "InvalidInput" and "1 validation error detected: Value 'NOT_A_LIMIT' at 'type' failed to " \
        "satisfy constraint: Member must satisfy enum value set" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        r53.get_hosted_zone(Id="Z" + "X" * 40)
    assert code(e) == "InvalidInput"
    with pytest.raises(ClientError) as e:
        r53.create_health_check(CallerReference="x", HealthCheckConfig={"Type": "HTTP", "IPAddress": "192.0.2.1",
                                                                        "FailureThreshold": 99})
    assert code(e) == "InvalidInput"
    assert awssim.alive()
    assert r53.get_hosted_zone(Id=zid)["HostedZone"]["Name"] == "example.com."


# ---------------------------------------------------------------------------------------------
# the AWS CLI


def test_cli_zone_records_and_errors(awssim, tmp_path):
    out = awssim.cli("route53", "create-hosted-zone", "--name", "cli.example.com", "--caller-reference", "cli-1",
                     account=A, check=True).json
    zid = out["HostedZone"]["Id"]
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps({"Comment": "cli", "Changes": [{"Action": "UPSERT", "ResourceRecordSet": rrset(
        "www.cli.example.com", "192.0.2.44")}]}))
    ch = awssim.cli("route53", "change-resource-record-sets", "--hosted-zone-id", zid, "--change-batch",
                    f"file://{batch}", account=A, check=True).json
    assert ch["ChangeInfo"]["Status"] == "PENDING" and ch["ChangeInfo"]["Comment"] == "cli"
    awssim.advance(60)
    got = awssim.cli("route53", "get-change", "--id", ch["ChangeInfo"]["Id"], account=A, check=True).json
    assert got["ChangeInfo"]["Status"] == "INSYNC"
    recs = awssim.cli("route53", "list-resource-record-sets", "--hosted-zone-id", zid, account=A, check=True).json
    assert [r["Name"] for r in recs["ResourceRecordSets"]][-1] == "www.cli.example.com."
    ans = awssim.cli("route53", "test-dns-answer", "--hosted-zone-id", zid, "--record-name", "www.cli.example.com",
                     "--record-type", "A", account=A, check=True).json
    assert ans["RecordData"] == ["192.0.2.44"]
    awssim.cli("route53", "wait", "resource-record-sets-changed", "--id", ch["ChangeInfo"]["Id"], account=A,
               check=True)
    res = awssim.cli("route53", "get-hosted-zone", "--id", "ZNOSUCHZONE", account=A)
    assert res.rc != 0 and "NoSuchHostedZone" in res.stderr
    dup = awssim.cli("route53", "create-hosted-zone", "--name", "cli2.example.com", "--caller-reference", "cli-1",
                     account=A)
    assert dup.rc != 0 and "HostedZoneAlreadyExists" in dup.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"Changes": [{"Action": "CREATE", "ResourceRecordSet": rrset(
        "x.elsewhere.org", "192.0.2.1")}]}))
    res = awssim.cli("route53", "change-resource-record-sets", "--hosted-zone-id", zid, "--change-batch",
                     f"file://{bad}", account=A)
    assert res.rc != 0 and "InvalidChangeBatch" in res.stderr and "is not permitted in zone" in res.stderr


def test_cli_health_checks_and_other_resources(awssim):
    hc = awssim.cli("route53", "create-health-check", "--caller-reference", "cli-hc", "--health-check-config",
                    "Type=TCP,IPAddress=192.0.2.80,Port=22", account=A, check=True).json["HealthCheck"]
    assert hc["HealthCheckConfig"]["Port"] == 22
    st = awssim.cli("route53", "get-health-check-status", "--health-check-id", hc["Id"], account=A, check=True).json
    assert len(st["HealthCheckObservations"]) == 8
    assert awssim.cli("route53", "get-health-check-count", account=A, check=True).json["HealthCheckCount"] == 1
    lst = awssim.cli("route53", "list-health-checks", account=A, check=True).json
    assert lst["HealthChecks"][0]["Id"] == hc["Id"]
    awssim.cli("route53", "update-health-check", "--health-check-id", hc["Id"], "--failure-threshold", "2",
               account=A, check=True)
    awssim.cli("route53", "delete-health-check", "--health-check-id", hc["Id"], account=A, check=True)
    res = awssim.cli("route53", "get-health-check", "--health-check-id", hc["Id"], account=A)
    assert res.rc != 0 and "NoSuchHealthCheck" in res.stderr
    lim = awssim.cli("route53", "get-account-limit", "--type", "MAX_HOSTED_ZONES_BY_OWNER", account=A,
                     check=True).json
    assert lim["Limit"]["Value"] == 500
    geo = awssim.cli("route53", "get-geo-location", "--country-code", "FR", account=A, check=True).json
    assert geo["GeoLocationDetails"]["CountryCode"] == "FR"
    rng = awssim.cli("route53", "get-checker-ip-ranges", account=A, check=True).json
    assert rng["CheckerIpRanges"]
    ds = awssim.cli("route53", "create-reusable-delegation-set", "--caller-reference", "cli-ds", account=A,
                    check=True).json
    assert len(ds["DelegationSet"]["NameServers"]) == 4
    col = awssim.cli("route53", "create-cidr-collection", "--name", "clicol", "--caller-reference", "cc", account=A,
                     check=True).json
    assert col["Collection"]["Name"] == "clicol"
    tp = awssim.cli("route53", "create-traffic-policy", "--name", "clitp", "--document", DOC, account=A,
                    check=True).json
    assert tp["TrafficPolicy"]["Type"] == "A"
    bad = awssim.cli("route53", "get-account-limit", "--type", "NOPE", account=A)
    assert bad.rc != 0


def test_cli_every_operation(awssim, tmp_path):
    """Each of the 71 Route 53 operations once through the AWS CLI, in a scenario that succeeds."""
    used = set()

    def aws(cmd, *args, account=A):
        used.add(cmd)
        return awssim.cli("route53", cmd, *args, account=account, check=True).json

    def jarg(obj):
        return json.dumps(obj)

    vpc = "VPCRegion=us-east-1,VPCId=vpc-0123456789abcdef0"
    vpc2 = "VPCRegion=us-west-2,VPCId=vpc-11112222"
    pub = aws("create-hosted-zone", "--name", "all.example.com", "--caller-reference", "all-1")
    zid = pub["HostedZone"]["Id"].split("/")[-1]
    priv = aws("create-hosted-zone", "--name", "all.internal", "--caller-reference", "all-2", "--vpc", vpc,
               "--hosted-zone-config", "Comment=private,PrivateZone=true")
    pid = priv["HostedZone"]["Id"].split("/")[-1]
    aws("get-hosted-zone", "--id", zid)
    assert aws("get-hosted-zone-count")["HostedZoneCount"] == 2
    aws("update-hosted-zone-comment", "--id", zid, "--comment", "all ops")
    aws("update-hosted-zone-features", "--hosted-zone-id", zid, "--enable-accelerated-recovery")
    assert len(aws("list-hosted-zones")["HostedZones"]) == 2
    assert aws("list-hosted-zones-by-name", "--dns-name", "all.example.com")["HostedZones"][0]["Id"].endswith(zid)
    assert aws("list-hosted-zones-by-vpc", "--vpc-id", "vpc-0123456789abcdef0", "--vpc-region", "us-east-1")[
        "HostedZoneSummaries"][0]["HostedZoneId"] == pid
    aws("associate-vpc-with-hosted-zone", "--hosted-zone-id", pid, "--vpc", vpc2)
    aws("disassociate-vpc-from-hosted-zone", "--hosted-zone-id", pid, "--vpc", vpc2)
    aws("create-vpc-association-authorization", "--hosted-zone-id", pid, "--vpc", vpc2)
    assert len(aws("list-vpc-association-authorizations", "--hosted-zone-id", pid)["VPCs"]) == 1
    aws("delete-vpc-association-authorization", "--hosted-zone-id", pid, "--vpc", vpc2)
    assert aws("get-hosted-zone-limit", "--hosted-zone-id", zid, "--type", "MAX_RRSETS_BY_ZONE")["Limit"]["Value"] == 10000
    assert aws("get-account-limit", "--type", "MAX_HEALTH_CHECKS_BY_OWNER")["Limit"]["Value"] == 200

    hc = aws("create-health-check", "--caller-reference", "all-hc", "--health-check-config",
             jarg({"Type": "HTTP", "IPAddress": "192.0.2.1", "Port": 80, "ResourcePath": "/"}))["HealthCheck"]
    aws("get-health-check", "--health-check-id", hc["Id"])
    aws("update-health-check", "--health-check-id", hc["Id"], "--failure-threshold", "1")
    assert aws("get-health-check-count")["HealthCheckCount"] == 1
    aws("list-health-checks")
    aws("get-health-check-status", "--health-check-id", hc["Id"])
    aws("get-health-check-last-failure-reason", "--health-check-id", hc["Id"])
    assert aws("get-checker-ip-ranges")["CheckerIpRanges"]

    change = aws("change-resource-record-sets", "--hosted-zone-id", zid, "--change-batch", jarg({"Changes": [
        {"Action": "CREATE", "ResourceRecordSet": rrset("w.all.example.com", "192.0.2.1", SetIdentifier="a", Weight=1,
                                                        HealthCheckId=hc["Id"])}]}))
    aws("get-change", "--id", change["ChangeInfo"]["Id"])
    assert len(aws("list-resource-record-sets", "--hosted-zone-id", zid)["ResourceRecordSets"]) == 3
    assert aws("test-dns-answer", "--hosted-zone-id", zid, "--record-name", "w.all.example.com", "--record-type",
               "A")["RecordData"] == ["192.0.2.1"]
    aws("change-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", zid, "--add-tags",
        "Key=env,Value=test")
    assert aws("list-tags-for-resource", "--resource-type", "hostedzone", "--resource-id", zid)[
        "ResourceTagSet"]["Tags"] == [{"Key": "env", "Value": "test"}]
    aws("list-tags-for-resources", "--resource-type", "healthcheck", "--resource-ids", hc["Id"])

    ds = aws("create-reusable-delegation-set", "--caller-reference", "all-ds")["DelegationSet"]
    aws("get-reusable-delegation-set", "--id", ds["Id"])
    aws("list-reusable-delegation-sets")
    aws("get-reusable-delegation-set-limit", "--delegation-set-id", ds["Id"], "--type",
        "MAX_ZONES_BY_REUSABLE_DELEGATION_SET")
    aws("delete-reusable-delegation-set", "--id", ds["Id"])

    tp = aws("create-traffic-policy", "--name", "all-tp", "--document", DOC)["TrafficPolicy"]
    aws("create-traffic-policy-version", "--id", tp["Id"], "--document", DOC)
    aws("get-traffic-policy", "--id", tp["Id"], "--traffic-policy-version", "1")
    aws("update-traffic-policy-comment", "--id", tp["Id"], "--traffic-policy-version", "2", "--comment", "v2")
    aws("list-traffic-policies")
    aws("list-traffic-policy-versions", "--id", tp["Id"])
    ti = aws("create-traffic-policy-instance", "--hosted-zone-id", zid, "--name", "tp.all.example.com", "--ttl", "60",
             "--traffic-policy-id", tp["Id"], "--traffic-policy-version", "1")["TrafficPolicyInstance"]
    aws("get-traffic-policy-instance", "--id", ti["Id"])
    aws("update-traffic-policy-instance", "--id", ti["Id"], "--ttl", "120", "--traffic-policy-id", tp["Id"],
        "--traffic-policy-version", "2")
    assert aws("get-traffic-policy-instance-count")["TrafficPolicyInstanceCount"] == 1
    aws("list-traffic-policy-instances")
    aws("list-traffic-policy-instances-by-hosted-zone", "--hosted-zone-id", zid)
    aws("list-traffic-policy-instances-by-policy", "--traffic-policy-id", tp["Id"], "--traffic-policy-version", "2")
    aws("delete-traffic-policy-instance", "--id", ti["Id"])
    aws("delete-traffic-policy", "--id", tp["Id"], "--traffic-policy-version", "1")

    q = aws("create-query-logging-config", "--hosted-zone-id", zid, "--cloud-watch-logs-log-group-arn",
            LOGS)["QueryLoggingConfig"]
    aws("get-query-logging-config", "--id", q["Id"])
    aws("list-query-logging-configs")
    aws("delete-query-logging-config", "--id", q["Id"])

    aws("create-key-signing-key", "--caller-reference", "all-ksk", "--hosted-zone-id", zid,
        "--key-management-service-arn", KMS, "--name", "allksk", "--status", "INACTIVE")
    aws("activate-key-signing-key", "--hosted-zone-id", zid, "--name", "allksk")
    aws("enable-hosted-zone-dnssec", "--hosted-zone-id", zid)
    assert aws("get-dnssec", "--hosted-zone-id", zid)["Status"]["ServeSignature"] == "SIGNING"
    aws("disable-hosted-zone-dnssec", "--hosted-zone-id", zid)
    aws("deactivate-key-signing-key", "--hosted-zone-id", zid, "--name", "allksk")
    aws("delete-key-signing-key", "--hosted-zone-id", zid, "--name", "allksk")

    col = aws("create-cidr-collection", "--name", "allcol", "--caller-reference", "all-col")["Collection"]
    aws("change-cidr-collection", "--id", col["Id"], "--changes",
        jarg([{"LocationName": "here", "Action": "PUT", "CidrList": ["198.51.100.0/24"]}]))
    assert aws("list-cidr-collections")["CidrCollections"][0]["Version"] == 2
    aws("list-cidr-locations", "--collection-id", col["Id"])
    aws("list-cidr-blocks", "--collection-id", col["Id"])
    aws("change-cidr-collection", "--id", col["Id"], "--changes",
        jarg([{"LocationName": "here", "Action": "DELETE_IF_EXISTS", "CidrList": ["198.51.100.0/24"]}]))
    aws("delete-cidr-collection", "--id", col["Id"])

    assert aws("get-geo-location", "--continent-code", "EU")["GeoLocationDetails"]["ContinentName"] == "Europe"
    aws("list-geo-locations", "--max-items", "5")

    aws("change-resource-record-sets", "--hosted-zone-id", zid, "--change-batch", jarg({"Changes": [
        {"Action": "DELETE", "ResourceRecordSet": rrset("w.all.example.com", "192.0.2.1", SetIdentifier="a", Weight=1,
                                                        HealthCheckId=hc["Id"])}]}))
    aws("delete-health-check", "--health-check-id", hc["Id"])
    aws("delete-hosted-zone", "--id", zid)

    import botocore.session
    model = botocore.session.get_session().get_service_model("route53")
    expected = {botocore.xform_name(op).replace("_", "-") for op in model.operation_names}
    assert expected - used == set()


def test_boto3_paginators(awssim, r53):
    for i in range(5):
        zone(r53, f"z{i}.example.com", ref=f"pz{i}")
        health_check(r53, f"ph{i}", ip=f"192.0.2.{i + 1}")
    priv = zone(r53, "p.internal", ref="pp", VPC=VPC1)["HostedZone"]["Id"]
    for i in range(5):
        r53.create_vpc_association_authorization(HostedZoneId=priv, VPC={"VPCRegion": "us-east-1",
                                                                         "VPCId": f"vpc-0000000{i}"})
    for i in range(3):
        r53.create_query_logging_config(HostedZoneId=zone(r53, f"q{i}.example.com", ref=f"q{i}")["HostedZone"]["Id"],
                                        CloudWatchLogsLogGroupArn=LOGS + str(i))
    col = r53.create_cidr_collection(Name="pages", CallerReference="pages")["Collection"]
    r53.change_cidr_collection(Id=col["Id"], Changes=[
        {"LocationName": f"loc{i}", "Action": "PUT", "CidrList": [f"198.51.{i}.0/24", f"203.0.{i}.0/24"]}
        for i in range(4)])
    r53.create_cidr_collection(Name="pages2", CallerReference="pages2")

    def total(op, key, **kw):
        cfg = {} if "MaxResults" in kw else {"PaginationConfig": {"PageSize": 2}}
        pages = list(r53.get_paginator(op).paginate(**cfg, **kw))
        items = [x for p in pages for x in p[key]]
        return len(pages), items

    pages, items = total("list_hosted_zones", "HostedZones")
    assert len(items) == 9 and pages == 5 and len({z["Id"] for z in items}) == 9
    pages, items = total("list_health_checks", "HealthChecks")
    assert len(items) == 5 and pages == 3
    pages, items = total("list_vpc_association_authorizations", "VPCs", HostedZoneId=priv, MaxResults="2")
    assert len(items) == 5 and pages == 3
    pages, items = total("list_query_logging_configs", "QueryLoggingConfigs")
    assert len(items) == 3 and pages == 2
    pages, items = total("list_cidr_blocks", "CidrBlocks", CollectionId=col["Id"])
    assert len(items) == 8 and pages == 4
    pages, items = total("list_cidr_locations", "CidrLocations", CollectionId=col["Id"])
    assert len(items) == 4 and pages == 2
    pages, items = total("list_cidr_collections", "CidrCollections")
    assert len(items) == 2 and pages == 1
