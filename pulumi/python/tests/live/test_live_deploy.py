"""Live: the whole program deployed in mock mode through the awssim bridge (mocks/python) into a
running awssim (AWSSIM_BIN), then what awssim holds is checked, and the Lambda handlers run
against it (DMS and Route 53 calls go to awssim; S3/SNS/SSM/API Gateway are Stubber-stubbed)."""

import boto3
from botocore.stub import ANY, Stubber

from tests.integration import checks
from tests.live.conftest import SUFFIX

def client(url, service):
    return checks.client(url, service)


def test_awssim_holds_the_stack(deployed, fresh):
    url, outputs = deployed[:2]
    states = checks.check_state_machine(outputs, url)
    assert states["Rollback"]["Catch"][0]["Next"] == "NotifyFailure"
    tasks = checks.check_replication(outputs, url)
    assert set(tasks) == {"forwardReplicationTaskArn", "reverseReplicationTaskArn"}
    assert checks.check_routing(outputs, url) == {"legacy": 80, "migrated": 20}
    checks.check_registry(outputs, url)
    roles = [r["RoleName"] for r in client(url, "iam").list_roles()["Roles"]]
    assert {f"migration-sfn-role-{SUFFIX}", f"data-validation-role-{SUFFIX}", f"migration-rollback-role-{SUFFIX}",
            f"dms-secrets-access-{SUFFIX}", "dms-vpc-role"} <= set(roles)
    regions = {r["region"] for r in checks.registry(url, "aws:rds/cluster:Cluster")}
    assert regions == {"eu-central-1", "eu-central-2"}
    instances = client(url, "dms").describe_replication_instances()["ReplicationInstances"]
    assert [i["ReplicationInstanceStatus"] for i in instances] == ["available"]


def test_rollback_lambda_against_awssim(deployed, fresh):
    url, outputs = deployed[:2]
    from payment_lambdas import rollback

    stubbed = {}
    for svc in ("apigateway", "s3", "ssm", "sns"):
        c = boto3.client(svc, region_name="eu-central-1", aws_access_key_id="x", aws_secret_access_key="y")
        stubbed[svc] = (c, Stubber(c))
        stubbed[svc][1].activate()
    stubbed["apigateway"][1].add_response("update_stage", {}, {"restApiId": outputs["restApiId"], "stageName": "live",
                                                               "patchOperations": ANY})
    stubbed["s3"][1].add_response("put_object", {}, None)
    stubbed["ssm"][1].add_response("put_parameter", {"Version": 2}, None)
    stubbed["sns"][1].add_response("publish", {"MessageId": "m"}, None)
    migrated = f"{outputs['restApiId']}.execute-api.eu-central-1.amazonaws.com"
    runner = rollback.RollbackRunner(
        client(url, "dms"), client(url, "route53"), *(stubbed[s][0] for s in ("apigateway", "s3", "ssm", "sns")),
        {"forward_task_arn": outputs["forwardReplicationTaskArn"],
         "reverse_task_arn": outputs["reverseReplicationTaskArn"], "zone_id": outputs["hostedZoneId"],
         "record_name": outputs["apiRecordName"], "legacy_target": "payments.onprem.example.com",
         "migrated_target": migrated, "rest_api_id": outputs["restApiId"], "stage_name": "live",
         "bucket": outputs["rollbackBucketName"], "phase_parameter": "/p", "topic_arn": outputs["alertsTopicArn"],
         "suffix": SUFFIX})
    result = runner.run({"reason": "live test"})
    assert result["forwardTask"] == "already-ready" and result["reverseTask"] == "starting"
    assert checks.check_routing(outputs, url) == {"legacy": 100, "migrated": 0}
    reverse = client(url, "dms").describe_replication_tasks(Filters=[{
        "Name": "replication-task-arn", "Values": [outputs["reverseReplicationTaskArn"]]}])["ReplicationTasks"][0]
    assert reverse["Status"] in ("starting", "running")
    for _, stub in stubbed.values():
        stub.assert_no_pending_responses()


def test_validation_prechecks_against_awssim(deployed, fresh):
    url, outputs = deployed[:2]
    from payment_lambdas import validation
    from payment_lambdas.data_access import TableSource

    class Db(TableSource):
        def row_count(self, table):
            return 3

        def checksum(self, table):
            return "x"

    v = validation.Validator(Db(), Db(), client(url, "dms"), None, None, {
        "task_arn": outputs["forwardReplicationTaskArn"], "instance_id": "payments-dms-live1", "tables": ["payments"],
        "lag_threshold": 30,
        "bucket": "b", "namespace": "n"})
    assert v.prechecks() == {"ok": True, "problems": [], "taskStatus": "ready"}
