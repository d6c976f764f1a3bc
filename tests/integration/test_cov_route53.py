"""Route 53 rules not covered by test_route53.py: DNS name escapes, RDATA checks per type (AAAA,
MX, SRV, CAA, CNAME), coexistence of routing policies at one name, alias targets, VPC association
paging and cross-account disassociation, delegation sets, tags; the resolver's wildcard, NODATA
and NXDOMAIN answers, latency/geolocation/geoproximity/CIDR (IPv6) routing, alias target health
and traffic policy rules; traffic policy document errors, instances and paging."""
import json

import pytest
from botocore.exceptions import ClientError

A = "111111111111"
B = "222222222222"
VPC1 = {"VPCRegion": "us-east-1", "VPCId": "vpc-0123456789abcdef0"}
VPC2 = {"VPCRegion": "us-west-2", "VPCId": "vpc-11112222"}
KMS = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
LOGS = "arn:aws:logs:us-east-1:111111111111:log-group:/aws/route53/example.com"


def err(excinfo):
    e = excinfo.value.response
    return e["Error"]["Code"], e["Error"]["Message"], e["ResponseMetadata"]["HTTPStatusCode"]


@pytest.fixture
def r53(awssim):
    return awssim.client("route53", account=A)


def zone(r53, name="example.com", ref="ref-1", **kw):
    return r53.create_hosted_zone(Name=name, CallerReference=ref, **kw)["HostedZone"]["Id"].split("/")[-1]


def rrset(name, value, rtype="A", ttl=60, **extra):
    rr = {"Name": name, "Type": rtype, "TTL": ttl,
          "ResourceRecords": [{"Value": v} for v in (value if isinstance(value, list) else [value])]}
    rr.update(extra)
    return rr


def alias(name, rtype, target, zid, evaluate=False, **extra):
    rr = {"Name": name, "Type": rtype,
          "AliasTarget": {"HostedZoneId": zid, "DNSName": target, "EvaluateTargetHealth": evaluate}}
    rr.update(extra)
    return rr


def change(r53, zid, *changes):
    return r53.change_resource_record_sets(
        HostedZoneId=zid, ChangeBatch={"Changes": [{"Action": a, "ResourceRecordSet": rr} for a, rr in changes]})


def change_error(r53, zid, *changes):
    with pytest.raises(ClientError) as ei:
        change(r53, zid, *changes)
    return err(ei)


def resolve(sim, name, rtype="A", samples=1, client=None):
    q = f"route53/resolve?name={name}&type={rtype}&samples={samples}&account={A}"
    if client:
        q += f"&clientIp={client}"
    st, body = sim.control("GET", q)
    assert st == 200, body
    return body


def unhealthy_check(awssim, r53, ref):
    hc = r53.create_health_check(CallerReference=ref, HealthCheckConfig={
        "Type": "HTTP", "IPAddress": "192.0.2.99", "RequestInterval": 10, "FailureThreshold": 1})["HealthCheck"]
    st, _ = awssim.control("POST", "faults", {"service": "route53", "healthCheckId": hc["Id"]})
    assert st == 200
    return hc["Id"]


# ---- names and RDATA ----

def test_names_with_escapes_are_stored_in_route53_form(r53):
    zid = zone(r53)
    change(r53, zid, ("CREATE", rrset("*.wild.example.com", "192.0.2.1")),
           ("CREATE", rrset("dot\\.ted.example.com", "192.0.2.2")))
    names = [r["Name"] for r in r53.list_resource_record_sets(HostedZoneId=zid)["ResourceRecordSets"]]
    assert "\\052.wild.example.com." in names and "dot\\056ted.example.com." in names
    # the octal escape names the same record set as the character
    code, message, _ = change_error(r53, zid, ("CREATE", rrset("\\052.wild.example.com", "192.0.2.9")))
    assert code == "InvalidChangeBatch"
    assert message == ("[Tried to create resource record set [name='\\052.wild.example.com.', type='A'] but it "
                       "already exists]")


@pytest.mark.parametrize("value", ["2001:db8::1", "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8", "fe80::"])
def test_valid_ipv6_values(r53, value):
    zid = zone(r53)
    change(r53, zid, ("CREATE", rrset("v6.example.com", value, "AAAA")))


@pytest.mark.parametrize("value", ["2001:db8::1::2", "12345::1", "2001:db8:zz::1", "1:2:3", "", "::1.2.3"])
def test_invalid_ipv6_values(r53, value):
    zid = zone(r53)
    code, message, status = change_error(r53, zid, ("CREATE", rrset("v6.example.com", value or " ", "AAAA")))
    assert (code, status) == ("InvalidChangeBatch", 400)
    assert message == ("[Invalid Resource Record: 'FATAL problem: AAAARRDATAIllegalIPv6Address (Value is not a "
                       f"valid IPv6 address) encountered with '{value or ' '}'']")


@pytest.mark.parametrize("rtype, value, problem", [
    ("A", "192.0.2.1x", "ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address)"),
    ("MX", "10", "MXRRDATANotTwoFields (MX record doesn't have 2 fields)"),
    ("SRV", "1 2 host.example.com", "SRVRRDATANotFourFields (SRV record doesn't have 4 fields)"),
    ("CAA", "0 issue", "CAARRDATANotThreeFields (CAA record doesn't have 3 fields)"),
])
def test_rdata_field_checks(r53, rtype, value, problem):
    zid = zone(r53)
    code, message, _ = change_error(r53, zid, ("CREATE", rrset("r.example.com", value, rtype)))
    assert code == "InvalidChangeBatch"
    assert message == f"[Invalid Resource Record: 'FATAL problem: {problem} encountered with '{value}'']"


def test_well_formed_mx_srv_caa(r53):
    zid = zone(r53)
    change(r53, zid, ("CREATE", rrset("m.example.com", "10 mail.example.com", "MX")),
           ("CREATE", rrset("_sip._tcp.example.com", "1 2 5060 sip.example.com", "SRV")),
           ("CREATE", rrset("example.com", '0 issue "amazon.com"', "CAA")))


def test_cname_and_soa_placement(r53):
    zid = zone(r53)
    code, message, _ = change_error(r53, zid, ("CREATE", rrset("c.example.com", ["a.example.org", "b.example.org"],
                                                               "CNAME")))
    assert message == "[RRSet of type CNAME with DNS name c.example.com. has more than one resource record]"
    code, message, _ = change_error(r53, zid, ("CREATE", rrset(
        "sub.example.com", "ns-1.awsdns-01.org. hostmaster.example.com. 1 7200 900 1209600 86400", "SOA")))
    assert message == ("[RRSet of type SOA with DNS name sub.example.com. is not permitted because it is not at "
                       "the apex of zone example.com.]")
    change(r53, zid, ("CREATE", rrset("c.example.com", "target.example.org", "CNAME")))
    code, message, _ = change_error(r53, zid, ("CREATE", rrset("c.example.com", "192.0.2.1")))
    assert message == ("[RRSet of type A with DNS name c.example.com. is not permitted because a conflicting RRSet "
                       "of type CNAME with the same DNS name already exists in zone example.com.]")


def test_routing_policies_cannot_mix_at_one_name(r53):
    zid = zone(r53)
    change(r53, zid, ("CREATE", rrset("w.example.com", "192.0.2.1", SetIdentifier="one", Weight=1)))
    _, message, _ = change_error(r53, zid, ("CREATE", rrset("w.example.com", "192.0.2.2")))
    assert message == ("[RRSet with DNS name w.example.com., type A cannot be created as weighted sets exist with "
                       "the same name and type.]")
    _, message, _ = change_error(r53, zid, ("CREATE", rrset("w.example.com", "192.0.2.3", SetIdentifier="f",
                                                            Failover="PRIMARY")))
    assert message == ("[RRSet with DNS name w.example.com., type A, SetIdentifier f cannot be created as a "
                       "non-failover set exists with the same name and type.]")
    change(r53, zid, ("CREATE", rrset("g.example.com", "192.0.2.4", SetIdentifier="eu",
                                      GeoLocation={"ContinentCode": "EU"})))
    _, message, _ = change_error(r53, zid, ("CREATE", rrset("g.example.com", "192.0.2.5", SetIdentifier="eu2",
                                                            GeoLocation={"ContinentCode": "EU"})))
    assert message == ("[RRSet with DNS name g.example.com., type A, SetIdentifier eu2 cannot be created because "
                       "another RRSet with the same name and type has the same geolocation.]")


@pytest.mark.parametrize("extra, message", [
    ({"TrafficPolicyInstanceId": "tpi-1"},
     "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or "
     "TrafficPolicyInstanceId], but found more than one in Change with [Action=CREATE, Name=s.example.com, "
     "Type=A, SetIdentifier=null]"),
    ({"GeoProximityLocation": {"AWSRegion": "us-east-1", "LocalZoneGroup": "us-east-1-bos-1"},
      "SetIdentifier": "gp"},
     "Invalid request: Expected exactly one of [AWSRegion, LocalZoneGroup, or Coordinates], but found more "
     "than one in Change with [Action=CREATE, Name=s.example.com, Type=A, SetIdentifier=gp]"),
    ({"GeoProximityLocation": {"Bias": 10}, "SetIdentifier": "gp"},
     "Invalid request: Expected exactly one of [AWSRegion, LocalZoneGroup, or Coordinates], but found none in "
     "Change with [Action=CREATE, Name=s.example.com, Type=A, SetIdentifier=gp]"),
    ({"CidrRoutingConfig": {"CollectionId": "c0ffee00-0000-4000-8000-000000000000", "LocationName": "x"},
      "SetIdentifier": "c"},
     "Invalid request: CIDR collection c0ffee00-0000-4000-8000-000000000000 does not exist in Change with "
     "[Action=CREATE, Name=s.example.com, Type=A, SetIdentifier=c]"),
])
def test_structure_errors(r53, extra, message):
    zid = zone(r53)
    code, got, status = change_error(r53, zid, ("CREATE", rrset("s.example.com", "192.0.2.1", **extra)))
    assert (code, got, status) == ("InvalidInput", message, 400)


def test_cidr_location_must_exist_and_stays_while_used(r53):
    zid = zone(r53)
    col = r53.create_cidr_collection(Name="net", CallerReference="c1")["Collection"]["Id"]
    r53.change_cidr_collection(Id=col, Changes=[{"LocationName": "office", "Action": "PUT",
                                                 "CidrList": ["198.51.100.0/24"]}])
    code, message, _ = change_error(r53, zid, ("CREATE", rrset(
        "c.example.com", "192.0.2.1", SetIdentifier="x", CidrRoutingConfig={"CollectionId": col,
                                                                           "LocationName": "mars"})))
    assert (code, message) == ("InvalidInput", "Invalid request: CIDR location mars does not exist in Change "
                               "with [Action=CREATE, Name=c.example.com, Type=A, SetIdentifier=x]")
    change(r53, zid, ("CREATE", rrset("c.example.com", "192.0.2.1", SetIdentifier="x",
                                      CidrRoutingConfig={"CollectionId": col, "LocationName": "office"})))
    with pytest.raises(ClientError) as ei:
        r53.change_cidr_collection(Id=col, Changes=[{"LocationName": "office", "Action": "DELETE_IF_EXISTS",
                                                     "CidrList": ["198.51.100.0/24"]}])
    assert err(ei) == ("CidrBlockInUseException", "This CIDR block is in use, and isn't available for deletion.",
                       400)


def test_alias_rules(r53):
    zid = zone(r53)
    other = zone(r53, "example.org", "ref-2")
    change(r53, other, ("CREATE", rrset("www.example.org", "192.0.2.7")))
    code, message, _ = change_error(r53, zid, ("CREATE", alias("a.example.com", "A", "www.example.net", other)))
    assert message == ("[Tried to create an alias that targets www.example.net., type A in zone " + other +
                       ", but the alias target name does not lie within the target zone]")
    _, message, _ = change_error(r53, zid, ("CREATE", alias("x.example.com", "A", "missing.example.com", zid)))
    assert message == ("[Tried to create an alias that targets missing.example.com., type A in zone " + zid +
                       ", but that target was not found]")
    change(r53, zid, ("CREATE", rrset("t.example.com", "192.0.2.8")))
    _, message, _ = change_error(r53, zid, ("UPSERT", alias("t.example.com", "A", "t.example.com", zid)))
    assert message == ("[Tried to create an alias that targets t.example.com., type A in zone " + zid +
                       ", but the alias target is itself]")
    code, message, _ = change_error(r53, zid, ("CREATE", alias("m.example.com", "A", "www.example.org", other,
                                                               SetIdentifier="m", MultiValueAnswer=True)))
    assert (code, message) == ("InvalidInput", "Invalid request: Alias records can't have MultiValueAnswer in "
                               "Change with [Action=CREATE, Name=m.example.com, Type=A, SetIdentifier=m]")
    code, message, _ = change_error(r53, zid, ("CREATE", alias("bad.example.com", "A", "a..example.org", other)))
    assert (code, message) == ("InvalidChangeBatch", "[Invalid Resource Record: 'FATAL problem: DomainLabelEmpty "
                               "(Domain label is empty) encountered with 'a..example.org'']")


# ---- zones, VPCs, delegation sets, tags ----

def test_private_zone_needs_vpc_region(r53):
    with pytest.raises(ClientError) as ei:
        r53.create_hosted_zone(Name="p.internal", CallerReference="p", VPC={"VPCId": VPC1["VPCId"]})
    assert err(ei) == ("InvalidInput", "Invalid request: Missing field 'VPCRegion'", 400)


def test_private_zone_has_no_query_logging_dnssec_or_reusable_set(r53):
    zid = zone(r53, "p.internal", "p", VPC=VPC1)
    with pytest.raises(ClientError) as ei:
        r53.create_query_logging_config(HostedZoneId=zid, CloudWatchLogsLogGroupArn=LOGS)
    assert err(ei) == ("InvalidInput", "Query logging is not supported for private hosted zones.", 400)
    with pytest.raises(ClientError) as ei:
        r53.create_key_signing_key(CallerReference="k", HostedZoneId=zid, KeyManagementServiceArn=KMS,
                                   Name="ksk_one", Status="ACTIVE")
    assert err(ei) == ("InvalidArgument", "DNSSEC signing is not supported for private hosted zones.", 400)
    with pytest.raises(ClientError) as ei:
        r53.create_reusable_delegation_set(CallerReference="d", HostedZoneId=zid)
    assert err(ei) == ("InvalidArgument", "A private hosted zone has no delegation set.", 400)


def test_key_signing_key_status_must_be_active_or_inactive(r53):
    zid = zone(r53)
    with pytest.raises(ClientError) as ei:
        r53.create_key_signing_key(CallerReference="k", HostedZoneId=zid, KeyManagementServiceArn=KMS,
                                   Name="ksk_one", Status="SLEEPY")
    assert err(ei) == ("InvalidKeySigningKeyStatus",
                       "The key-signing key (KSK) status isn't valid: SLEEPY (use ACTIVE or INACTIVE).", 400)


def test_delete_zone_removes_its_configs_unless_signing(awssim, r53):
    zid = zone(r53)
    qlc = r53.create_query_logging_config(HostedZoneId=zid, CloudWatchLogsLogGroupArn=LOGS)["QueryLoggingConfig"]
    r53.create_key_signing_key(CallerReference="k", HostedZoneId=zid, KeyManagementServiceArn=KMS,
                               Name="ksk_one", Status="ACTIVE")
    r53.enable_hosted_zone_dnssec(HostedZoneId=zid)
    with pytest.raises(ClientError) as ei:
        r53.delete_hosted_zone(Id=zid)
    assert err(ei) == ("InvalidInput", "The hosted zone has DNSSEC signing enabled. Disable DNSSEC signing before "
                       "deleting it.", 400)
    r53.disable_hosted_zone_dnssec(HostedZoneId=zid)
    r53.delete_hosted_zone(Id=zid)
    assert r53.list_query_logging_configs()["QueryLoggingConfigs"] == []
    with pytest.raises(ClientError) as ei:
        r53.get_query_logging_config(Id=qlc["Id"])
    assert err(ei)[0] == "NoSuchQueryLoggingConfig"
    # a new zone of the same name starts without the old zone's key-signing keys
    zid2 = zone(r53, ref="ref-2")
    assert r53.get_dnssec(HostedZoneId=zid2)["KeySigningKeys"] == []


def test_list_zones_by_root_name_lists_all(r53):
    zone(r53, "b.example", "rb")
    zone(r53, "a.example", "ra")
    out = r53.list_hosted_zones_by_name(DNSName=".")
    assert out["DNSName"] == "." and [z["Name"] for z in out["HostedZones"]] == ["a.example.", "b.example."]


def test_list_zones_by_unknown_delegation_set_and_bad_name(r53):
    with pytest.raises(ClientError) as ei:
        r53.list_hosted_zones(DelegationSetId="NNOSUCHSET")
    assert err(ei) == ("NoSuchDelegationSet", "Delegation set with id NNOSUCHSET does not exist.", 400)
    with pytest.raises(ClientError) as ei:
        r53.list_hosted_zones_by_name(DNSName="a..example.com")
    assert err(ei) == ("InvalidDomainName", "a..example.com is not a valid domain name.", 400)


def test_zones_by_vpc_paging(r53):
    for i in range(3):
        zone(r53, f"z{i}.internal", f"r{i}", VPC=VPC1)
    first = r53.list_hosted_zones_by_vpc(VPCId=VPC1["VPCId"], VPCRegion="us-east-1", MaxItems="2")
    assert len(first["HostedZoneSummaries"]) == 2 and first["NextToken"] == "2" and first["MaxItems"] == "2"
    rest = r53.list_hosted_zones_by_vpc(VPCId=VPC1["VPCId"], VPCRegion="us-east-1", NextToken=first["NextToken"])
    names = [z["Name"] for z in first["HostedZoneSummaries"] + rest["HostedZoneSummaries"]]
    assert sorted(names) == ["z0.internal.", "z1.internal.", "z2.internal."] and "NextToken" not in rest
    with pytest.raises(ClientError) as ei:
        r53.list_hosted_zones_by_vpc(VPCId=VPC1["VPCId"], VPCRegion="us-east-1", NextToken="-3")
    assert err(ei) == ("InvalidPaginationToken",
                       "The value that you specified for NextToken in a List request isn't valid.", 400)


def test_vpc_association_across_accounts(awssim, r53):
    other = awssim.client("route53", account=B)
    with pytest.raises(ClientError) as ei:
        other.associate_vpc_with_hosted_zone(HostedZoneId="ZNOSUCHZONE", VPC=VPC2)
    assert err(ei) == ("NoSuchHostedZone", "No hosted zone found with ID: ZNOSUCHZONE", 404)
    zid = zone(r53, "shared.internal", "s", VPC=VPC1)
    r53.create_vpc_association_authorization(HostedZoneId=zid, VPC=VPC2)
    other.associate_vpc_with_hosted_zone(HostedZoneId=zid, VPC=VPC2)
    with pytest.raises(ClientError) as ei:
        r53.list_vpc_association_authorizations(HostedZoneId=zid, NextToken="abc")
    assert err(ei)[0] == "InvalidPaginationToken"
    # the VPC's owner may take its VPC out of the other account's zone
    other.disassociate_vpc_from_hosted_zone(HostedZoneId=zid, VPC=VPC2)
    assert r53.get_hosted_zone(Id=zid)["VPCs"] == [VPC1]
    with pytest.raises(ClientError) as ei:
        other.disassociate_vpc_from_hosted_zone(HostedZoneId="ZNOSUCHZONE", VPC=VPC2)
    assert err(ei) == ("NoSuchHostedZone", "No hosted zone found with ID: ZNOSUCHZONE", 404)


def test_reusable_delegation_sets_paging(r53):
    ids = [r53.create_reusable_delegation_set(CallerReference=f"d{i}")["DelegationSet"]["Id"] for i in range(3)]
    page = r53.list_reusable_delegation_sets(MaxItems="2")
    assert page["IsTruncated"] and len(page["DelegationSets"]) == 2
    rest = r53.list_reusable_delegation_sets(Marker=page["NextMarker"])
    got = [d["Id"] for d in page["DelegationSets"] + rest["DelegationSets"]]
    assert sorted(got) == sorted(ids) and not rest["IsTruncated"]


def test_tags_need_keys_and_existing_resources(r53):
    zid = zone(r53)
    with pytest.raises(ClientError) as ei:
        r53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zid, AddTags=[{"Value": "v"}])
    assert err(ei) == ("InvalidInput", "Invalid request: Missing field 'Key' in Tag", 400)
    with pytest.raises(ClientError) as ei:
        r53.list_tags_for_resources(ResourceType="hostedzone", ResourceIds=[zid, "ZNOSUCHZONE"])
    assert err(ei)[0] == "NoSuchHostedZone"


def test_list_record_sets_start_parameters(r53):
    zid = zone(r53)
    with pytest.raises(ClientError) as ei:
        r53.list_resource_record_sets(HostedZoneId=zid, StartRecordType="A")
    assert err(ei) == ("InvalidInput", "The input is not valid: StartRecordType requires StartRecordName", 400)
    with pytest.raises(ClientError) as ei:
        r53.list_resource_record_sets(HostedZoneId=zid, StartRecordName="example.com", StartRecordIdentifier="x")
    assert err(ei) == ("InvalidInput", "The input is not valid: StartRecordIdentifier requires StartRecordType",
                       400)
    with pytest.raises(ClientError) as ei:
        r53.list_resource_record_sets(HostedZoneId=zid, StartRecordName="a..example.com")
    assert err(ei) == ("InvalidInput", "The input is not valid: a..example.com is not a valid DNS name", 400)


# ---- answers ----

def test_wildcards_nodata_and_nxdomain(awssim, r53):
    zid = zone(r53)
    change(r53, zid, ("CREATE", rrset("*.w.example.com", "target.example.org", "CNAME")),
           ("CREATE", rrset("*.t.example.com", '"txt"', "TXT")),
           ("CREATE", rrset("a.b.example.com", "192.0.2.1")))

    def answer(name):
        return r53.test_dns_answer(HostedZoneId=zid, RecordName=name, RecordType="A")

    cname = answer("x.w.example.com")
    assert (cname["ResponseCode"], cname["RecordData"]) == ("NOERROR", ["target.example.org"])
    nodata = answer("x.t.example.com")
    assert (nodata["ResponseCode"], nodata["RecordData"]) == ("NOERROR", [])
    assert answer("b.example.com")["ResponseCode"] == "NOERROR"  # empty non-terminal
    assert answer("nope.example.com")["ResponseCode"] == "NXDOMAIN"
    assert answer("www.example.org")["ResponseCode"] == "REFUSED"
    with pytest.raises(ClientError) as ei:
        answer("a..example.com")
    assert err(ei) == ("InvalidInput", "Invalid request: a..example.com is not a valid DNS name", 400)


def test_latency_geolocation_and_geoproximity_answer_for_us_east_1(awssim, r53):
    zid = zone(r53)
    change(r53, zid,
           ("CREATE", rrset("lat.example.com", "192.0.2.1", SetIdentifier="eu", Region="eu-west-1")),
           ("CREATE", rrset("lat.example.com", "192.0.2.2", SetIdentifier="use1", Region="us-east-1")),
           ("CREATE", rrset("far.example.com", "192.0.2.3", SetIdentifier="eu", Region="eu-west-1")),
           ("CREATE", rrset("far.example.com", "192.0.2.4", SetIdentifier="ap", Region="ap-south-1")),
           ("CREATE", rrset("geo.example.com", "192.0.2.5", SetIdentifier="eu", GeoLocation={"ContinentCode": "EU"})),
           ("CREATE", rrset("geo.example.com", "192.0.2.6", SetIdentifier="dflt", GeoLocation={"CountryCode": "*"})),
           ("CREATE", rrset("nogeo.example.com", "192.0.2.7", SetIdentifier="eu",
                            GeoLocation={"ContinentCode": "EU"})),
           ("CREATE", rrset("gp.example.com", "192.0.2.8", SetIdentifier="eu",
                            GeoProximityLocation={"AWSRegion": "eu-west-1"})),
           ("CREATE", rrset("gp.example.com", "192.0.2.9", SetIdentifier="use1",
                            GeoProximityLocation={"AWSRegion": "us-east-1"})))
    lat = resolve(awssim, "lat.example.com", samples=5)
    assert lat["policy"] == "latency" and lat["counts"] == {"use1": 5}
    # no record in the resolver's region: one fixed record answers every query
    far = resolve(awssim, "far.example.com", samples=5)["counts"]
    assert len(far) == 1 and list(far.values()) == [5]
    geo = resolve(awssim, "geo.example.com")
    assert geo["policy"] == "geolocation" and geo["answer"][0]["values"] == ["192.0.2.6"]
    nogeo = resolve(awssim, "nogeo.example.com")
    assert nogeo["answer"] == [] and nogeo["rcode"] == "NOERROR"
    assert resolve(awssim, "gp.example.com")["answer"][0]["values"] == ["192.0.2.9"]


def test_weighted_zero_weights_answer_when_weighted_ones_fail(awssim, r53):
    zid = zone(r53)
    bad = unhealthy_check(awssim, r53, "hc-bad")
    change(r53, zid,
           ("CREATE", rrset("w.example.com", "192.0.2.1", SetIdentifier="heavy", Weight=10, HealthCheckId=bad)),
           ("CREATE", rrset("w.example.com", "192.0.2.2", SetIdentifier="zero-a", Weight=0)),
           ("CREATE", rrset("w.example.com", "192.0.2.3", SetIdentifier="zero-b", Weight=0)))
    assert resolve(awssim, "w.example.com", samples=20)["counts"] == {"heavy": 20}
    awssim.advance(30)
    counts = resolve(awssim, "w.example.com", samples=200)["counts"]
    assert set(counts) == {"zero-a", "zero-b"} and sum(counts.values()) == 200
    assert min(counts.values()) > 50
    # every record unhealthy and all weigh 0: all share equally
    change(r53, zid, ("DELETE", rrset("w.example.com", "192.0.2.1", SetIdentifier="heavy", Weight=10,
                                      HealthCheckId=bad)),
           ("CREATE", rrset("z.example.com", "192.0.2.4", SetIdentifier="z1", Weight=0, HealthCheckId=bad)),
           ("CREATE", rrset("z.example.com", "192.0.2.5", SetIdentifier="z2", Weight=0, HealthCheckId=bad)))
    counts = resolve(awssim, "z.example.com", samples=200)["counts"]
    assert set(counts) == {"z1", "z2"} and min(counts.values()) > 50


def test_cidr_routing_for_ipv6_clients(awssim, r53):
    zid = zone(r53)
    col = r53.create_cidr_collection(Name="net", CallerReference="c1")["Collection"]["Id"]
    r53.change_cidr_collection(Id=col, Changes=[
        {"LocationName": "v4", "Action": "PUT", "CidrList": ["198.51.100.0/24"]},
        {"LocationName": "v6", "Action": "PUT", "CidrList": ["2001:db8::/32"]},
        {"LocationName": "v6narrow", "Action": "PUT", "CidrList": ["2001:db8:ab00::/40"]}])
    for loc, ip in (("v4", "192.0.2.4"), ("v6", "192.0.2.6"), ("v6narrow", "192.0.2.7"), ("*", "192.0.2.9")):
        change(r53, zid, ("CREATE", rrset("c.example.com", ip, SetIdentifier=loc.strip("*") or "dflt",
                                          CidrRoutingConfig={"CollectionId": col, "LocationName": loc})))

    def answer(ip):
        return r53.test_dns_answer(HostedZoneId=zid, RecordName="c.example.com", RecordType="A",
                                   EDNS0ClientSubnetIP=ip)["RecordData"]

    assert answer("2001:db8:1::5") == ["192.0.2.6"]
    assert answer("2001:db8:ab12::5") == ["192.0.2.7"]  # the longest prefix wins
    assert answer("2001:dead::1") == ["192.0.2.9"]
    assert answer("198.51.100.20") == ["192.0.2.4"]


def test_alias_target_health_and_aaaa_targets(awssim, r53):
    zid = zone(r53)
    bad = unhealthy_check(awssim, r53, "hc-alias")
    change(r53, zid,
           ("CREATE", rrset("origin.example.com", "192.0.2.1", SetIdentifier="o", Weight=1, HealthCheckId=bad)),
           ("CREATE", rrset("backup.example.com", "192.0.2.2")))
    change(r53, zid,
           ("CREATE", alias("svc.example.com", "A", "origin.example.com", zid, evaluate=True,
                            SetIdentifier="primary", Failover="PRIMARY")),
           ("CREATE", alias("svc.example.com", "A", "backup.example.com", zid, evaluate=True,
                            SetIdentifier="secondary", Failover="SECONDARY")),
           ("CREATE", alias("v6.example.com", "AAAA", "dualstack.my-lb-1.us-east-1.elb.amazonaws.com",
                            "Z35SXDOTRQ7X7K")))
    assert resolve(awssim, "svc.example.com")["answer"][0]["setIdentifier"] == "primary"
    awssim.advance(30)
    res = resolve(awssim, "svc.example.com")
    assert res["answer"][0]["setIdentifier"] == "secondary" and res["answer"][0]["values"] == ["192.0.2.2"]
    v6 = resolve(awssim, "v6.example.com", rtype="AAAA")["answer"][0]["values"]
    assert len(v6) == 1 and v6[0].startswith("64:ff9b::c612:")


# ---- traffic policies ----

def tp_doc(**doc):
    base = {"AWSPolicyFormatVersion": "2015-10-01", "RecordType": "A"}
    base.update(doc)
    return json.dumps(base)


EP = {"a": {"Type": "value", "Value": "192.0.2.1"}, "b": {"Type": "value", "Value": "192.0.2.2"},
      "lb": {"Type": "elastic-load-balancer", "Value": "my-lb-1.us-east-1.elb.amazonaws.com"}}


@pytest.mark.parametrize("doc, message", [
    (tp_doc(AWSPolicyFormatVersion="2012-10-17", StartEndpoint="a", Endpoints=EP),
     "AWSPolicyFormatVersion must be 2015-10-01"),
    (tp_doc(RecordType="BOGUS", StartEndpoint="a", Endpoints=EP), "RecordType is missing or not a supported DNS type"),
    (tp_doc(StartEndpoint="a", StartRule="r", Endpoints=EP, Rules={}),
     "exactly one of StartRule or StartEndpoint is required"),
    (tp_doc(StartRule="r", Rules={}), "StartRule r is not defined in Rules"),
    (tp_doc(StartEndpoint="z", Endpoints=EP), "StartEndpoint z is not defined in Endpoints"),
])
def test_traffic_policy_document_errors(r53, doc, message):
    with pytest.raises(ClientError) as ei:
        r53.create_traffic_policy(Name="tp", Document=doc)
    assert err(ei) == ("InvalidTrafficPolicyDocument", "Invalid traffic policy document: " + message, 400)


def test_traffic_policy_versions_paging_and_deletion(r53):
    ids = [r53.create_traffic_policy(Name=f"tp{i}", Document=tp_doc(StartEndpoint="a", Endpoints=EP))
           ["TrafficPolicy"]["Id"] for i in range(2)]
    with pytest.raises(ClientError) as ei:
        r53.create_traffic_policy_version(Id=ids[0], Document="[]")
    assert err(ei)[0] == "InvalidTrafficPolicyDocument"
    r53.create_traffic_policy_version(Id=ids[0], Document=tp_doc(StartEndpoint="b", Endpoints=EP))
    page = r53.list_traffic_policies(MaxItems="1")
    assert page["IsTruncated"] and len(page["TrafficPolicySummaries"]) == 1
    rest = r53.list_traffic_policies(TrafficPolicyIdMarker=page["TrafficPolicyIdMarker"])
    assert sorted(p["Id"] for p in page["TrafficPolicySummaries"] + rest["TrafficPolicySummaries"]) == sorted(ids)
    vpage = r53.list_traffic_policy_versions(Id=ids[0], MaxItems="1")
    assert vpage["IsTruncated"] and vpage["TrafficPolicyVersionMarker"] == "2"
    assert [v["Version"] for v in vpage["TrafficPolicies"]] == [1]
    # deleting the only version deletes the policy
    r53.delete_traffic_policy(Id=ids[1], Version=1)
    with pytest.raises(ClientError) as ei:
        r53.get_traffic_policy(Id=ids[1], Version=1)
    assert err(ei)[0] == "NoSuchTrafficPolicy"


def test_too_many_traffic_policies(r53):
    for i in range(50):
        r53.create_traffic_policy(Name=f"tp{i}", Document=tp_doc(StartEndpoint="a", Endpoints=EP))
    with pytest.raises(ClientError) as ei:
        r53.create_traffic_policy(Name="tp50", Document=tp_doc(StartEndpoint="a", Endpoints=EP))
    assert err(ei)[0] == "TooManyTrafficPolicies" and err(ei)[2] == 400


def test_traffic_policy_instances_rules_and_limits(awssim, r53):
    zid = zone(r53)
    other = zone(r53, "example.org", "ref-2")
    bad = unhealthy_check(awssim, r53, "hc-tp")
    rules = {
        "start": {"RuleType": "multivalue", "Items": [
            {"RuleReference": "lat"}, {"RuleReference": "geo"}, {"RuleReference": "gp"},
            {"EndpointReference": "b", "HealthCheck": bad}]},
        "lat": {"RuleType": "latency", "Regions": [{"Region": "eu-west-1", "EndpointReference": "a"},
                                                   {"Region": "us-east-1", "EndpointReference": "lb"}]},
        "geo": {"RuleType": "geo", "Locations": [{"Continent": "EU", "EndpointReference": "b"},
                                                 {"IsDefault": True, "EndpointReference": "a"}]},
        "gp": {"RuleType": "geoproximity", "GeoproximityLocations": [
            {"Region": "ap-south-1", "EndpointReference": "b"}, {"Region": "eu-west-1", "EndpointReference": "a"}]},
    }
    tp = r53.create_traffic_policy(Name="rules", Document=tp_doc(StartRule="start", Rules=rules, Endpoints=EP))
    tpid = tp["TrafficPolicy"]["Id"]
    simple = r53.create_traffic_policy(Name="simple", Document=tp_doc(StartEndpoint="a", Endpoints=EP))
    sid = simple["TrafficPolicy"]["Id"]
    awssim.advance(30)  # the check behind endpoint b fails

    def create(name, policy=tpid, hz=zid):
        return r53.create_traffic_policy_instance(HostedZoneId=hz, Name=name, TTL=60, TrafficPolicyId=policy,
                                                  TrafficPolicyVersion=1)["TrafficPolicyInstance"]

    with pytest.raises(ClientError) as ei:
        create("tp.example.net")
    assert err(ei) == ("InvalidInput", f"The domain name tp.example.net is not in hosted zone {zid}", 400)
    create("tp.example.com")
    values = resolve(awssim, "tp.example.com")["answer"][0]["values"]
    lb = [v for v in values if v.startswith("198.18.")]
    # multivalue over the healthy items: latency picks us-east-1 (the load balancer), geo the default,
    # geoproximity nothing in us-east-1 so the first healthy location
    assert len(lb) == 1 and sorted(v for v in values if v not in lb) == ["192.0.2.1", "192.0.2.2"]
    with pytest.raises(ClientError) as ei:
        create("tp.example.com")
    assert err(ei) == ("TrafficPolicyInstanceAlreadyExists",
                       "There is already a traffic policy instance with the specified name and type.", 409)
    change(r53, zid, ("CREATE", rrset("taken.example.com", "192.0.2.50")))
    with pytest.raises(ClientError) as ei:
        create("taken.example.com")
    assert err(ei) == ("InvalidInput", "A resource record set with name taken.example.com. and type A already "
                       "exists.", 400)
    for name, hz in (("b.example.org", other), ("a.example.org", other), ("s1.example.com", zid),
                     ("s2.example.com", zid)):
        create(name, sid, hz)
    with pytest.raises(ClientError) as ei:
        create("s3.example.com", sid)
    assert err(ei)[0] == "TooManyTrafficPolicyInstances"
    first = r53.list_traffic_policy_instances(MaxItems="2")
    assert first["IsTruncated"]
    listed = [(i["HostedZoneId"], i["Name"]) for i in first["TrafficPolicyInstances"]]
    marker = dict(HostedZoneIdMarker=first["HostedZoneIdMarker"],
                  TrafficPolicyInstanceNameMarker=first["TrafficPolicyInstanceNameMarker"],
                  TrafficPolicyInstanceTypeMarker=first["TrafficPolicyInstanceTypeMarker"])
    while True:
        page = r53.list_traffic_policy_instances(MaxItems="2", **marker)
        listed += [(i["HostedZoneId"], i["Name"]) for i in page["TrafficPolicyInstances"]]
        if not page["IsTruncated"]:
            break
        marker = dict(HostedZoneIdMarker=page["HostedZoneIdMarker"],
                      TrafficPolicyInstanceNameMarker=page["TrafficPolicyInstanceNameMarker"],
                      TrafficPolicyInstanceTypeMarker=page["TrafficPolicyInstanceTypeMarker"])
    assert listed == sorted(listed) and len(listed) == 5
    assert resolve(awssim, "s1.example.com")["answer"][0]["values"] == ["192.0.2.1"]  # a StartEndpoint policy
    by_policy = r53.list_traffic_policy_instances_by_policy(TrafficPolicyId=sid, TrafficPolicyVersion=1)
    assert sorted(i["Name"] for i in by_policy["TrafficPolicyInstances"]) == [
        "a.example.org.", "b.example.org.", "s1.example.com.", "s2.example.com."]
    by_zone = r53.list_traffic_policy_instances_by_hosted_zone(HostedZoneId=zid, MaxItems="1")
    assert by_zone["IsTruncated"] and "HostedZoneIdMarker" not in by_zone
    inst = r53.list_traffic_policy_instances_by_hosted_zone(HostedZoneId=other)["TrafficPolicyInstances"][0]
    with pytest.raises(ClientError) as ei:
        r53.update_traffic_policy_instance(Id=inst["Id"], TTL=60, TrafficPolicyId=sid, TrafficPolicyVersion=9)
    assert err(ei)[0] == "NoSuchTrafficPolicy"


def test_key_signing_keys_per_zone_limit(r53):
    zid = zone(r53)
    for i in range(2):
        r53.create_key_signing_key(CallerReference=f"k{i}", HostedZoneId=zid, Name=f"ksk_{i}", Status="INACTIVE",
                                   KeyManagementServiceArn=KMS[:-1] + str(i))
    with pytest.raises(ClientError) as ei:
        r53.create_key_signing_key(CallerReference="k2", HostedZoneId=zid, KeyManagementServiceArn=KMS[:-1] + "2",
                                   Name="ksk_2", Status="INACTIVE")
    assert err(ei)[0] == "TooManyKeySigningKeys" and err(ei)[2] == 400


def test_cidr_collection_limits_and_paging(r53):
    ids = [r53.create_cidr_collection(Name=f"c{i}", CallerReference=f"r{i}")["Collection"]["Id"] for i in range(5)]
    with pytest.raises(ClientError) as ei:
        r53.create_cidr_collection(Name="c5", CallerReference="r5")
    assert err(ei) == ("LimitsExceeded", "Limits Exceeded: MAX_CIDR_COLLECTIONS_BY_OWNER", 400)
    page = r53.list_cidr_collections(MaxResults="3")
    assert len(page["CidrCollections"]) == 3 and page["NextToken"] == "3"
    rest = r53.list_cidr_collections(NextToken=page["NextToken"])
    assert sorted(c["Id"] for c in page["CidrCollections"] + rest["CidrCollections"]) == sorted(ids)
    for call in (r53.list_cidr_locations, r53.list_cidr_blocks):
        with pytest.raises(ClientError) as ei:
            call(CollectionId=ids[0], NextToken="x1")
        assert err(ei)[0] == "InvalidPaginationToken"
    blocks = [f"10.{i // 256}.{i % 256}.0/24" for i in range(1001)]
    with pytest.raises(ClientError) as ei:
        r53.change_cidr_collection(Id=ids[0], Changes=[
            {"LocationName": "big", "Action": "PUT", "CidrList": blocks[:1000]},
            {"LocationName": "big", "Action": "PUT", "CidrList": blocks[1000:]}])
    assert err(ei) == ("LimitsExceeded", "Limits Exceeded: MAX_CIDR_BLOCKS_BY_COLLECTION", 400)
    assert r53.list_cidr_locations(CollectionId=ids[0])["CidrLocations"] == []
