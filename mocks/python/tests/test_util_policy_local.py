import json

import pulumi
import pytest
from pulumi.output import Unknown

from awssim_mock import local, policy, util


def test_strip_unwraps_secrets_unknowns_refs_numbers_and_assets():
    archive = pulumi.AssetArchive({"a": pulumi.FileArchive("/tmp/x"), "b": pulumi.StringAsset("hi"),
                                   "c": pulumi.RemoteAsset("https://e/x"), "d": pulumi.FileAsset("/f")})
    raw = {
        "pw": {util.SIG_KEY: util.SECRET_SIG, "value": "s3cr3t"},
        "ref": {util.SIG_KEY: util.RESOURCE_SIG, "urn": "urn:x", "id": "i-1"},
        "refNoId": {util.SIG_KEY: util.RESOURCE_SIG, "urn": "urn:y"},
        "unknown": util.UNKNOWN, "unknownObj": Unknown(), "n": 3.0, "f": 2.5, "flag": True,
        "list": [{util.SIG_KEY: util.SECRET_SIG, "value": 1.0}], "tuple": ("a",),
        "code": archive, "remote": pulumi.RemoteArchive("https://e/a.zip"),
    }
    out = util.strip(raw)
    assert out["pw"] == "s3cr3t" and out["ref"] == "i-1" and out["refNoId"] == "urn:y"
    assert out["unknown"] is None and out["unknownObj"] is None
    assert out["n"] == 3 and isinstance(out["n"], int) and out["f"] == 2.5 and out["flag"] is True
    assert out["list"] == [1] and out["tuple"] == ["a"]
    assert out["code"] == {"assets": {"a": {"path": "/tmp/x"}, "b": {"text": "hi"}, "c": {"uri": "https://e/x"},
                                      "d": {"path": "/f"}}}
    assert out["remote"] == {"uri": "https://e/a.zip"}
    kept = util.strip(raw, keep_assets=True)
    assert kept["code"] is archive and kept["pw"] == "s3cr3t"
    json.dumps(out)  # plain JSON


@pytest.mark.parametrize("text,seconds", [("1h", 3600), ("90m", 5400), ("1h30m", 5400), ("2h", 7200),
                                          ("900", 900), (1200, 1200), ("1500ms", 1), (None, None), ("", None)])
def test_parse_duration(text, seconds):
    assert util.parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["1x", "h", "1h junk"])
def test_parse_duration_rejects(bad):
    with pytest.raises(ValueError):
        util.parse_duration(bad)


def test_camelize_tags_drop_none():
    assert util.camelize({"role_arn": "a", "policy_arns": [{"x_y": 1}], "n": 2}) == {
        "roleArn": "a", "policyArns": [{"xY": 1}], "n": 2}
    assert util.tags_list({"b": "2", "a": "1"}) == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    assert util.tags_list(None, "key", "value") == []
    assert util.drop_none({"a": None, "b": 0}) == {"b": 0}


def test_policy_render_like_the_provider():
    out = policy.render({
        "policyId": "pid",
        "statements": [
            {"sid": "One", "actions": ["s3:GetObject"], "resources": ["arn:b/*", "arn:a/*"],
             "principals": [{"type": "AWS", "identifiers": ["arn:r1"]}, {"type": "AWS", "identifiers": ["arn:r2"]}],
             "conditions": [{"test": "StringEquals", "variable": "aws:SourceAccount", "values": ["1"]},
                            {"test": "StringEquals", "variable": "aws:x", "values": ["a", "b"]}]},
            {"effect": "Deny", "notActions": ["iam:*"], "notResources": ["arn:x"],
             "notPrincipals": [{"type": "*", "identifiers": ["*"]}]},
        ]})
    doc = json.loads(out["json"])
    assert out["json"].startswith('{\n  "Version": "2012-10-17"') and json.loads(out["minifiedJson"]) == doc
    assert doc["Id"] == "pid"
    one, two = doc["Statement"]
    assert list(one) == ["Sid", "Effect", "Action", "Resource", "Principal", "Condition"]
    assert one["Action"] == "s3:GetObject" and one["Resource"] == ["arn:a/*", "arn:b/*"]
    assert one["Principal"] == {"AWS": ["arn:r1", "arn:r2"]}
    assert one["Condition"] == {"StringEquals": {"aws:SourceAccount": "1", "aws:x": ["a", "b"]}}
    assert two == {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:x", "NotPrincipal": "*"}
    assert out["id"].isdigit()


def test_policy_source_and_override_documents_merge_by_sid():
    src = json.dumps({"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "a:1", "Resource": "*"},
                                    {"Sid": "B", "Effect": "Allow", "Action": "b:1", "Resource": "*"}]})
    over = json.dumps({"Statement": [{"Sid": "B", "Effect": "Deny", "Action": "b:1", "Resource": "*"},
                                     {"Effect": "Allow", "Action": "c:1", "Resource": "*"}]})
    doc = json.loads(policy.render({"sourcePolicyDocuments": [src], "overridePolicyDocuments": [over],
                                    "statements": [{"sid": "A", "actions": ["a:2"], "resources": ["*"]}]})["json"])
    assert [(s.get("Sid"), s["Effect"], s["Action"]) for s in doc["Statement"]] == [
        ("A", "Allow", "a:2"), ("B", "Deny", "b:1"), (None, "Allow", "c:1")]
    assert "Id" not in doc


def test_local_synthesis_ids_and_computed_attributes():
    acct, region = "123456789012", "eu-central-1"
    vid, vpc = local.synthesize("aws:ec2/vpc:Vpc", "v", {}, acct, region)
    assert vid.startswith("vpc-") and len(vid) == 21 and vpc["mainRouteTableId"].startswith("rtb-")
    assert local.synthesize("aws:ec2/vpc:Vpc", "v", {}, acct, region)[0] == vid  # deterministic
    api_id, api = local.synthesize("aws:apigateway/restApi:RestApi", "api", {}, acct, region)
    assert len(api_id) == 10 and api["executionArn"] == f"arn:aws:execute-api:{region}:{acct}:{api_id}"
    bid, b = local.synthesize("aws:s3/bucket:Bucket", "b", {"bucket": "my-bucket"}, acct, region)
    assert bid == "my-bucket" and b["arn"] == "arn:aws:s3:::my-bucket"
    kid, k = local.synthesize("aws:kms/key:Key", "k", {}, acct, region)
    assert k["keyId"] == kid and k["arn"].endswith(f":key/{kid}") and len(kid) == 36
    rid = "1234abcd-12ab-34cd-56ef-1234567890ab"
    assert local.synthesize("aws:kms/key:Key", "k", {}, acct, region, rid=rid)[1]["keyId"] == rid
    tid, t = local.synthesize("aws:sns/topic:Topic", "t", {"name": "alerts"}, acct, region)
    assert tid == t["arn"] == f"arn:aws:sns:{region}:{acct}:alerts"
    sid, sub = local.synthesize("aws:sns/topicSubscription:TopicSubscription", "s", {"topic": tid}, acct, region)
    assert sid.startswith(tid + ":")
    _, c = local.synthesize("aws:rds/cluster:Cluster", "c", {"clusterIdentifier": "pay"}, acct, region)
    assert c["endpoint"].startswith("pay.cluster-") and c["readerEndpoint"].startswith("pay.cluster-ro-")
    _, fn = local.synthesize("aws:lambda/function:Function", "f", {"name": "fn"}, acct, region)
    assert fn["invokeArn"].endswith(f"function:fn/invocations")
    _, st = local.synthesize("aws:apigateway/stage:Stage", "s", {"restApi": "abc", "stageName": "live"}, acct, region)
    assert st["invokeUrl"] == f"https://abc.execute-api.{region}.amazonaws.com/live"
    for typ, key, expect in (
        ("aws:cloudwatch/logGroup:LogGroup", "arn", f"arn:aws:logs:{region}:{acct}:log-group:lg"),
        ("aws:ssm/parameter:Parameter", "arn", f"arn:aws:ssm:{region}:{acct}:parameterlg"),
        ("aws:cloudwatch/dashboard:Dashboard", "dashboardArn", f"arn:aws:cloudwatch::{acct}:dashboard/lg"),
        ("aws:cloudwatch/metricAlarm:MetricAlarm", "arn", f"arn:aws:cloudwatch:{region}:{acct}:alarm:lg"),
        ("aws:rds/globalCluster:GlobalCluster", "arn", f"arn:aws:rds::{acct}:global-cluster:lg"),
        ("aws:rds/clusterInstance:ClusterInstance", "arn", f"arn:aws:rds:{region}:{acct}:db:lg"),
    ):
        assert local.synthesize(typ, "x", {"name": "lg", "identifier": "lg", "dashboardName": "lg",
                                           "globalClusterIdentifier": "lg"}, acct, region)[1][key] == expect
    tgw_id, tgw = local.synthesize("aws:ec2transitgateway/transitGateway:TransitGateway", "t", {}, acct, region)
    assert tgw_id.startswith("tgw-") and tgw["associationDefaultRouteTableId"].startswith("tgw-rtb-")
    oid, other = local.synthesize("aws:sqs/queue:Queue", "q", {"name": "jobs"}, acct, region)
    assert oid == "jobs" and other["arn"] == f"arn:aws:sqs:{region}:{acct}:queue/jobs"


def test_autoname_like_the_provider():
    assert local.autoname("aws:sns/topic:Topic", "alerts", {}, "0123456789abc")["name"] == "alerts-0123456"
    assert local.autoname("aws:sns/topic:Topic", "alerts", {"namePrefix": "pm-"}, "0123456789abc")["name"] == \
        "pm-0123456789abc"
    assert local.autoname("aws:s3/bucket:Bucket", "Data", {}, "0123456789abc")["bucket"] == "data-0123456"
    assert local.autoname("aws:sns/topic:Topic", "t", {"name": "given"}, "x") == {"name": "given"}
    assert local.autoname("aws:ec2/vpc:Vpc", "v", {}, "x") == {}
