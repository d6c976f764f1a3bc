"""Live: the bridge against a running awssim (AWSSIM_BIN). AWS validation happens in awssim."""

import json
import os
import subprocess
import sys
import urllib.request

import boto3
import pulumi
import pulumi_aws as aws
import pytest
from pulumi.runtime.settings import SETTINGS
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from awssim_mock import AwssimMocks, BridgeError
from tests.awssim_server import start_awssim, stop_awssim

HERE = os.path.dirname(os.path.abspath(__file__))
TRUST_LAMBDA = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


@pytest.fixture(scope="module")
def awssim():
    proc, url, log = start_awssim()
    yield url
    stop_awssim(proc, log)


def client(url, service):
    return boto3.client(service, endpoint_url=url, region_name="eu-central-1", aws_access_key_id="test",
                        aws_secret_access_key="test")


def run(mocks, fn, stack="live"):
    """Run fn() as a Pulumi program under mocks; returns the resolved value it returns."""
    pulumi.runtime.set_mocks(mocks, project="live", stack=stack, preview=False)
    SETTINGS.rpc_manager.clear()
    SETTINGS.outputs.clear()
    box = {}

    def program():
        box["out"] = _sync_await(pulumi.Output.from_input(fn()).future())

    _sync_await(run_pulumi_func(program))
    return box.get("out")


def test_role_and_policy_are_created_in_awssim(awssim):
    m = AwssimMocks(endpoint=awssim)
    arn = run(m, lambda: aws.iam.RolePolicy(
        "p", role=aws.iam.Role("r", name="live-role", assume_role_policy=TRUST_LAMBDA).name,
        policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]})).id)
    assert arn.startswith("live-role:")
    iam = client(awssim, "iam")
    assert iam.get_role(RoleName="live-role")["Role"]["AssumeRolePolicyDocument"]
    assert iam.list_role_policies(RoleName="live-role")["PolicyNames"] == [arn.split(":", 1)[1]]


def test_invalid_asl_fails_with_awssims_error(awssim):
    m = AwssimMocks(endpoint=awssim)
    with pytest.raises(Exception, match="InvalidDefinition"):
        run(m, lambda: aws.sfn.StateMachine(
            "bad", name="bad-asl", role_arn=aws.iam.Role("sfn", name="sfn-live", assume_role_policy=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
                    "Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]})).arn,
            definition=json.dumps({"StartAt": "Missing", "States": {"A": {"Type": "Succeed"}}})).arn)


def _deployer(awssim, name, max_session=3600):
    iam = client(awssim, "iam")
    acct = client(awssim, "sts").get_caller_identity()["Account"]
    iam.create_role(RoleName=name, MaxSessionDuration=max_session, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct}:root"},
                                               "Action": "sts:AssumeRole"}]}))
    return f"arn:aws:iam::{acct}:role/{name}", acct


def test_two_hour_session_is_refused(awssim):
    role_arn, _ = _deployer(awssim, "deployer-1h")
    m = AwssimMocks(endpoint=awssim)

    def program():
        p = aws.Provider("p", region="eu-central-1", assume_roles=[
            aws.ProviderAssumeRoleArgs(role_arn=role_arn, session_name="ci", duration="2h")])
        return aws.s3.Bucket("b", bucket="never", opts=pulumi.ResourceOptions(provider=p)).id

    with pytest.raises(Exception, match="DurationSeconds"):
        run(m, program)


def test_resources_are_created_as_the_assumed_role(awssim):
    role_arn, acct = _deployer(awssim, "deployer-ok")
    m = AwssimMocks(endpoint=awssim)

    def program():
        p = aws.Provider("p", region="eu-central-2", assume_roles=[
            aws.ProviderAssumeRoleArgs(role_arn=role_arn, session_name="ci", duration="1h")])
        ident = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(provider=p))
        bucket = aws.s3.Bucket("b", bucket="as-role-bucket", opts=pulumi.ResourceOptions(provider=p))
        return {"arn": ident.arn, "bucket": bucket.arn}

    out = run(m, program)
    assert out["arn"] == f"arn:aws:sts::{acct}:assumed-role/deployer-ok/ci"
    with urllib.request.urlopen(f"{awssim}/_awssim/resources?type=aws:s3/bucket:Bucket") as r:
        listed = json.loads(r.read())["resources"]
    mine = [x for x in listed if x["name"] == "b" and x["region"] == "eu-central-2"]
    assert mine and mine[0]["account"] == acct and mine[0]["arn"] == "arn:aws:s3:::as-role-bucket"


def test_dms_route53_ram_through_the_provider_calls(awssim):
    m = AwssimMocks(endpoint=awssim)

    def program():
        vpc = aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
        subnets = [aws.ec2.Subnet(f"s{i}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24",
                                  availability_zone=f"eu-central-1{'ab'[i]}") for i in range(2)]
        group = aws.dms.ReplicationSubnetGroup("g", replication_subnet_group_id="live-dms",
                                               replication_subnet_group_description="d",
                                               subnet_ids=[s.id for s in subnets])
        inst = aws.dms.ReplicationInstance("i", replication_instance_id="live-ri",
                                           replication_instance_class="dms.t3.medium", allocated_storage=20,
                                           replication_subnet_group_id=group.replication_subnet_group_id)
        src = aws.dms.Endpoint("src", endpoint_id="live-src", endpoint_type="source", engine_name="postgres",
                               server_name="db.example", port=5432, database_name="p", username="u", password="pw")
        dst = aws.dms.Endpoint("dst", endpoint_id="live-dst", endpoint_type="target", engine_name="aurora-postgresql",
                               server_name="aurora.example", port=5432, database_name="p", username="u",
                               password="pw")
        task = aws.dms.ReplicationTask("t", replication_task_id="live-task", migration_type="full-load-and-cdc",
                                       replication_instance_arn=inst.replication_instance_arn,
                                       source_endpoint_arn=src.endpoint_arn, target_endpoint_arn=dst.endpoint_arn,
                                       table_mappings=json.dumps({"rules": [{
                                           "rule-type": "selection", "rule-id": "1", "rule-name": "1",
                                           "object-locator": {"schema-name": "payments", "table-name": "%"},
                                           "rule-action": "include"}]}))
        zone = aws.route53.Zone("z", name="live.internal", vpcs=[{"vpc_id": vpc.id}])
        aws.route53.Record("r", zone_id=zone.zone_id, name="api", type="CNAME", ttl=60, records=["old.example"],
                           set_identifier="legacy", weighted_routing_policies=[{"weight": 100}])
        share = aws.ram.ResourceShare("share", name="live-share", allow_external_principals=True)
        aws.ram.PrincipalAssociation("pa", resource_share_arn=share.arn, principal="210987654321")
        return {"task": task.replication_task_arn, "zone": zone.zone_id}

    out = run(m, program)
    dms = client(awssim, "dms")
    t = dms.describe_replication_tasks(Filters=[{"Name": "replication-task-arn", "Values": [out["task"]]}])
    assert t["ReplicationTasks"][0]["Status"] == "ready"
    recs = client(awssim, "route53").list_resource_record_sets(HostedZoneId=out["zone"])["ResourceRecordSets"]
    assert any(r["Name"].startswith("api.live.internal") and r.get("Weight") == 100 for r in recs)
    shares = client(awssim, "ram").get_resource_shares(resourceOwner="SELF")["resourceShares"]
    assert [s["name"] for s in shares if s["name"] == "live-share"] == ["live-share"]


def test_deploy_module_cli_against_awssim(awssim, tmp_path):
    out = tmp_path / "cfn-outputs" / "flat-outputs.json"
    env = {**os.environ, "PYTHONPATH": os.path.dirname(HERE)}
    proc = subprocess.run(
        [sys.executable, "-m", "awssim_mock.deploy", "--program", os.path.join(HERE, "sample_program"),
         "--endpoint", awssim, "--stack", "cli", "--config", "suffix=cli", "--secret", "sample/secret=s",
         "--outputs", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    flat = json.loads(out.read_text())
    assert flat["roleArn"].endswith(":role/sample-cli")
    assert client(awssim, "iam").get_role(RoleName="sample-cli")["Role"]["Arn"] == flat["roleArn"]


def test_ram_refuses_external_principal_when_not_allowed(awssim):
    m = AwssimMocks(endpoint=awssim)

    def program():
        share = aws.ram.ResourceShare("share", name="internal-only", allow_external_principals=False)
        return aws.ram.PrincipalAssociation("pa", resource_share_arn=share.arn, principal="210987654321").id

    with pytest.raises(BridgeError, match="OperationNotPermittedException"):
        run(m, program)
