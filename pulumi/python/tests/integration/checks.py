"""Checks of a deployed payment-migration stack, from its flat outputs, against awssim.

Emulated services (Step Functions, DMS, Route 53, IAM) are queried with their real APIs; the
others through awssim's generic registry. Used by test_deployed_stack (scenario-written outputs)
and by the live deployment test.
"""

import json
import urllib.parse
import urllib.request

import boto3

PHASES = ("PreChecks", "StartFullLoad", "CheckCdcLag", "ValidateData", "ShiftTraffic", "Cutover")


def client(endpoint, service, region="eu-central-1"):
    return boto3.client(service, endpoint_url=endpoint, region_name=region, aws_access_key_id="test",
                        aws_secret_access_key="test")


def registry(endpoint, typ):
    url = f"{endpoint}/_awssim/resources?" + urllib.parse.urlencode({"type": typ})
    with urllib.request.urlopen(url) as resp:
        return json.loads(resp.read())["resources"]


def flag(outputs, key):
    return str(outputs[key]).lower() == "true"


def check_state_machine(outputs, endpoint):
    sfn = client(endpoint, "stepfunctions")
    sm = sfn.describe_state_machine(stateMachineArn=outputs["migrationStateMachineArn"])
    states = json.loads(sm["definition"])["States"]
    if flag(outputs, "forwardMigrationEnabled"):
        assert all(p in states for p in PHASES)
    if flag(outputs, "rollbackEnabled"):
        assert "Rollback" in states
    role = sm["roleArn"].rsplit("/", 1)[1]
    iam = client(endpoint, "iam")
    assert iam.get_role(RoleName=role)["Role"]["Arn"] == sm["roleArn"]
    assert iam.list_role_policies(RoleName=role)["PolicyNames"]
    return states


def check_replication(outputs, endpoint):
    dms = client(endpoint, "dms")
    found = {}
    for key, mtype in (("forwardReplicationTaskArn", "full-load-and-cdc"), ("reverseReplicationTaskArn", "cdc")):
        if key in outputs:
            t = dms.describe_replication_tasks(Filters=[{"Name": "replication-task-arn", "Values": [outputs[key]]}])
            (task,) = t["ReplicationTasks"]
            assert task["MigrationType"] == mtype and task["ReplicationInstanceArn"] == outputs["replicationInstanceArn"]
            found[key] = task
    assert found
    return found


def check_routing(outputs, endpoint):
    r53 = client(endpoint, "route53")
    zone = r53.get_hosted_zone(Id=outputs["hostedZoneId"])
    assert zone["HostedZone"]["Config"]["PrivateZone"] is True
    records = r53.list_resource_record_sets(HostedZoneId=outputs["hostedZoneId"])["ResourceRecordSets"]
    weighted = {r["SetIdentifier"]: r["Weight"] for r in records
                if r["Name"].rstrip(".") == outputs["apiRecordName"] and "SetIdentifier" in r}
    assert set(weighted) == {"legacy", "migrated"} and sum(weighted.values()) == 100
    return weighted


def check_registry(outputs, endpoint):
    buckets = {b["state"].get("bucket") for b in registry(endpoint, "aws:s3/bucket:Bucket")}
    assert outputs["checkpointBucketName"] in buckets
    if flag(outputs, "rollbackEnabled"):
        assert outputs["rollbackBucketName"] in buckets
    vpcs = registry(endpoint, "aws:ec2/vpc:Vpc")
    assert {v["region"] for v in vpcs} >= {outputs["primaryRegion"], outputs["secondaryRegion"]}
    assert outputs["apiGatewayEndpoint"].startswith("https://")
    assert "#dashboards:name=" in outputs["dashboardUrl"]
