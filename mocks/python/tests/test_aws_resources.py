"""Request mapping: Pulumi inputs -> the AWS calls (exact parameters) the provider would make."""

import datetime

import pytest

from awssim_mock import aws_resources as ar
from tests.fakes import StubbedClients

NOW = datetime.datetime(2026, 11, 22, tzinfo=datetime.timezone.utc)
ACCT = "123456789012"


class Ctx:
    region, account = "eu-central-1", ACCT

    def __init__(self):
        self.clients = StubbedClients()

    def client(self, service):
        return self.clients(service, self.region, ("test", "test", None))

    def stub(self, service):
        return self.clients.stub(service)

    def autoname(self, base):
        return f"{base}-abc1234"

    waits = None

    def wait_until(self, what, poll, step=30, limit=3600):
        self.waits = (self.waits or []) + [what]


@pytest.fixture
def ctx():
    c = Ctx()
    yield c
    c.clients.assert_done()


ROLE = {"Path": "/", "RoleName": "r", "RoleId": "AROAEXAMPLEEXAMPLE01", "Arn": f"arn:aws:iam::{ACCT}:role/r",
        "CreateDate": NOW}


def test_iam_role_with_tags_and_inline_policies(ctx):
    s = ctx.stub("iam")
    s.add_response("create_role", {"Role": {**ROLE, "RoleName": "svc-role", "MaxSessionDuration": 7200}}, {
        "RoleName": "svc-role", "Path": "/", "AssumeRolePolicyDocument": "{}", "Description": "d",
        "MaxSessionDuration": 7200, "Tags": [{"Key": "A", "Value": "1"}, {"Key": "B", "Value": "2"}]})
    s.add_response("put_role_policy", {}, {"RoleName": "svc-role", "PolicyName": "p", "PolicyDocument": "{\"x\":1}"})
    s.add_response("attach_role_policy", {}, {"RoleName": "svc-role",
                                              "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"})
    rid, st = ar.create(ctx, "aws:iam/role:Role", "svc", {
        "managedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        "name": "svc-role", "assumeRolePolicy": "{}", "description": "d", "maxSessionDuration": 7200,
        "tags": {"B": "2"}, "tagsAll": {"A": "1"},
        "inlinePolicies": [{"name": "p", "policy": "{\"x\":1}"}, {"name": "", "policy": ""}]})
    assert rid == "svc-role" and st["arn"].endswith(":role/r") and st["maxSessionDuration"] == 7200
    assert st["uniqueId"] == "AROAEXAMPLEEXAMPLE01"


def test_iam_role_autonamed_from_prefix(ctx):
    ctx.stub("iam").add_response("create_role", {"Role": ROLE}, {
        "RoleName": "pre-abc1234", "Path": "/", "AssumeRolePolicyDocument": "{}"})
    rid, st = ar.create(ctx, "aws:iam/role:Role", "logical", {"namePrefix": "pre", "assumeRolePolicy": "{}"})
    assert rid == "pre-abc1234" and st["maxSessionDuration"] == 3600


def test_role_policy_and_attachment(ctx):
    s = ctx.stub("iam")
    s.add_response("put_role_policy", {}, {"RoleName": "r", "PolicyName": "pol-abc1234", "PolicyDocument": "{}"})
    s.add_response("attach_role_policy", {}, {"RoleName": "r", "PolicyArn": "arn:aws:iam::aws:policy/X"})
    assert ar.create(ctx, "aws:iam/rolePolicy:RolePolicy", "pol", {"role": "r", "policy": "{}"}) == (
        "r:pol-abc1234", {"name": "pol-abc1234"})
    assert ar.create(ctx, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a",
                     {"role": "r", "policyArn": "arn:aws:iam::aws:policy/X"})[0] == "r/arn:aws:iam::aws:policy/X"


def test_state_machine_full_mapping(ctx):
    arn = f"arn:aws:states:eu-central-1:{ACCT}:stateMachine:sm"
    ctx.stub("stepfunctions").add_response("create_state_machine", {"stateMachineArn": arn, "creationDate": NOW}, {
        "name": "sm", "definition": "{}", "roleArn": "arn:role", "type": "EXPRESS",
        "loggingConfiguration": {"level": "ALL", "includeExecutionData": False,
                                 "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "arn:lg:*"}}]},
        "tracingConfiguration": {"enabled": True},
        "encryptionConfiguration": {"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": "arn:k",
                                    "kmsDataKeyReusePeriodSeconds": 300},
        "publish": True, "tags": [{"key": "k", "value": "v"}]})
    rid, st = ar.create(ctx, "aws:sfn/stateMachine:StateMachine", "x", {
        "name": "sm", "definition": "{}", "roleArn": "arn:role", "type": "EXPRESS", "publish": True,
        "loggingConfiguration": {"level": "ALL", "includeExecutionData": False, "logDestination": "arn:lg:*"},
        "tracingConfiguration": {"enabled": True}, "tags": {"k": "v"},
        "encryptionConfiguration": {"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": "arn:k",
                                    "kmsDataKeyReusePeriodSeconds": 300}})
    assert rid == arn and st["status"] == "ACTIVE" and st["name"] == "sm"


def test_state_machine_minimal_and_logging_without_destination(ctx):
    arn = f"arn:aws:states:eu-central-1:{ACCT}:stateMachine:x-abc1234"
    ctx.stub("stepfunctions").add_response("create_state_machine", {"stateMachineArn": arn, "creationDate": NOW}, {
        "name": "x-abc1234", "definition": "{}", "roleArn": "arn:role", "type": "STANDARD",
        "loggingConfiguration": {"level": "ERROR", "includeExecutionData": False}})
    assert ar.create(ctx, "aws:sfn/stateMachine:StateMachine", "x", {
        "definition": "{}", "roleArn": "arn:role", "loggingConfiguration": {"level": "ERROR"}})[0] == arn
    assert ar._sfn_logging(None) is None and ar._sfn_logging({}) is None


def test_activity(ctx):
    arn = f"arn:aws:states:eu-central-1:{ACCT}:activity:act"
    ctx.stub("stepfunctions").add_response("create_activity", {"activityArn": arn, "creationDate": NOW},
                                           {"name": "act", "tags": [{"key": "a", "value": "b"}]})
    assert ar.create(ctx, "aws:sfn/activity:Activity", "x", {"name": "act", "tags": {"a": "b"}})[0] == arn


ZONE = {"Id": "/hostedzone/Z1", "Name": "p.internal.", "CallerReference": "c"}


def test_private_zone_with_two_vpcs_and_tags(ctx):
    s = ctx.stub("route53")
    s.add_response("create_hosted_zone", {
        "HostedZone": ZONE, "ChangeInfo": {"Id": "c", "Status": "PENDING", "SubmittedAt": NOW},
        "Location": "https://x", "DelegationSet": {"NameServers": ["ns1", "ns2"]}}, {
        "Name": "p.internal", "CallerReference": "zone-abc1234",
        "HostedZoneConfig": {"Comment": "c1", "PrivateZone": True},
        "VPC": {"VPCRegion": "eu-central-1", "VPCId": "vpc-1"}, "DelegationSetId": "N1"})
    s.add_response("associate_vpc_with_hosted_zone", {"ChangeInfo": {"Id": "c", "Status": "PENDING",
                                                                     "SubmittedAt": NOW}},
                   {"HostedZoneId": "Z1", "VPC": {"VPCRegion": "eu-central-2", "VPCId": "vpc-2"}})
    s.add_response("change_tags_for_resource", {}, {"ResourceType": "hostedzone", "ResourceId": "Z1",
                                                    "AddTags": [{"Key": "a", "Value": "b"}]})
    rid, st = ar.create(ctx, "aws:route53/zone:Zone", "zone", {
        "name": "p.internal", "comment": "c1", "delegationSetId": "N1", "tags": {"a": "b"},
        "vpcs": [{"vpcId": "vpc-1"}, {"vpcId": "vpc-2", "vpcRegion": "eu-central-2"}]})
    assert rid == "Z1" and st["zoneId"] == "Z1" and st["nameServers"] == ["ns1", "ns2"]
    assert ctx.waits == ["hosted zone Z1"]
    assert st["arn"] == "arn:aws:route53:::hostedzone/Z1" and st["primaryNameServer"] == "ns1"


def test_public_zone_default_comment_without_delegation_set():
    calls = []

    class R53:
        def create_hosted_zone(self, **kw):
            calls.append(kw)
            return {"HostedZone": ZONE, "ChangeInfo": {"Id": "/change/C0"}}

    class C(Ctx):
        def client(self, service):
            return R53()

    assert ar.create(C(), "aws:route53/zone:Zone", "z", {"name": "pub.example"})[1]["primaryNameServer"] == ""
    assert calls == [{"Name": "pub.example", "CallerReference": "z-abc1234",
                      "HostedZoneConfig": {"Comment": "Managed by Pulumi"}}]


def _zone(s):
    s.add_response("get_hosted_zone", {"HostedZone": ZONE, "DelegationSet": {"NameServers": ["ns"]}}, {"Id": "Z1"})


def test_weighted_record_with_health_check(ctx):
    s = ctx.stub("route53")
    _zone(s)
    s.add_response("change_resource_record_sets", {"ChangeInfo": {"Id": "c", "Status": "PENDING",
                                                                  "SubmittedAt": NOW}}, {
        "HostedZoneId": "Z1", "ChangeBatch": {"Comment": "Managed by Pulumi", "Changes": [{
            "Action": "CREATE", "ResourceRecordSet": {
                "Name": "api.p.internal", "Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": "old"}],
                "SetIdentifier": "legacy", "Weight": 75, "HealthCheckId": "hc-1"}}]}})
    rid, st = ar.create(ctx, "aws:route53/record:Record", "r", {
        "zoneId": "/hostedzone/Z1", "name": "api", "type": "CNAME", "ttl": 60, "records": ["old"],
        "setIdentifier": "legacy", "weightedRoutingPolicies": [{"weight": 75}], "healthCheckId": "hc-1"})
    assert rid == "Z1_api.p.internal_CNAME_legacy" and st["fqdn"] == "api.p.internal"


def test_alias_failover_and_latency_records_upsert(ctx):
    s = ctx.stub("route53")
    _zone(s)
    s.add_response("change_resource_record_sets", {"ChangeInfo": {"Id": "c", "Status": "PENDING",
                                                                  "SubmittedAt": NOW}}, {
        "HostedZoneId": "Z1", "ChangeBatch": {"Comment": "Managed by Pulumi", "Changes": [{
            "Action": "UPSERT", "ResourceRecordSet": {
                "Name": "p.internal", "Type": "A", "SetIdentifier": "a",
                "AliasTarget": {"HostedZoneId": "ZLB", "DNSName": "lb.aws", "EvaluateTargetHealth": True},
                "Failover": "PRIMARY", "Region": "eu-central-1"}}]}})
    rid, st = ar.create(ctx, "aws:route53/record:Record", "r", {
        "zoneId": "Z1", "name": "p.internal.", "type": "A", "allowOverwrite": True, "setIdentifier": "a",
        "aliases": [{"zoneId": "ZLB", "name": "lb.aws", "evaluateTargetHealth": True}],
        "failoverRoutingPolicies": [{"type": "PRIMARY"}], "latencyRoutingPolicies": [{"region": "eu-central-1"}]})
    assert st["fqdn"] == "p.internal"
    assert ar._fqdn("db.p.internal", "p.internal.") == "db.p.internal"


def test_simple_record_without_routing_policy(ctx):
    s = ctx.stub("route53")
    _zone(s)
    s.add_response("change_resource_record_sets", {"ChangeInfo": {"Id": "c", "Status": "PENDING",
                                                                  "SubmittedAt": NOW}}, {
        "HostedZoneId": "Z1", "ChangeBatch": {"Comment": "Managed by Pulumi", "Changes": [{
            "Action": "CREATE", "ResourceRecordSet": {"Name": "db.p.internal", "Type": "CNAME", "TTL": 30,
                                                      "ResourceRecords": [{"Value": "c.rds"}]}}]}})
    assert ar.create(ctx, "aws:route53/record:Record", "r", {"zoneId": "Z1", "name": "db", "type": "CNAME",
                                                             "ttl": 30, "records": ["c.rds"]})[0] == \
        "Z1_db.p.internal_CNAME"


def test_health_check_with_alarm_and_tags(ctx):
    s = ctx.stub("route53")
    s.add_response("create_health_check", {"HealthCheck": {
        "Id": "hc-1", "CallerReference": "r", "HealthCheckConfig": {"Type": "HTTPS"}, "HealthCheckVersion": 1},
        "Location": "https://x"}, {"CallerReference": "ref", "HealthCheckConfig": {
            "Type": "CLOUDWATCH_METRIC", "FullyQualifiedDomainName": "x.example", "Port": 443,
            "FailureThreshold": 3, "AlarmIdentifier": {"Name": "al", "Region": "eu-central-1"}}})
    s.add_response("change_tags_for_resource", {}, {"ResourceType": "healthcheck", "ResourceId": "hc-1",
                                                    "AddTags": [{"Key": "Name", "Value": "n"}]})
    rid, st = ar.create(ctx, "aws:route53/healthCheck:HealthCheck", "h", {
        "type": "CLOUDWATCH_METRIC", "fqdn": "x.example", "port": 443, "failureThreshold": 3, "referenceName": "ref",
        "cloudwatchAlarmName": "al", "tags": {"Name": "n"}, "searchString": None})
    assert rid == "hc-1" and st["arn"] == "arn:aws:route53:::healthcheck/hc-1"


def test_health_check_minimal(ctx):
    ctx.stub("route53").add_response("create_health_check", {"HealthCheck": {
        "Id": "hc-2", "CallerReference": "r", "HealthCheckConfig": {"Type": "HTTP"}, "HealthCheckVersion": 1},
        "Location": "https://x"}, {"CallerReference": "h-abc1234", "HealthCheckConfig": {"Type": "HTTP"}})
    assert ar.create(ctx, "aws:route53/healthCheck:HealthCheck", "h", {"type": "HTTP"})[0] == "hc-2"


def test_dms_subnet_group_instance_endpoint_task(ctx):
    s = ctx.stub("dms")
    s.add_response("create_replication_subnet_group", {"ReplicationSubnetGroup": {"VpcId": "vpc-1"}}, {
        "ReplicationSubnetGroupIdentifier": "sg", "ReplicationSubnetGroupDescription": "Managed by Pulumi",
        "SubnetIds": ["s1", "s2"]})
    s.add_response("create_replication_instance", {"ReplicationInstance": {
        "ReplicationInstanceArn": "arn:rep", "ReplicationInstancePrivateIpAddresses": ["10.0.0.1"]}}, {
        "ReplicationInstanceIdentifier": "ri", "ReplicationInstanceClass": "dms.r5.large", "AllocatedStorage": 100,
        "MultiAZ": True, "PubliclyAccessible": False, "KmsKeyId": "arn:k", "ReplicationSubnetGroupIdentifier": "sg",
        "VpcSecurityGroupIds": ["sg-1"], "Tags": [{"Key": "a", "Value": "b"}]})
    s.add_response("create_endpoint", {"Endpoint": {"EndpointArn": "arn:ep"}}, {
        "EndpointIdentifier": "ep", "EndpointType": "source", "EngineName": "aurora-postgresql",
        "DatabaseName": "payments", "SslMode": "require", "KmsKeyId": "arn:k",
        "PostgreSQLSettings": {"SecretsManagerSecretId": "arn:secret", "SecretsManagerAccessRoleArn": "arn:role"}})
    s.add_response("create_replication_task", {"ReplicationTask": {"ReplicationTaskArn": "arn:task",
                                                                   "Status": "creating"}}, {
        "ReplicationTaskIdentifier": "t", "SourceEndpointArn": "arn:ep", "TargetEndpointArn": "arn:ep2",
        "ReplicationInstanceArn": "arn:rep", "MigrationType": "full-load-and-cdc", "TableMappings": "{}",
        "ReplicationTaskSettings": "{\"a\":1}"})
    s.add_response("create_replication_task", {"ReplicationTask": {"ReplicationTaskArn": "arn:task2"}}, None)
    s.add_response("start_replication_task", {"ReplicationTask": {"Status": "starting"}},
                   {"ReplicationTaskArn": "arn:task2", "StartReplicationTaskType": "start-replication"})
    assert ar.create(ctx, "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup", "g", {
        "replicationSubnetGroupId": "sg", "subnetIds": ["s1", "s2"]})[1]["vpcId"] == "vpc-1"
    rid, st = ar.create(ctx, "aws:dms/replicationInstance:ReplicationInstance", "i", {
        "replicationInstanceId": "ri", "replicationInstanceClass": "dms.r5.large", "allocatedStorage": 100,
        "multiAz": True, "publiclyAccessible": False, "kmsKeyArn": "arn:k", "replicationSubnetGroupId": "sg",
        "vpcSecurityGroupIds": ["sg-1"], "tags": {"a": "b"}})
    assert (rid, st["replicationInstanceArn"], st["replicationInstancePrivateIps"]) == ("ri", "arn:rep", ["10.0.0.1"])
    assert ctx.waits == ["replication instance ri"]
    assert ar.create(ctx, "aws:dms/endpoint:Endpoint", "e", {
        "endpointId": "ep", "endpointType": "source", "engineName": "aurora-postgresql", "databaseName": "payments",
        "sslMode": "require", "kmsKeyArn": "arn:k", "secretsManagerArn": "arn:secret",
        "secretsManagerAccessRoleArn": "arn:role"})[1] == {"endpointArn": "arn:ep"}
    assert ar.create(ctx, "aws:dms/replicationTask:ReplicationTask", "t", {
        "replicationTaskId": "t", "sourceEndpointArn": "arn:ep", "targetEndpointArn": "arn:ep2",
        "replicationInstanceArn": "arn:rep", "migrationType": "full-load-and-cdc", "tableMappings": "{}",
        "replicationTaskSettings": "{\"a\":1}", "startReplicationTask": False})[1]["status"] == "ready"
    assert ar.create(ctx, "aws:dms/replicationTask:ReplicationTask", "t2", {
        "replicationTaskId": "t2", "sourceEndpointArn": "a", "targetEndpointArn": "b",
        "replicationInstanceArn": "c", "migrationType": "cdc", "tableMappings": "{}",
        "startReplicationTask": True})[1]["status"] == "running"
    assert ctx.waits[-3:] == ["replication task t", "replication task t2", "replication task t2 to run"]


def test_dms_endpoint_secret_on_unsupported_engine(ctx):
    with pytest.raises(ValueError, match="not supported for engine s3"):
        ar.create(ctx, "aws:dms/endpoint:Endpoint", "e", {"endpointId": "e", "endpointType": "target",
                                                          "engineName": "s3", "secretsManagerArn": "arn:s"})


def test_dms_endpoint_with_password(ctx):
    ctx.stub("dms").add_response("create_endpoint", {"Endpoint": {"EndpointArn": "arn:ep"}}, {
        "EndpointIdentifier": "e", "EndpointType": "target", "EngineName": "postgres", "Username": "u",
        "Password": "p", "ServerName": "h", "Port": 5432})
    ar.create(ctx, "aws:dms/endpoint:Endpoint", "e", {"endpointId": "e", "endpointType": "target",
                                                      "engineName": "postgres", "username": "u", "password": "p",
                                                      "serverName": "h", "port": 5432})


def test_ram_share_and_associations(ctx):
    s = ctx.stub("ram")
    share = f"arn:aws:ram:eu-central-1:{ACCT}:resource-share/abc"
    s.add_response("create_resource_share", {"resourceShare": {"resourceShareArn": share}}, {
        "name": "tgw-share", "allowExternalPrincipals": False, "tags": [{"key": "a", "value": "b"}]})
    s.add_response("associate_resource_share", {}, {"resourceShareArn": share, "resourceArns": ["arn:tgw"]})
    s.add_response("associate_resource_share", {}, {"resourceShareArn": share, "principals": ["210987654321"]})
    rid, _ = ar.create(ctx, "aws:ram/resourceShare:ResourceShare", "s", {
        "name": "tgw-share", "allowExternalPrincipals": False, "tags": {"a": "b"}})
    assert rid == share
    assert ar.create(ctx, "aws:ram/resourceAssociation:ResourceAssociation", "a", {
        "resourceShareArn": share, "resourceArn": "arn:tgw"})[0] == f"{share},arn:tgw"
    assert ar.create(ctx, "aws:ram/principalAssociation:PrincipalAssociation", "p", {
        "resourceShareArn": share, "principal": "210987654321"})[0] == f"{share},210987654321"


def test_handles():
    assert ar.handles("aws:iam/role:Role") and not ar.handles("aws:s3/bucket:Bucket")


def test_wait_polls_route53_changes_and_dms_states(ctx):
    r53 = ctx.stub("route53")
    r53.add_response("get_change", {"ChangeInfo": {"Id": "C1", "Status": "PENDING", "SubmittedAt": NOW}}, {"Id": "C1"})
    r53.add_response("get_change", {"ChangeInfo": {"Id": "C1", "Status": "INSYNC", "SubmittedAt": NOW}}, {"Id": "C1"})
    poll = ar._insync(ctx, "C1")
    assert (poll(), poll()) == (False, True)
    dms = ctx.stub("dms")
    dms.add_response("describe_replication_instances", {"ReplicationInstances": [
        {"ReplicationInstanceStatus": "creating"}]}, {"Filters": [{"Name": "replication-instance-id",
                                                                 "Values": ["ri"]}]})
    dms.add_response("describe_replication_instances", {"ReplicationInstances": [
        {"ReplicationInstanceStatus": "available"}]}, None)
    inst = ar._dms_status(ctx, "replication instance", "describe_replication_instances", "ReplicationInstances",
                          "replication-instance-id", "ri", "available")
    assert (inst(), inst()) == (False, True)
    dms.add_response("describe_replication_tasks", {"ReplicationTasks": [{"Status": "failed"}]}, None)
    task = ar._dms_status(ctx, "replication task", "describe_replication_tasks", "ReplicationTasks",
                          "replication-task-arn", "arn:t", "ready")
    with pytest.raises(ar.ResourceFailed, match="replication task arn:t is failed"):
        task()


def test_zone_association(ctx):
    ctx.stub("route53").add_response("associate_vpc_with_hosted_zone", {"ChangeInfo": {
        "Id": "/change/C9", "Status": "PENDING", "SubmittedAt": NOW}},
        {"HostedZoneId": "Z1", "VPC": {"VPCRegion": "eu-central-2", "VPCId": "vpc-9"}})
    rid, st = ar.create(ctx, "aws:route53/zoneAssociation:ZoneAssociation", "a", {
        "zoneId": "Z1", "vpcId": "vpc-9", "vpcRegion": "eu-central-2"})
    assert rid == "Z1:vpc-9:eu-central-2" and ctx.waits == ["association of vpc-9"]
    ctx.stub("route53").add_response("associate_vpc_with_hosted_zone", {"ChangeInfo": {
        "Id": "/change/C10", "Status": "PENDING", "SubmittedAt": NOW}}, None)
    assert ar.create(ctx, "aws:route53/zoneAssociation:ZoneAssociation", "b", {
        "zoneId": "Z1", "vpcId": "vpc-8"})[1] == {"vpcRegion": "eu-central-1"}
