"""DMS rules and lifecycles through boto3 that test_dms.py's operation table does not reach: validation
faults of every resource kind (identifiers, quotas, wrong states, bad combinations), transitions that
complete on the virtual clock (instance modify/reboot/delete, assessment runs, data migrations, Fleet
Advisor), table-mapping and task-setting validation, table statistics paging, serverless replications,
and the control hooks' edge cases. One private awssim per test; boto3 only (fast)."""
import json

import pytest
from botocore.exceptions import ClientError

import conftest

ACCOUNT = conftest.DEFAULT_ACCOUNT
ROLE = f"arn:aws:iam::{ACCOUNT}:role/dms-access"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:dms-events"
KMS = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"


def rules(*rs):
    return json.dumps({"rules": list(rs)})


def sel(rid="1", schema="public", table="%", action="include", name=None):
    return {"rule-type": "selection", "rule-id": rid, "rule-name": name or rid,
            "object-locator": {"schema-name": schema, "table-name": table}, "rule-action": action}


MAPPINGS = rules(sel())


def fails(code, fn, *args, contains=None, **kwargs):
    """Call fn; assert it raises the AWS error `code` (HTTP 400) and return the message."""
    with pytest.raises(ClientError) as err:
        fn(*args, **kwargs)
    got = err.value.response["Error"]
    assert got["Code"] == code, got
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    if contains:
        assert contains in got["Message"], got["Message"]
    return got["Message"]


def world(sim, engine="postgres"):
    """An available replication instance and a source/target endpoint pair."""
    d = sim.client("dms")
    ri = d.create_replication_instance(ReplicationInstanceIdentifier="ri", ReplicationInstanceClass="dms.t3.medium",
                                       AllocatedStorage=50)["ReplicationInstance"]["ReplicationInstanceArn"]
    sim.advance(300)
    src = d.create_endpoint(EndpointIdentifier="src", EndpointType="source", EngineName=engine,
                            ServerName="src.db", DatabaseName="app")["Endpoint"]["EndpointArn"]
    tgt = d.create_endpoint(EndpointIdentifier="tgt", EndpointType="target", EngineName="aurora-postgresql",
                            ServerName="tgt.db")["Endpoint"]["EndpointArn"]
    return d, ri, src, tgt


def new_task(d, ri, src, tgt, ident="task", mtype="full-load-and-cdc", mappings=MAPPINGS, **kw):
    return d.create_replication_task(ReplicationTaskIdentifier=ident, SourceEndpointArn=src, TargetEndpointArn=tgt,
                                     ReplicationInstanceArn=ri, MigrationType=mtype, TableMappings=mappings,
                                     **kw)["ReplicationTask"]["ReplicationTaskArn"]


def task(d, arn):
    return d.describe_replication_tasks(Filters=[{"Name": "replication-task-arn", "Values": [arn]}])["ReplicationTasks"][0]


def ri_of(d, arn):
    return d.describe_replication_instances(
        Filters=[{"Name": "replication-instance-arn", "Values": [arn]}])["ReplicationInstances"][0]


# ---------------------------------------------------------------------------------------------------------------
# Identifiers, tags (dms.c)
# ---------------------------------------------------------------------------------------------------------------
def test_identifier_length_tags_and_unknown_arns(awssim):
    d, ri, src, tgt = world(awssim)
    fails("InvalidParameterValueException", d.create_endpoint, EndpointIdentifier="e" * 256, EndpointType="source",
          EngineName="mysql", contains="must be between 1 and 255 characters")
    fails("InvalidParameterValueException", d.create_endpoint, EndpointIdentifier="ok", EndpointType="source",
          EngineName="mysql", Tags=[{"Key": "aws:reserved", "Value": "x"}], contains="aws:")
    # tags: replacing a value keeps one tag per key; aws: keys and more than 50 tags are refused
    d.add_tags_to_resource(ResourceArn=src, Tags=[{"Key": "env", "Value": "dev"}])
    d.add_tags_to_resource(ResourceArn=src, Tags=[{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "db"}])
    assert d.list_tags_for_resource(ResourceArn=src)["TagList"] == [{"Key": "env", "Value": "prod"},
                                                                     {"Key": "team", "Value": "db"}]
    fails("InvalidParameterValueException", d.add_tags_to_resource, ResourceArn=src,
          Tags=[{"Key": "aws:x", "Value": "1"}])
    fails("InvalidParameterValueException", d.add_tags_to_resource, ResourceArn=src,
          Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(49)], contains="at most 50 tags")
    assert len(d.list_tags_for_resource(ResourceArn=src)["TagList"]) == 2  # the failed call changed nothing
    # ResourceArnList answers tags of several resources, each with its ResourceArn
    d.add_tags_to_resource(ResourceArn=tgt, Tags=[{"Key": "env", "Value": "qa"}])
    tags = d.list_tags_for_resource(ResourceArnList=[src, tgt])["TagList"]
    assert {(t["ResourceArn"], t["Key"]) for t in tags} == {(src, "env"), (src, "team"), (tgt, "env")}
    fails("InvalidParameterCombinationException", d.list_tags_for_resource)
    # an ARN of a resource type DMS does not have, and text that is no ARN
    fails("ResourceNotFoundFault", d.list_tags_for_resource,
          ResourceArn=f"arn:aws:dms:us-east-1:{ACCOUNT}:rocket:ABC")
    fails("ResourceNotFoundFault", d.list_tags_for_resource, ResourceArn=f"arn:aws:dms:us-east-1:{ACCOUNT}")
    d.remove_tags_from_resource(ResourceArn=src, TagKeys=["env", "absent"])
    assert d.list_tags_for_resource(ResourceArn=src)["TagList"] == [{"Key": "team", "Value": "db"}]


# ---------------------------------------------------------------------------------------------------------------
# Replication subnet groups and instances (dms_res.c)
# ---------------------------------------------------------------------------------------------------------------
def test_subnet_group_rules_and_quota(awssim):
    d = awssim.client("dms")
    subnets = ["subnet-a1", "subnet-b2"]
    fails("InvalidParameterValueException", d.create_replication_subnet_group, ReplicationSubnetGroupIdentifier="Default",
          ReplicationSubnetGroupDescription="x", SubnetIds=subnets, contains="reserved")
    fails("InvalidParameterValueException", d.create_replication_subnet_group, ReplicationSubnetGroupIdentifier="a/b",
          ReplicationSubnetGroupDescription="x", SubnetIds=subnets)
    fails("InvalidSubnet", d.create_replication_subnet_group, ReplicationSubnetGroupIdentifier="g",
          ReplicationSubnetGroupDescription="x", SubnetIds=["sn-1", "subnet-b2"])
    # the API reference: no more than 255 alphanumeric characters, periods, underscores, or hyphens
    fails("InvalidParameterValueException", d.create_replication_subnet_group, ReplicationSubnetGroupIdentifier="my group",
          ReplicationSubnetGroupDescription="x", SubnetIds=subnets)
    fails("InvalidParameterValueException", d.create_replication_subnet_group, ReplicationSubnetGroupIdentifier="g" * 256,
          ReplicationSubnetGroupDescription="x", SubnetIds=subnets, contains="255")
    g = d.create_replication_subnet_group(ReplicationSubnetGroupIdentifier="My-Group_1.a", ReplicationSubnetGroupDescription="x",
                                          SubnetIds=subnets)["ReplicationSubnetGroup"]
    assert g["ReplicationSubnetGroupIdentifier"] == "my-group_1.a"  # stored in lowercase, as AWS does
    assert [s["SubnetAvailabilityZone"]["Name"] for s in g["Subnets"]] == ["us-east-1a", "us-east-1b"]
    fails("ResourceAlreadyExistsFault", d.create_replication_subnet_group, ReplicationSubnetGroupIdentifier="MY-GROUP_1.A",
          ReplicationSubnetGroupDescription="x", SubnetIds=subnets)
    # modify: subnets must still cover two AZs; the description changes
    fails("ReplicationSubnetGroupDoesNotCoverEnoughAZs", d.modify_replication_subnet_group,
          ReplicationSubnetGroupIdentifier="my-group_1.a", SubnetIds=["subnet-a1"])
    g = d.modify_replication_subnet_group(ReplicationSubnetGroupIdentifier="my-group_1.a", SubnetIds=subnets,
                                          ReplicationSubnetGroupDescription="new")["ReplicationSubnetGroup"]
    assert g["ReplicationSubnetGroupDescription"] == "new"
    vpc = g["VpcId"]
    assert d.describe_replication_subnet_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["ReplicationSubnetGroups"]
    d.delete_replication_subnet_group(ReplicationSubnetGroupIdentifier="my-group_1.a")
    fails("ResourceNotFoundFault", d.delete_replication_subnet_group, ReplicationSubnetGroupIdentifier="my-group_1.a")
    # AWS quota: 60 replication subnet groups per account and region
    for i in range(60):
        d.create_replication_subnet_group(ReplicationSubnetGroupIdentifier=f"g{i}", ReplicationSubnetGroupDescription="x",
                                          SubnetIds=subnets)
    fails("ResourceQuotaExceededFault", d.create_replication_subnet_group, ReplicationSubnetGroupIdentifier="g60",
          ReplicationSubnetGroupDescription="x", SubnetIds=subnets)


def test_replication_instance_create_validation_and_shape(awssim):
    d = awssim.client("dms")
    base = dict(ReplicationInstanceClass="dms.t3.small")
    fails("InvalidParameterValueException", d.create_replication_instance, ReplicationInstanceIdentifier="r",
          AllocatedStorage=4, contains="between 5 and 6144", **base)
    fails("InvalidParameterValueException", d.create_replication_instance, ReplicationInstanceIdentifier="r",
          EngineVersion="2.4.5", contains="2.4.5", **base)
    fails("InvalidParameterCombinationException", d.create_replication_instance, ReplicationInstanceIdentifier="r",
          MultiAZ=True, AvailabilityZone="us-east-1c", **base)
    fails("InvalidParameterValueException", d.create_replication_instance, ReplicationInstanceIdentifier="r",
          NetworkType="IPV6", **base)
    fails("ResourceNotFoundFault", d.create_replication_instance, ReplicationInstanceIdentifier="r",
          ReplicationSubnetGroupIdentifier="nope", **base)
    fails("InvalidParameterValueException", d.create_replication_instance, ReplicationInstanceIdentifier="r",
          Tags=[{"Key": "", "Value": "x"}], **base)
    assert d.describe_replication_instances()["ReplicationInstances"] == []  # nothing half-created
    ri = d.create_replication_instance(ReplicationInstanceIdentifier="Multi", MultiAZ=True, VpcSecurityGroupIds=["sg-1", "sg-2"],
                                       KerberosAuthenticationSettings={"KeyCacheSecretId": "s"}, DnsNameServers="10.0.0.2",
                                       PubliclyAccessible=False, **base)["ReplicationInstance"]
    assert ri["ReplicationInstanceIdentifier"] == "multi"
    assert ri["MultiAZ"] and ri["AvailabilityZone"] == "us-east-1a" and ri["SecondaryAvailabilityZone"] == "us-east-1b"
    assert [g["VpcSecurityGroupId"] for g in ri["VpcSecurityGroups"]] == ["sg-1", "sg-2"]
    assert ri["KerberosAuthenticationSettings"] == {"KeyCacheSecretId": "s"} and ri["DnsNameServers"] == "10.0.0.2"
    one = d.create_replication_instance(ReplicationInstanceIdentifier="single", AvailabilityZone="us-east-1c",
                                        **base)["ReplicationInstance"]
    assert one["AvailabilityZone"] == "us-east-1c" and "SecondaryAvailabilityZone" not in one
    awssim.advance(300)
    ri = ri_of(d, ri["ReplicationInstanceArn"])
    # private instances get no public address
    assert ri["ReplicationInstancePrivateIpAddresses"] and "ReplicationInstancePublicIpAddresses" not in ri
    assert ri_of(d, one["ReplicationInstanceArn"])["ReplicationInstancePublicIpAddress"]


def test_replication_instance_quota(awssim):
    d = awssim.client("dms")
    for i in range(60):  # AWS quota: 60 replication instances per account and region
        d.create_replication_instance(ReplicationInstanceIdentifier=f"r{i}", ReplicationInstanceClass="dms.t3.micro",
                                      AllocatedStorage=5)
    fails("ResourceQuotaExceededFault", d.create_replication_instance, ReplicationInstanceIdentifier="r60",
          ReplicationInstanceClass="dms.t3.micro", AllocatedStorage=5)
    assert d.describe_account_attributes()["AccountQuotas"][0] == {"AccountQuotaName": "ReplicationInstances",
                                                                   "Used": 60, "Max": 60}


def test_replication_instance_modify_reboot_delete_on_the_clock(awssim):
    d = awssim.client("dms")
    arn = d.create_replication_instance(ReplicationInstanceIdentifier="ri", ReplicationInstanceClass="dms.t3.small",
                                        EngineVersion="3.4.7", MultiAZ=True)["ReplicationInstance"]["ReplicationInstanceArn"]
    other = d.create_replication_instance(ReplicationInstanceIdentifier="other",
                                          ReplicationInstanceClass="dms.t3.small")["ReplicationInstance"]
    # only an available instance can be modified or rebooted
    fails("InvalidResourceStateFault", d.modify_replication_instance, ReplicationInstanceArn=arn, AllocatedStorage=60,
          contains="Current state: creating")
    fails("InvalidResourceStateFault", d.reboot_replication_instance, ReplicationInstanceArn=arn)
    awssim.advance(300)
    m = dict(ReplicationInstanceArn=arn)
    fails("InvalidParameterValueException", d.modify_replication_instance, ReplicationInstanceClass="dms.x9.huge", **m)
    fails("InvalidParameterValueException", d.modify_replication_instance, EngineVersion="9.9.9", **m)
    fails("InvalidParameterValueException", d.modify_replication_instance, AllocatedStorage=20, contains="only be increased", **m)
    fails("InvalidParameterValueException", d.modify_replication_instance, ReplicationInstanceIdentifier="bad--name", **m)
    fails("ResourceAlreadyExistsFault", d.modify_replication_instance, ReplicationInstanceIdentifier="OTHER", **m)
    # without ApplyImmediately the changes wait in PendingModifiedValues; the rest applies at once
    r = d.modify_replication_instance(ReplicationInstanceClass="dms.r5.large", MultiAZ=False, NetworkType="DUAL",
                                      AutoMinorVersionUpgrade=False, PreferredMaintenanceWindow="mon:01:00-mon:01:30",
                                      VpcSecurityGroupIds=["sg-9"], KerberosAuthenticationSettings={"KeyCacheSecretId": "k2"},
                                      ReplicationInstanceIdentifier="Renamed", **m)["ReplicationInstance"]
    assert r["ReplicationInstanceStatus"] == "available" and r["ReplicationInstanceIdentifier"] == "renamed"
    assert r["PendingModifiedValues"] == {"ReplicationInstanceClass": "dms.r5.large", "MultiAZ": False, "NetworkType": "DUAL"}
    assert r["AutoMinorVersionUpgrade"] is False and r["PreferredMaintenanceWindow"] == "mon:01:00-mon:01:30"
    assert [g["VpcSecurityGroupId"] for g in r["VpcSecurityGroups"]] == ["sg-9"]
    assert r["KerberosAuthenticationSettings"] == {"KeyCacheSecretId": "k2"}
    # ForceFailover and ForcePlannedFailover are exclusive
    fails("InvalidParameterCombinationException", d.reboot_replication_instance, ForceFailover=True,
          ForcePlannedFailover=True, **m)
    # ApplyImmediately: modifying for two minutes, then every pending value is applied
    r = d.modify_replication_instance(AllocatedStorage=100, ApplyImmediately=True, **m)["ReplicationInstance"]
    assert r["ReplicationInstanceStatus"] == "modifying"
    awssim.advance(119)
    assert ri_of(d, arn)["ReplicationInstanceStatus"] == "modifying"
    awssim.advance(1)
    r = ri_of(d, arn)
    assert r["ReplicationInstanceStatus"] == "available" and r["PendingModifiedValues"] == {}
    assert (r["ReplicationInstanceClass"], r["AllocatedStorage"], r["MultiAZ"], r["NetworkType"]) == \
        ("dms.r5.large", 100, False, "DUAL")
    events = d.describe_events(SourceIdentifier="renamed", EventCategories=["configuration change"])["Events"]
    assert [e["Message"] for e in events] == ["Replication instance modified"]
    assert d.describe_events(EventCategories=["failover"])["Events"] == []
    # delete: deleting for a minute, then gone with its connection tests
    d.create_endpoint(EndpointIdentifier="e", EndpointType="source", EngineName="mysql", ServerName="h")
    ep = d.describe_endpoints()["Endpoints"][0]["EndpointArn"]
    d.test_connection(ReplicationInstanceArn=arn, EndpointArn=ep)
    awssim.advance(15)
    assert d.delete_replication_instance(**m)["ReplicationInstance"]["ReplicationInstanceStatus"] == "deleting"
    fails("InvalidResourceStateFault", d.delete_replication_instance, contains="already being deleted", **m)
    fails("InvalidResourceStateFault", d.reboot_replication_instance, **m)
    awssim.advance(60)
    assert [x["ReplicationInstanceIdentifier"] for x in d.describe_replication_instances()["ReplicationInstances"]] == ["other"]
    assert d.describe_connections()["Connections"] == []
    assert [e["Message"] for e in d.describe_events(SourceIdentifier="renamed", EventCategories=["deletion"])["Events"]] == \
        ["Replication instance deleting", "Replication instance deleted"]
    fails("InvalidParameterValueException", d.apply_pending_maintenance_action, ReplicationInstanceArn=other["ReplicationInstanceArn"],
          ApplyAction="reinstall", OptInType="immediate")


def test_engine_upgrade_from_3_4_to_3_5_is_a_major_version_upgrade(awssim):
    """AWS release notes: upgrading an instance manually from 3.4.x to 3.5.x needs AllowMajorVersionUpgrade."""
    d = awssim.client("dms")
    arn = d.create_replication_instance(ReplicationInstanceIdentifier="ri", ReplicationInstanceClass="dms.t3.small",
                                        EngineVersion="3.4.7")["ReplicationInstance"]["ReplicationInstanceArn"]
    awssim.advance(300)
    fails("InvalidParameterCombinationException", d.modify_replication_instance, ReplicationInstanceArn=arn,
          EngineVersion="3.5.3", contains="AllowMajorVersionUpgrade")
    r = d.modify_replication_instance(ReplicationInstanceArn=arn, EngineVersion="3.5.3", ApplyImmediately=True,
                                      AllowMajorVersionUpgrade=True)["ReplicationInstance"]
    assert r["PendingModifiedValues"] == {"EngineVersion": "3.5.3"}
    awssim.advance(120)
    assert ri_of(d, arn)["EngineVersion"] == "3.5.3"
    r = d.modify_replication_instance(ReplicationInstanceArn=arn, EngineVersion="3.5.4")["ReplicationInstance"]
    assert r["PendingModifiedValues"] == {"EngineVersion": "3.5.4"}  # 3.5.3 -> 3.5.4 is a minor upgrade


# ---------------------------------------------------------------------------------------------------------------
# Endpoints, connections, schemas
# ---------------------------------------------------------------------------------------------------------------
def test_endpoint_validation_modify_and_quota(awssim):
    d, ri, src, tgt = world(awssim)
    fails("InvalidParameterValueException", d.create_endpoint, EndpointIdentifier="x", EndpointType="source",
          EngineName="foxpro", contains="Invalid engine name")
    fails("ResourceAlreadyExistsFault", d.create_endpoint, EndpointIdentifier="SRC", EndpointType="source",
          EngineName="mysql")
    fails("ResourceNotFoundFault", d.create_endpoint, EndpointIdentifier="x", EndpointType="source", EngineName="mysql",
          CertificateArn=f"arn:aws:dms:us-east-1:{ACCOUNT}:cert:NOPE")
    fails("KMSKeyNotAccessibleFault", d.create_endpoint, EndpointIdentifier="x", EndpointType="source",
          EngineName="mysql", KmsKeyId="my-key")
    e = dict(EndpointArn=src)
    fails("InvalidParameterValueException", d.modify_endpoint, EndpointIdentifier="-bad", **e)
    fails("ResourceNotFoundFault", d.modify_endpoint, CertificateArn=f"arn:aws:dms:us-east-1:{ACCOUNT}:cert:NOPE", **e)
    fails("ResourceAlreadyExistsFault", d.modify_endpoint, EndpointIdentifier="Tgt", **e)
    fails("InvalidParameterValueException", d.modify_endpoint, EndpointType="target", EngineName="mongodb", **e,
          contains="MongoDB is not supported as a target endpoint")
    ep = d.modify_endpoint(EndpointIdentifier="Source-1", EngineName="mysql", Port=3307, Password="secret", **e)["Endpoint"]
    assert (ep["EndpointIdentifier"], ep["EngineDisplayName"], ep["Port"]) == ("source-1", "MySQL", 3307)
    assert "Password" not in ep and ep["EndpointType"] == "SOURCE"
    # an endpoint used by a running task cannot be modified or deleted
    t = new_task(d, ri, src, tgt, mtype="cdc")
    awssim.advance(30)
    d.start_replication_task(ReplicationTaskArn=t, StartReplicationTaskType="start-replication")
    fails("InvalidResourceStateFault", d.modify_endpoint, Port=1, **e, contains="Stop the task")
    fails("InvalidResourceStateFault", d.delete_endpoint, **e)


def test_connections_schemas_and_refresh(awssim):
    d, ri, src, tgt = world(awssim)
    mssql = d.create_endpoint(EndpointIdentifier="ms", EndpointType="source", EngineName="sqlserver",
                              ServerName="m")["Endpoint"]["EndpointArn"]
    maria = d.create_endpoint(EndpointIdentifier="maria", EndpointType="source", EngineName="mariadb",
                              ServerName="m", DatabaseName="shop")["Endpoint"]["EndpointArn"]
    mysql = d.create_endpoint(EndpointIdentifier="my", EndpointType="source", EngineName="mysql",
                              ServerName="m")["Endpoint"]["EndpointArn"]
    creating = d.create_replication_instance(ReplicationInstanceIdentifier="new", ReplicationInstanceClass="dms.t3.small")
    creating = creating["ReplicationInstance"]["ReplicationInstanceArn"]
    fails("InvalidResourceStateFault", d.test_connection, ReplicationInstanceArn=creating, EndpointArn=src,
          contains="Current state: creating")
    fails("ResourceNotFoundFault", d.test_connection, ReplicationInstanceArn=ri,
          EndpointArn=f"arn:aws:dms:us-east-1:{ACCOUNT}:endpoint:NOPE")
    t = new_task(d, ri, src, tgt, mappings=rules(sel("1", "sales", "orders"), sel("2", "hr", "people")))
    for ep in (src, mssql, maria, mysql):
        d.test_connection(ReplicationInstanceArn=ri, EndpointArn=ep)
    fails("InvalidResourceStateFault", d.test_connection, ReplicationInstanceArn=ri, EndpointArn=src,
          contains="already in progress")
    fails("InvalidResourceStateFault", d.delete_connection, ReplicationInstanceArn=ri, EndpointArn=src)
    fails("InvalidResourceStateFault", d.describe_schemas, EndpointArn=src)
    awssim.advance(15)
    # a successful connection test makes the schemas known: those of tasks reading the endpoint, else the engine's
    assert d.describe_schemas(EndpointArn=src)["Schemas"] == ["sales", "hr"]
    assert d.describe_schemas(EndpointArn=mssql)["Schemas"] == ["dbo"]
    assert d.describe_schemas(EndpointArn=maria)["Schemas"] == ["shop"]
    assert d.describe_schemas(EndpointArn=mysql)["Schemas"] == ["admin"]
    st = d.describe_refresh_schemas_status(EndpointArn=src)["RefreshSchemasStatus"]
    assert st["Status"] == "successful" and st["ReplicationInstanceArn"] == ri
    # schema refresh of an endpoint that cannot connect fails with the fault's message
    awssim.control("POST", "faults", {"service": "dms", "endpoint": "tgt", "kind": "connection-fails", "message": "refused"})
    assert d.refresh_schemas(ReplicationInstanceArn=ri, EndpointArn=tgt)["RefreshSchemasStatus"]["Status"] == "refreshing"
    awssim.advance(15)
    st = d.describe_refresh_schemas_status(EndpointArn=tgt)["RefreshSchemasStatus"]
    assert st["Status"] == "failed" and st["LastFailureMessage"] == "refused"
    # a connection whose endpoint is deleted while it is tested fails; deleting an endpoint drops its connections
    d.delete_replication_task(ReplicationTaskArn=t)
    awssim.advance(10)
    d.test_connection(ReplicationInstanceArn=ri, EndpointArn=mysql)
    d.delete_endpoint(EndpointArn=mssql)
    assert {c["EndpointArn"] for c in d.describe_connections()["Connections"]} == {src, maria, mysql}
    fails("ResourceNotFoundFault", d.describe_connections, Filters=[{"Name": "endpoint-arn", "Values": [mssql]}])
    # ModifyEndpoint retests the endpoint's connections
    d.modify_endpoint(EndpointArn=maria, Port=3310)
    conns = {c["EndpointArn"]: c["Status"] for c in d.describe_connections()["Connections"]}
    assert conns[maria] == "testing"


# ---------------------------------------------------------------------------------------------------------------
# Certificates and event subscriptions
# ---------------------------------------------------------------------------------------------------------------
def test_certificates(awssim):
    d = awssim.client("dms")
    fails("InvalidParameterValueException", d.import_certificate, CertificateIdentifier="c",
          contains="Either CertificatePem or CertificateWallet")
    fails("InvalidParameterCombinationException", d.import_certificate, CertificateIdentifier="c",
          CertificatePem="x", CertificateWallet=b"w")
    fails("InvalidParameterValueException", d.import_certificate, CertificateIdentifier="c", CertificateWallet=b"w",
          Tags=[{"Key": "aws:k", "Value": "v"}])
    c = d.import_certificate(CertificateIdentifier="wallet", CertificateWallet=b"\x00oracle-wallet",
                             KmsKeyId=KMS)["Certificate"]
    # a wallet is valid for a year from its import
    assert (c["ValidToDate"] - c["ValidFromDate"]).days == 365 and c["KmsKeyId"] == KMS
    assert c["CertificateOwner"] == ACCOUNT and c["CertificateWallet"] == b"\x00oracle-wallet"
    fails("ResourceAlreadyExistsFault", d.import_certificate, CertificateIdentifier="wallet", CertificateWallet=b"w")
    fails("ResourceNotFoundFault", d.describe_certificates, Filters=[{"Name": "certificate-id", "Values": ["other"]}])
    assert d.delete_certificate(CertificateArn=c["CertificateArn"])["Certificate"]["CertificateIdentifier"] == "wallet"
    assert d.describe_certificates()["Certificates"] == []
    for i in range(100):  # AWS quota: 100 certificates per account and region
        d.import_certificate(CertificateIdentifier=f"w{i}", CertificateWallet=b"w")
    fails("ResourceQuotaExceededFault", d.import_certificate, CertificateIdentifier="w100", CertificateWallet=b"w")
    # DescribeCertificates pages 10 certificates by default (the API reference: "Default: 10")
    page = d.describe_certificates()
    assert [c["CertificateIdentifier"] for c in page["Certificates"]] == [f"w{i}" for i in range(10)]
    page = d.describe_certificates(Marker=page["Marker"], MaxRecords=100)
    assert len(page["Certificates"]) == 90 and "Marker" not in page


def test_event_subscriptions(awssim):
    d = awssim.client("dms")
    fails("InvalidParameterValueException", d.create_event_subscription, SubscriptionName="s", SnsTopicArn=TOPIC,
          SourceType="endpoint", contains="Invalid source type")
    fails("InvalidParameterValueException", d.create_event_subscription, SubscriptionName="s", SnsTopicArn=TOPIC,
          SourceType="replication-task", EventCategories=["low storage"], contains="low storage")
    fails("InvalidParameterValueException", d.create_event_subscription, SubscriptionName="s", SnsTopicArn=TOPIC,
          EventCategories=["explosion"])
    fails("InvalidParameterValueException", d.create_event_subscription, SubscriptionName="s", SnsTopicArn=TOPIC,
          Tags=[{"Key": "aws:x", "Value": "v"}])
    # without a source type, categories of either source type are accepted
    s = d.create_event_subscription(SubscriptionName="all", SnsTopicArn=TOPIC, EventCategories=["low storage", "state change"],
                                    SourceIds=["ri-1"], Enabled=False)["EventSubscription"]
    assert s["EventCategoriesList"] == ["low storage", "state change"] and s["SourceIdsList"] == ["ri-1"]
    assert s["Enabled"] is False and s["CustomerAwsId"] == ACCOUNT and s["Status"] == "active"
    fails("ResourceAlreadyExistsFault", d.create_event_subscription, SubscriptionName="all", SnsTopicArn=TOPIC)
    fails("InvalidParameterValueException", d.modify_event_subscription, SubscriptionName="all",
          SourceType="replication-instance", EventCategories=["state change"])
    s = d.modify_event_subscription(SubscriptionName="all", SourceType="replication-instance",
                                    EventCategories=["failover"], SnsTopicArn=TOPIC + "2")["EventSubscription"]
    assert (s["SourceType"], s["EventCategoriesList"], s["SnsTopicArn"]) == ("replication-instance", ["failover"], TOPIC + "2")
    subs = d.describe_event_subscriptions(Filters=[{"Name": "event-subscription-id", "Values": ["all"]}])
    assert [x["CustSubscriptionId"] for x in subs["EventSubscriptionsList"]] == ["all"]
    for i in range(19):  # AWS quota: 20 event subscriptions
        d.create_event_subscription(SubscriptionName=f"s{i}", SnsTopicArn=TOPIC)
    fails("ResourceQuotaExceededFault", d.create_event_subscription, SubscriptionName="s19", SnsTopicArn=TOPIC)
    assert len(d.describe_event_subscriptions(MaxRecords=20)["EventSubscriptionsList"]) == 20


# ---------------------------------------------------------------------------------------------------------------
# Premigration assessment runs
# ---------------------------------------------------------------------------------------------------------------
def test_assessment_run_validation_and_lifecycle(awssim):
    d, ri, src, tgt = world(awssim)
    t = new_task(d, ri, src, tgt)
    base = dict(ReplicationTaskArn=t, ServiceAccessRoleArn=ROLE, ResultLocationBucket="results-bucket")
    fails("InvalidResourceStateFault", d.start_replication_task_assessment_run, AssessmentRunName="r", **base,
          contains="creating state")
    awssim.advance(30)
    fails("InvalidParameterCombinationException", d.start_replication_task_assessment_run, AssessmentRunName="r",
          IncludeOnly=["all-target-tables-present"], Exclude=["mysql-check-binlog-format"], **base)
    fails("InvalidParameterValueException", d.start_replication_task_assessment_run, AssessmentRunName="r",
          ReplicationTaskArn=t, ServiceAccessRoleArn=ROLE, ResultLocationBucket="Bad_Bucket")
    fails("InvalidParameterValueException", d.start_replication_task_assessment_run, AssessmentRunName="r",
          ReplicationTaskArn=t, ServiceAccessRoleArn="arn:aws:iam::1:user/u", ResultLocationBucket="b-1")
    fails("InvalidParameterValueException", d.start_replication_task_assessment_run, AssessmentRunName="r",
          ResultEncryptionMode="ROT13", **base)
    fails("InvalidParameterCombinationException", d.start_replication_task_assessment_run, AssessmentRunName="r",
          ResultEncryptionMode="SSE_KMS", **base)
    fails("InvalidParameterValueException", d.start_replication_task_assessment_run, AssessmentRunName="r",
          IncludeOnly=["all-target-tables-present", "vibe-check"], **base, contains="vibe-check")
    fails("InvalidParameterValueException", d.start_replication_task_assessment_run, AssessmentRunName="r",
          Tags=[{"Key": "aws:a", "Value": "b"}], **base)
    run = d.start_replication_task_assessment_run(
        AssessmentRunName="r1", IncludeOnly=["all-target-tables-present", "unsupported-data-types-in-source"],
        ResultLocationFolder="runs", ResultEncryptionMode="SSE_KMS", ResultKmsKeyArn=KMS, **base)["ReplicationTaskAssessmentRun"]
    arn = run["ReplicationTaskAssessmentRunArn"]
    assert run["AssessmentProgress"] == {"IndividualAssessmentCount": 2, "IndividualAssessmentCompletedCount": 0}
    assert (run["ResultLocationFolder"], run["ResultKmsKeyArn"]) == ("runs", KMS)
    fails("InvalidResourceStateFault", d.delete_replication_task_assessment_run, ReplicationTaskAssessmentRunArn=arn)
    # provisioning (30 s) -> running (60 s) -> passed
    awssim.advance(30)
    runs = d.describe_replication_task_assessment_runs(Filters=[{"Name": "status", "Values": ["running"]}])
    assert [r["ReplicationTaskAssessmentRunArn"] for r in runs["ReplicationTaskAssessmentRuns"]] == [arn]
    ind = d.describe_replication_task_individual_assessments(
        Filters=[{"Name": "replication-task-assessment-run-arn", "Values": [arn]}])["ReplicationTaskIndividualAssessments"]
    assert {i["Status"] for i in ind} == {"in-progress"} and all("ReplicationTaskIndividualAssessmentStartDate" in i for i in ind)
    awssim.advance(60)
    run = d.describe_replication_task_assessment_runs(
        Filters=[{"Name": "replication-instance-arn", "Values": [ri]}])["ReplicationTaskAssessmentRuns"][0]
    assert run["Status"] == "passed" and run["ResultStatistic"]["Passed"] == 2
    assert run["AssessmentProgress"]["IndividualAssessmentCompletedCount"] == 2
    fails("InvalidResourceStateFault", d.cancel_replication_task_assessment_run, ReplicationTaskAssessmentRunArn=arn,
          contains="passed state")
    fails("ResourceNotFoundFault", d.describe_replication_task_individual_assessments,
          Filters=[{"Name": "status", "Values": ["failed"]}])
    # a second run becomes the latest; deleting the first leaves it
    run2 = d.start_replication_task_assessment_run(AssessmentRunName="r2", Exclude=["mysql-check-binlog-format"],
                                                   **base)["ReplicationTaskAssessmentRun"]
    assert run2["AssessmentProgress"]["IndividualAssessmentCount"] == 9
    gone = d.delete_replication_task_assessment_run(ReplicationTaskAssessmentRunArn=arn)["ReplicationTaskAssessmentRun"]
    assert gone["Status"] == "deleting" and gone["IsLatestTaskAssessmentRun"] is False
    runs = d.describe_replication_task_assessment_runs()["ReplicationTaskAssessmentRuns"]
    assert [(r["AssessmentRunName"], r["IsLatestTaskAssessmentRun"]) for r in runs] == [("r2", True)]


# ---------------------------------------------------------------------------------------------------------------
# Replication tasks (dms_task.c)
# ---------------------------------------------------------------------------------------------------------------
BAD_MAPPINGS = [
    ({"rule-type": "selection", "rule-name": "a", "object-locator": {"schema-name": "s", "table-name": "t"},
      "rule-action": "include"}, "ruleId = null failed validation. rule-id is required"),
    ({"rule-type": "selection", "rule-id": "1", "object-locator": {"schema-name": "s", "table-name": "t"},
      "rule-action": "include"}, "rule-name is required"),
    ({"rule-type": "selection", "rule-id": "1", "rule-name": "b", "rule-action": "include"},
     "object-locator with schema-name is required"),
    (sel("1", "s%", "t", "explicit"), "Wildcards are not allowed with rule-action explicit"),
    ({"rule-type": "transformation", "rule-id": "2", "rule-name": "x", "rule-target": "galaxy",
      "object-locator": {"schema-name": "s"}, "rule-action": "rename", "value": "v"}, "Invalid rule-target"),
    ({"rule-type": "transformation", "rule-id": "2", "rule-name": "x", "rule-target": "schema",
      "object-locator": {"schema-name": "s"}, "rule-action": "shred"}, "not supported for rule type transformation"),
    ({"rule-type": "transformation", "rule-id": "2", "rule-name": "x", "rule-target": "schema",
      "object-locator": {"schema-name": "s"}, "rule-action": "rename"}, "rename requires a value"),
    ({"rule-type": "table-settings", "rule-id": "2", "rule-name": "x", "object-locator": {"schema-name": "s"}},
     "table-name is required for table-settings rules"),
]


def test_table_mappings_and_task_settings_validation(awssim):
    d, ri, src, tgt = world(awssim)
    for rule, why in BAD_MAPPINGS:
        fails("InvalidParameterValueException", new_task, d, ri, src, tgt, mappings=rules(sel("9", name="keep"), rule),
              contains=why)
    fails("InvalidParameterValueException", new_task, d, ri, src, tgt, mappings=rules(sel("1"), sel("1", name="other")),
          contains="ruleId = 1 failed validation. Duplicate rule-id")
    fails("InvalidParameterValueException", new_task, d, ri, src, tgt, mappings=rules(sel("1", name="n"), sel("2", name="n")),
          contains="Duplicate rule-name")
    fails("InvalidParameterValueException", new_task, d, ri, src, tgt, ReplicationTaskSettings="{nope",
          contains="Invalid task settings JSON")
    fails("InvalidParameterValueException", new_task, d, ri, src, tgt, ReplicationTaskSettings='{"Logging": true}',
          contains="Logging must be an object")
    # numeric rule ids and names are accepted; exclude rules remove tables the selections named
    good = rules({"rule-type": "selection", "rule-id": 1, "rule-name": 1, "object-locator": {"schema-name": "sales", "table-name": "ord%"},
                  "rule-action": "include"},
                 sel("2", "%", "customers"), sel("3", "hr%", "people"),
                 sel("4", "sales", "ord_2", "exclude"),
                 {"rule-type": "transformation", "rule-id": "5", "rule-name": "5", "rule-target": "schema",
                  "object-locator": {"schema-name": "sales"}, "rule-action": "rename", "value": "sales2"},
                 {"rule-type": "table-settings", "rule-id": "6", "rule-name": "6",
                  "object-locator": {"schema-name": "sales", "table-name": "ord_1"}, "parallel-load": {"type": "partitions-auto"}})
    settings = json.dumps({"FullLoadSettings": {"MaxFullLoadSubTasks": 1, "NewKnob": 7}, "MySection": {"a": 1},
                           "FailTaskWhenCleanTaskResourceFailed": True})
    t = new_task(d, ri, src, tgt, mappings=good, ReplicationTaskSettings=settings)
    merged = json.loads(task(d, t)["ReplicationTaskSettings"])
    assert merged["FullLoadSettings"]["NewKnob"] == 7 and merged["FullLoadSettings"]["CommitRate"] == 10000
    assert merged["MySection"] == {"a": 1} and merged["FailTaskWhenCleanTaskResourceFailed"] is True
    awssim.advance(30)
    d.start_replication_task(ReplicationTaskArn=t, StartReplicationTaskType="start-replication")
    awssim.advance(15 + 5)
    stats = d.describe_table_statistics(ReplicationTaskArn=t)["TableStatistics"]
    assert [(s["SchemaName"], s["TableName"], s["TableState"]) for s in stats] == [
        ("sales", "ord_1", "Full load"), ("sales", "ord_3", "Before load"),
        ("public", "customers", "Before load"), ("hr_1", "people", "Before load")]  # one sub-task: one table at a time
    assert "FullLoadStartTime" in stats[0] and "FullLoadStartTime" not in stats[1]
    queued = d.describe_table_statistics(ReplicationTaskArn=t, Filters=[{"Name": "table-state", "Values": ["Before load"]}])
    assert len(queued["TableStatistics"]) == 3
    ts = task(d, t)["ReplicationTaskStats"]
    assert (ts["TablesLoading"], ts["TablesQueued"], ts["TablesLoaded"]) == (1, 3, 0)


def test_table_statistics_paging_and_empty_tables(awssim):
    d, ri, src, tgt = world(awssim)
    t = new_task(d, ri, src, tgt, mtype="full-load")
    awssim.advance(30)
    tables = [{"schema": "s", "table": f"t{i:02d}", "rows": 0} for i in range(22)]
    assert awssim.control("POST", "dms/tables", {"task": t, "tables": tables})[0] == 200
    # botocore's documentation of DescribeTableStatistics: MaxRecords minimum 20, maximum 500
    fails("InvalidParameterValueException", d.describe_table_statistics, ReplicationTaskArn=t, MaxRecords=10,
          contains="between 20 and 500")
    fails("InvalidParameterValueException", d.describe_table_statistics, ReplicationTaskArn=t, MaxRecords=501)
    d.start_replication_task(ReplicationTaskArn=t, StartReplicationTaskType="start-replication")
    awssim.advance(15)
    page = d.describe_table_statistics(ReplicationTaskArn=t, MaxRecords=20)
    assert len(page["TableStatistics"]) == 20 and page["Marker"] == "20"
    rest = d.describe_table_statistics(ReplicationTaskArn=t, MaxRecords=20, Marker=page["Marker"])
    assert [s["TableName"] for s in rest["TableStatistics"]] == ["t20", "t21"] and "Marker" not in rest
    fails("InvalidParameterValueException", d.describe_table_statistics, ReplicationTaskArn=t, Marker="23")
    # tables without rows load at once: the task finishes its full load
    assert task(d, t)["ReplicationTaskStats"]["FullLoadProgressPercent"] == 100
    awssim.advance(1)
    assert task(d, t)["Status"] == "stopped"
    # control hook input errors
    assert awssim.control("POST", "dms/tables", {"task": t, "tables": {"s": 1}})[0] == 400
    assert awssim.control("POST", "dms/tables", {"task": t, "tables": [{"schema": "s", "table": "t", "rowsPerSecond": 0}]})[0] == 400
    assert awssim.control("POST", "dms/tables", {"tables": []})[0] == 400


def test_task_create_modify_delete_rules(awssim):
    d, ri, src, tgt = world(awssim)
    fails("InvalidParameterCombinationException", new_task, d, ri, src, tgt, CdcStartTime=1767225600,
          CdcStartPosition="checkpoint:V1#1")
    fails("InvalidParameterCombinationException", new_task, d, ri, src, tgt, mtype="full-load",
          CdcStopPosition="server_time:2026-01-01T00:00:00", contains="only valid for tasks with CDC")
    fails("InvalidParameterValueException", new_task, d, ri, src, tgt, Tags=[{"Key": "aws:t", "Value": "v"}])
    fails("InvalidParameterValueException", new_task, d, ri, tgt, src, contains="is not a source endpoint")
    busy = d.create_replication_instance(ReplicationInstanceIdentifier="busy", ReplicationInstanceClass="dms.t3.small")
    busy = busy["ReplicationInstance"]["ReplicationInstanceArn"]
    fails("InvalidResourceStateFault", new_task, d, busy, src, tgt, contains="Current state: creating")
    t = new_task(d, ri, src, tgt, ident="Main", CdcStartPosition="mysql-bin-changelog.000024:373",
                 CdcStopPosition="server_time:2030-01-01T00:00:00", TaskData='{"k": 1}')
    view = task(d, t)
    assert (view["ReplicationTaskIdentifier"], view["CdcStartPosition"], view["CdcStopPosition"], view["TaskData"]) == \
        ("main", "mysql-bin-changelog.000024:373", "server_time:2030-01-01T00:00:00", '{"k": 1}')
    fails("ResourceAlreadyExistsFault", new_task, d, ri, src, tgt, ident="MAIN")
    other = new_task(d, ri, src, tgt, ident="other")
    awssim.advance(30)
    m = dict(ReplicationTaskArn=t)
    fails("InvalidParameterValueException", d.modify_replication_task, ReplicationTaskIdentifier="9lives", **m)
    fails("InvalidParameterValueException", d.modify_replication_task, TableMappings='{"rules": []}', **m)
    fails("InvalidParameterValueException", d.modify_replication_task, ReplicationTaskSettings="[]", **m)
    fails("InvalidParameterCombinationException", d.modify_replication_task, CdcStartTime=1767225600,
          CdcStartPosition="x", **m)
    fails("ResourceAlreadyExistsFault", d.modify_replication_task, ReplicationTaskIdentifier="Other", **m)
    r = d.modify_replication_task(ReplicationTaskIdentifier="Renamed", MigrationType="full-load",
                                  TableMappings=rules(sel("1", "app", "users")), CdcStartPosition="p2",
                                  CdcStopPosition="server_time:2031-01-01T00:00:00", TaskData="{}", **m)["ReplicationTask"]
    assert (r["ReplicationTaskIdentifier"], r["MigrationType"], r["Status"]) == ("renamed", "full-load", "modifying")
    fails("InvalidResourceStateFault", d.modify_replication_task, TaskData="{}", **m, contains="modifying state")
    awssim.advance(30)
    assert task(d, t)["Status"] == "ready"
    # moving: the target instance must exist and be available, the task idle
    fails("ResourceNotFoundFault", d.move_replication_task, TargetReplicationInstanceArn=busy + "X", **m)
    fails("InvalidResourceStateFault", d.move_replication_task, TargetReplicationInstanceArn=busy, **m)
    # the task's instance must be available to start it
    d.reboot_replication_instance(ReplicationInstanceArn=ri)
    fails("InvalidResourceStateFault", d.start_replication_task, StartReplicationTaskType="start-replication", **m)
    awssim.advance(60)
    d.start_replication_task(StartReplicationTaskType="start-replication", **m)
    fails("InvalidResourceStateFault", d.move_replication_task, TargetReplicationInstanceArn=ri, **m,
          contains="starting state")
    awssim.advance(15)
    stats = d.describe_table_statistics(ReplicationTaskArn=t)["TableStatistics"]
    assert [(s["SchemaName"], s["TableName"]) for s in stats] == [("app", "users")]  # the modified mappings
    d.stop_replication_task(**m)
    fails("InvalidResourceStateFault", d.stop_replication_task, **m, contains="already being stopped")
    awssim.advance(10)
    d.delete_replication_task(**m)
    fails("InvalidResourceStateFault", d.delete_replication_task, **m, contains="already being deleted")
    awssim.advance(10)
    assert [x["ReplicationTaskArn"] for x in d.describe_replication_tasks()["ReplicationTasks"]] == [other]


def test_pending_task_failure_fault_fires_when_the_task_runs(awssim):
    d, ri, src, tgt = world(awssim)
    t = new_task(d, ri, src, tgt, mtype="cdc")
    awssim.advance(30)
    # due now, but the task is not running: the fault waits for it
    status, body = awssim.control("POST", "faults", {"service": "dms", "task": t, "kind": "task-fails", "id": "boom",
                                                     "message": "ORA-00942"})
    assert status == 200, body
    assert [f["fired"] for f in awssim.control("GET", "faults")[1]["dms"] if f["id"] == "boom"] == [0]
    d.start_replication_task(ReplicationTaskArn=t, StartReplicationTaskType="start-replication",
                             CdcStartTime=1767225600)
    awssim.advance(15)
    view = task(d, t)
    assert (view["Status"], view["LastFailureMessage"], view["StopReason"]) == ("failed", "ORA-00942", "Stop Reason FATAL_ERROR")
    assert [f["fired"] for f in awssim.control("GET", "faults")[1]["dms"] if f["id"] == "boom"] == [1]
    failures = d.describe_events(SourceIdentifier="task", EventCategories=["failure"])["Events"]
    assert [e["Message"] for e in failures] == ["Replication task has failed."]
    # fired once: a resume runs
    d.start_replication_task(ReplicationTaskArn=t, StartReplicationTaskType="resume-processing")
    awssim.advance(15)
    assert task(d, t)["Status"] == "running"
    # control input errors
    for bad in ({"service": "dms", "task": t, "kind": "table-fails", "schema": "s"},
                {"service": "dms", "task": t, "kind": "lag", "seconds": 5, "from": "yesterday"},
                {"service": "dms", "kind": "lag", "seconds": 5},
                {"service": "dms", "task": t, "kind": "lag"},
                {"service": "dms", "kind": "connection-fails"}):
        assert awssim.control("POST", "faults", bad)[0] == 400, bad


def test_cdc_faults_shape_latency_metrics_and_applied_changes(awssim):
    d, ri, src, tgt = world(awssim)
    t = new_task(d, ri, src, tgt, mtype="full-load-and-cdc")
    awssim.advance(30)
    # a big table: the full load takes 1000 s at 1000 rows/s
    awssim.control("POST", "dms/tables", {"task": t, "tables": [{"schema": "s", "table": "big", "rows": 1000000,
                                                                  "rowsPerSecond": 1000, "cdcInsertsPerSecond": 2}]})
    d.start_replication_task(ReplicationTaskArn=t, StartReplicationTaskType="start-replication")
    now = awssim.control("GET", "clock")[1]["nowMs"] / 1000
    start = now + 15
    # after the full load (at start + 1000 s): source lag 100 s from +1200 s, then CDC stalls from +1500 s
    awssim.control("POST", "faults", {"service": "dms", "task": t, "kind": "lag", "seconds": 100, "on": "source",
                                      "from": start + 1200, "until": start + 1500})
    from datetime import datetime, timezone
    iso = datetime.fromtimestamp(start + 1500, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    awssim.control("POST", "faults", {"service": "dms", "task": t, "kind": "cdc-stalled", "from": iso})
    awssim.advance(15 + 1800)
    metrics = awssim.control("GET", "metrics?namespace=AWS/DMS")[1]["metrics"]

    def series(name):
        return {round(float(datetime.fromisoformat(m["Timestamp"].replace("Z", "+00:00")).timestamp() - start)): m["Value"]
                for m in metrics if m["MetricName"] == name}
    fl = series("FullLoadThroughputRowsSource")
    assert fl and set(fl.values()) == {1000} and max(fl) < 1000
    src_lat, tgt_lat = series("CDCLatencySource"), series("CDCLatencyTarget")
    assert src_lat[1245] == 100 and tgt_lat[1245] == 102  # source lag delays the target too
    assert src_lat[1545] == 1 and tgt_lat[1545] == 2 + 45  # stalled for 45 s
    assert tgt_lat[1785] == 2 + 285
    assert series("CDCThroughputRowsTarget")[1785] == 0  # nothing applied while stalled
    # table statistics: changes captured but not applied while the target lags
    st = d.describe_table_statistics(ReplicationTaskArn=t)["TableStatistics"][0]
    cdc_s = 1815 - 15 - 1000
    assert st["Inserts"] == 2 * cdc_s and st["AppliedInserts"] == 2 * (cdc_s - 300)


# ---------------------------------------------------------------------------------------------------------------
# Serverless replication configs and replications
# ---------------------------------------------------------------------------------------------------------------
def test_replication_config_rules_and_run(awssim):
    d, ri, src, tgt = world(awssim)
    d.create_replication_subnet_group(ReplicationSubnetGroupIdentifier="grp", ReplicationSubnetGroupDescription="g",
                                      SubnetIds=["subnet-1", "subnet-2"])

    def create(ident="cfg", compute=None, **kw):
        return d.create_replication_config(ReplicationConfigIdentifier=ident, SourceEndpointArn=src, TargetEndpointArn=tgt,
                                           ComputeConfig={"MaxCapacityUnits": 4} if compute is None else compute, ReplicationType="cdc",
                                           TableMappings=MAPPINGS, **kw)["ReplicationConfig"]["ReplicationConfigArn"]
    fails("InvalidParameterValueException", create, compute={}, contains="MaxCapacityUnits is required")
    fails("InvalidParameterCombinationException", create, compute={"MaxCapacityUnits": 4, "MinCapacityUnits": 8})
    fails("InvalidParameterCombinationException", create, compute={"MaxCapacityUnits": 4, "MultiAZ": True,
                                                                    "AvailabilityZone": "us-east-1a"})
    fails("ResourceNotFoundFault", create, compute={"MaxCapacityUnits": 4, "ReplicationSubnetGroupId": "nope"})
    fails("InvalidParameterValueException", create, Tags=[{"Key": "", "Value": "v"}])
    cfg = create(compute={"MaxCapacityUnits": 4, "MinCapacityUnits": 1, "ReplicationSubnetGroupId": "GRP"})
    fails("ResourceAlreadyExistsFault", create)
    other = create("other")
    m = dict(ReplicationConfigArn=cfg)
    fails("InvalidParameterValueException", d.modify_replication_config, ReplicationConfigIdentifier="a--b", **m)
    fails("InvalidParameterValueException", d.modify_replication_config, ComputeConfig={"MaxCapacityUnits": 5}, **m)
    fails("InvalidParameterValueException", d.modify_replication_config, TableMappings="{}", **m)
    fails("InvalidParameterValueException", d.modify_replication_config, ReplicationSettings="3", **m)
    fails("InvalidParameterValueException", d.modify_replication_config, SourceEndpointArn=tgt, **m)
    fails("ResourceAlreadyExistsFault", d.modify_replication_config, ReplicationConfigIdentifier="other", **m)
    c = d.modify_replication_config(ReplicationConfigIdentifier="cfg2", TableMappings=rules(sel("1", "crm", "leads")),
                                    ReplicationSettings=json.dumps({"Logging": {"EnableLogging": True}}), **m)["ReplicationConfig"]
    assert c["ReplicationConfigIdentifier"] == "cfg2" and json.loads(c["ReplicationSettings"])["Logging"]["EnableLogging"]
    # premigration assessment settings must be JSON naming a role and a bucket
    start = dict(StartReplicationType="start-replication", **m)
    fails("InvalidParameterValueException", d.start_replication, PremigrationAssessmentSettings="nope", **start)
    fails("InvalidParameterValueException", d.start_replication, PremigrationAssessmentSettings='{"ResultLocationBucket": "b"}',
          **start, contains="ServiceAccessRoleArn")
    fails("InvalidParameterCombinationException", d.start_replication, CdcStartTime=1767225600, CdcStartPosition="x", **start)
    rep = d.start_replication(CdcStartTime=1767225600, CdcStopPosition="server_time:2030-01-01T00:00:00", **start)["Replication"]
    assert rep["Status"] == "initializing" and rep["CdcStopPosition"] == "server_time:2030-01-01T00:00:00"
    assert rep["CdcStartTime"].timestamp() == 1767225600
    fails("InvalidResourceStateFault", d.start_replication, **start,
          contains=f"Replication Config: {cfg.rsplit(':', 1)[1]} is in INITIALIZING state")
    fails("InvalidResourceStateFault", d.modify_replication_config, ReplicationConfigIdentifier="x", **m)
    d.start_replication(ReplicationConfigArn=other, StartReplicationType="start-replication", CdcStartPosition="pos-1")
    rep = [r for r in d.describe_replications()["Replications"] if r["ReplicationConfigArn"] == other][0]
    assert rep["CdcStartPosition"] == "pos-1"
    awssim.advance(120)
    assert d.reload_replication_tables(ReplicationConfigArn=cfg, TablesToReload=[{"SchemaName": "crm", "TableName": "leads"}],
                                       ReloadOption="data-reload")["ReplicationConfigArn"] == cfg
    awssim.advance(10)
    st = d.describe_replication_table_statistics(ReplicationConfigArn=cfg)["ReplicationTableStatistics"]
    assert [(s["TableName"], s["FullLoadReloaded"]) for s in st] == [("leads", True)]
    d.stop_replication(**m)
    fails("InvalidResourceStateFault", d.stop_replication, **m, contains="already being stopped")


# ---------------------------------------------------------------------------------------------------------------
# Schema conversion resources, data migrations, metadata-model requests (dms_misc.c)
# ---------------------------------------------------------------------------------------------------------------
PG = {"PostgreSqlSettings": {"ServerName": "pg.db", "Port": 5432, "DatabaseName": "app", "SslMode": "none"}}
SELECTION = rules({"rule-type": "selection", "rule-id": "1", "rule-name": "1",
                   "object-locator": {"server-name": "db", "schema-name": "public", "table-name": "orders"},
                   "rule-action": "explicit"})


def test_data_providers_instance_profiles_and_projects(awssim):
    d = awssim.client("dms")
    fails("InvalidParameterValueException", d.create_data_provider, DataProviderName="x", Engine="foxpro", Settings=PG)
    fails("InvalidParameterValueException", d.create_data_provider, DataProviderName="x", Engine="postgres", Settings={},
          contains="exactly one engine settings object")
    # unnamed resources are named after their ARN suffix
    anon = d.create_data_provider(Engine="postgres", Settings=PG)["DataProvider"]
    assert anon["DataProviderName"] == "dp-" + anon["DataProviderArn"].rsplit(":", 1)[1].lower()
    src = d.create_data_provider(DataProviderName="src", Engine="postgres", Settings=PG)["DataProvider"]["DataProviderArn"]
    d.create_data_provider(DataProviderName="tgt", Engine="aurora-postgresql", Settings=PG)
    # Modify without ExactSettings merges into the engine's settings; another engine's settings replace them
    p = d.modify_data_provider(DataProviderIdentifier="src", Settings={"PostgreSqlSettings": {"Port": 6432}},
                               Description="primary")["DataProvider"]
    assert p["Settings"]["PostgreSqlSettings"] == {"ServerName": "pg.db", "Port": 6432, "DatabaseName": "app", "SslMode": "none"}
    assert p["Description"] == "primary"
    p = d.modify_data_provider(DataProviderIdentifier=src, Engine="mysql",
                               Settings={"MySqlSettings": {"ServerName": "my.db", "Port": 3306}})["DataProvider"]
    assert p["Settings"] == {"MySqlSettings": {"ServerName": "my.db", "Port": 3306}} and p["Engine"] == "mysql"
    p = d.modify_data_provider(DataProviderIdentifier=src, ExactSettings=True, Engine="postgres", Settings=PG)["DataProvider"]
    assert p["Settings"] == PG
    fails("ResourceAlreadyExistsFault", d.modify_data_provider, DataProviderIdentifier="src", DataProviderName="tgt")
    fails("InvalidParameterValueException", d.modify_data_provider, DataProviderIdentifier="src", Engine="foxpro")
    assert d.modify_data_provider(DataProviderIdentifier="src", DataProviderName="source")["DataProvider"]["DataProviderName"] == "source"
    # instance profiles
    fails("ResourceNotFoundFault", d.create_instance_profile, InstanceProfileName="ip", SubnetGroupIdentifier="nope")
    fails("InvalidParameterValueException", d.create_instance_profile, InstanceProfileName="ip", NetworkType="IPV6")
    fails("KMSKeyNotAccessibleFault", d.create_instance_profile, InstanceProfileName="ip", KmsKeyArn="k")
    ip = d.create_instance_profile(InstanceProfileName="ip", PubliclyAccessible=False)["InstanceProfile"]
    assert (ip["PubliclyAccessible"], ip["NetworkType"]) == (False, "IPV4")
    d.create_instance_profile(InstanceProfileName="ip2")
    fails("InvalidParameterValueException", d.modify_instance_profile, InstanceProfileIdentifier="ip", NetworkType="X")
    fails("ResourceAlreadyExistsFault", d.modify_instance_profile, InstanceProfileIdentifier="ip", InstanceProfileName="ip2")
    ip = d.modify_instance_profile(InstanceProfileIdentifier="ip", InstanceProfileName="profile",
                                   NetworkType="DUAL")["InstanceProfile"]
    assert (ip["InstanceProfileName"], ip["NetworkType"]) == ("profile", "DUAL")
    assert d.describe_instance_profiles(Filters=[{"Name": "instance-profile-identifier", "Values": [ip["InstanceProfileArn"]]}]
                                        )["InstanceProfiles"][0]["InstanceProfileName"] == "profile"
    # migration projects
    proj = dict(InstanceProfileIdentifier="profile",
                SourceDataProviderDescriptors=[{"DataProviderIdentifier": "source", "SecretsManagerSecretId": "s",
                                                "SecretsManagerAccessRoleArn": ROLE}],
                TargetDataProviderDescriptors=[{"DataProviderIdentifier": "tgt"}])
    fails("ResourceNotFoundFault", d.create_migration_project, MigrationProjectName="m",
          **{**proj, "SourceDataProviderDescriptors": [{"DataProviderIdentifier": "ghost"}]}, contains="ghost")
    fails("ResourceNotFoundFault", d.create_migration_project, MigrationProjectName="m",
          **{**proj, "TargetDataProviderDescriptors": [{"DataProviderIdentifier": "ghost"}]})
    fails("InvalidParameterValueException", d.create_migration_project, MigrationProjectName="m",
          TransformationRules="{rules", **proj)
    mp = d.create_migration_project(MigrationProjectName="m", **proj)["MigrationProject"]
    assert mp["SourceDataProviderDescriptors"][0] == {"SecretsManagerSecretId": "s", "SecretsManagerAccessRoleArn": ROLE,
                                                      "DataProviderName": "source", "DataProviderArn": src}
    d.create_migration_project(MigrationProjectName="m2", **proj)
    d.create_migration_project(MigrationProjectName="m3", InstanceProfileIdentifier="ip2", SourceDataProviderDescriptors=[{"DataProviderIdentifier": "tgt"}],
                               TargetDataProviderDescriptors=[{"DataProviderIdentifier": "tgt"}])
    # the documented filters: migration-project-, instance-profile- and data-provider-identifier (ARN or name)
    def projects(name, value):
        found = d.describe_migration_projects(Filters=[{"Name": name, "Values": [value]}])["MigrationProjects"]
        return sorted(p["MigrationProjectName"] for p in found)
    assert projects("instance-profile-identifier", "profile") == ["m", "m2"]
    assert projects("instance-profile-identifier", ip["InstanceProfileArn"]) == ["m", "m2"]
    assert projects("data-provider-identifier", src) == ["m", "m2"]
    assert projects("data-provider-identifier", "tgt") == ["m", "m2", "m3"]
    assert projects("migration-project-identifier", "m3") == ["m3"]
    d.delete_migration_project(MigrationProjectIdentifier="m3")
    fails("ResourceAlreadyExistsFault", d.modify_migration_project, MigrationProjectIdentifier="m", MigrationProjectName="m2")
    fails("ResourceNotFoundFault", d.modify_migration_project, MigrationProjectIdentifier="m", InstanceProfileIdentifier="nope")
    # in use: profile and providers cannot be deleted while a project names them
    fails("InvalidResourceStateFault", d.delete_instance_profile, InstanceProfileIdentifier="profile")
    fails("InvalidResourceStateFault", d.delete_data_provider, DataProviderIdentifier="tgt")
    d.modify_conversion_configuration(MigrationProjectIdentifier="m", ConversionConfiguration='{"x": 1}')
    assert d.describe_conversion_configuration(MigrationProjectIdentifier="m")["ConversionConfiguration"] == '{"x": 1}'
    # a project with data migrations cannot be deleted
    d.create_data_migration(MigrationProjectIdentifier="m", DataMigrationType="cdc", ServiceAccessRoleArn=ROLE)
    fails("InvalidResourceStateFault", d.delete_migration_project, MigrationProjectIdentifier="m")
    d.delete_migration_project(MigrationProjectIdentifier="m2")


def test_data_migrations_on_the_clock(awssim):
    d = awssim.client("dms")
    d.create_data_provider(DataProviderName="p", Engine="postgres", Settings=PG)
    d.create_instance_profile(InstanceProfileName="ip")
    d.create_migration_project(MigrationProjectName="m", InstanceProfileIdentifier="ip",
                               SourceDataProviderDescriptors=[{"DataProviderIdentifier": "p"}],
                               TargetDataProviderDescriptors=[{"DataProviderIdentifier": "p"}])
    base = dict(MigrationProjectIdentifier="m", DataMigrationType="full-load", ServiceAccessRoleArn=ROLE)
    fails("ResourceNotFoundFault", d.create_data_migration, **{**base, "MigrationProjectIdentifier": "nope"})
    fails("InvalidParameterValueException", d.create_data_migration, **{**base, "ServiceAccessRoleArn": "role"})
    fails("InvalidParameterValueException", d.create_data_migration, NumberOfJobs=51, **base, contains="between 1 and 50")
    fails("InvalidParameterValueException", d.create_data_migration, SelectionRules="{", **base)
    dm = d.create_data_migration(DataMigrationName="dm", EnableCloudwatchLogs=True, NumberOfJobs=2, SelectionRules=SELECTION,
                                 **base)["DataMigration"]
    assert dm["DataMigrationSettings"] == {"CloudwatchLogsEnabled": True, "NumberOfJobs": 2, "SelectionRules": SELECTION}
    fails("ResourceAlreadyExistsFault", d.create_data_migration, DataMigrationName="dm", **base)
    d.create_data_migration(DataMigrationName="dm2", **base)
    fails("ResourceAlreadyExistsFault", d.modify_data_migration, DataMigrationIdentifier="dm", DataMigrationName="dm2")
    fails("InvalidResourceStateFault", d.stop_data_migration, DataMigrationIdentifier="dm", contains="READY state")
    r = d.start_data_migration(DataMigrationIdentifier="dm", StartType="start-replication")["DataMigration"]
    assert r["DataMigrationStatus"] == "STARTING"
    fails("InvalidResourceStateFault", d.start_data_migration, DataMigrationIdentifier="dm", StartType="resume-processing")
    fails("InvalidResourceStateFault", d.modify_data_migration, DataMigrationIdentifier="dm", NumberOfJobs=3)
    awssim.advance(60)
    r = d.describe_data_migrations(Filters=[{"Name": "data-migration-name", "Values": ["dm"]}])["DataMigrations"][0]
    assert r["DataMigrationStatus"] == "RUNNING" and r["DataMigrationStatistics"]["FullLoadPercentage"] == 20
    awssim.advance(300)  # a full load finishes after five minutes and stops by itself
    r = d.describe_data_migrations(Filters=[{"Name": "data-migration-name", "Values": ["dm"]}])["DataMigrations"][0]
    assert (r["DataMigrationStatus"], r["StopReason"]) == ("STOPPED", "FULL_LOAD_ONLY_FINISHED")
    assert r["DataMigrationStatistics"]["TablesLoaded"] == 1 and "StopTime" in r["DataMigrationStatistics"]
    quiet = d.describe_data_migrations(WithoutSettings=True, WithoutStatistics=True)["DataMigrations"]
    assert all("DataMigrationSettings" not in x and "DataMigrationStatistics" not in x for x in quiet)
    fails("InvalidOperationFault", d.start_data_migration, DataMigrationIdentifier="dm", StartType="start-replication",
          contains="START_REPLICATION")
    r = d.modify_data_migration(DataMigrationIdentifier="dm", DataMigrationName="renamed")["DataMigration"]
    assert r["DataMigrationName"] == "renamed"


def test_metadata_model_requests_and_catalogue_errors(awssim):
    d, ri, src, tgt = world(awssim, engine="mysql")
    d.create_data_provider(DataProviderName="p", Engine="postgres", Settings=PG)
    d.create_instance_profile(InstanceProfileName="ip")
    d.create_migration_project(MigrationProjectName="m", InstanceProfileIdentifier="ip",
                               SourceDataProviderDescriptors=[{"DataProviderIdentifier": "p"}],
                               TargetDataProviderDescriptors=[{"DataProviderIdentifier": "p"}])
    fails("InvalidParameterValueException", d.start_metadata_model_assessment, MigrationProjectIdentifier="m",
          SelectionRules="{not json")
    fails("InvalidParameterValueException", d.export_metadata_model_assessment, MigrationProjectIdentifier="m",
          SelectionRules="[")
    schema_only = rules({"rule-type": "selection", "rule-id": "1", "rule-name": "1",
                         "object-locator": {"server-name": "db", "schema-name": "sales"}, "rule-action": "explicit"})
    assert d.describe_metadata_model(MigrationProjectIdentifier="m", SelectionRules=schema_only,
                                     Origin="SOURCE")["MetadataModelName"] == "sales"
    fails("ResourceNotFoundFault", d.describe_metadata_model, MigrationProjectIdentifier="m", SelectionRules='{"rules": []}',
          Origin="SOURCE")
    # Fleet Advisor: nothing discovered, LSA analysis and recommendations complete on the clock
    assert d.delete_fleet_advisor_databases(DatabaseIds=[])["DatabaseIds"] == []
    assert d.describe_fleet_advisor_databases(Filters=[{"Name": "database-ip-address", "Values": ["10.0.0.1"]}])["Databases"] == []
    fails("InvalidParameterValueException", d.start_recommendations, DatabaseId="db",
          Settings={"InstanceSizingType": "total-capacity", "WorkloadType": "chaos"}, contains="WorkloadType")
    d.start_recommendations(DatabaseId="db", Settings={"InstanceSizingType": "utilization", "WorkloadType": "production"})
    lsa = d.run_fleet_advisor_lsa_analysis()["LsaAnalysisId"]
    awssim.advance(300)
    assert d.describe_fleet_advisor_lsa_analysis()["Analysis"] == [{"LsaAnalysisId": lsa, "Status": "COMPLETED"}]
    assert d.describe_recommendations()["Recommendations"][0]["Status"] == "ready"
    # catalogue and event errors
    fails("InvalidParameterValueException", d.describe_event_categories,
          Filters=[{"Name": "source-type", "Values": ["x"]}])
    fails("InvalidParameterCombinationException", d.describe_events, StartTime=1767225600, EndTime=1767225500)
    # "The only valid filter is replication-instance-id." (a task named like the instance does not match)
    t = new_task(d, ri, src, tgt, ident="ri")
    awssim.advance(30)
    assert {e["SourceType"] for e in d.describe_events(SourceIdentifier="ri")["Events"]} == {"replication-instance",
                                                                                            "replication-task"}
    events = d.describe_events(Filters=[{"Name": "replication-instance-id", "Values": ["ri"]}], Duration=600)["Events"]
    assert [e["Message"] for e in events] == ["Replication instance creating", "Replication instance created"]
    d.delete_replication_task(ReplicationTaskArn=t)
    fails("InvalidParameterValueException", d.describe_events, Filters=[{"Name": "replication-task-id", "Values": ["t"]}])
    assert d.update_subscriptions_to_event_bridge(ForceMove=False)["Result"]
    # applicable assessments for a replication config, and for an instance with engine names
    cfg = d.create_replication_config(ReplicationConfigIdentifier="c", SourceEndpointArn=src, TargetEndpointArn=tgt,
                                      ComputeConfig={"MaxCapacityUnits": 2}, ReplicationType="cdc",
                                      TableMappings=MAPPINGS)["ReplicationConfig"]["ReplicationConfigArn"]
    assert d.describe_applicable_individual_assessments(ReplicationConfigArn=cfg)["IndividualAssessmentNames"]
    fails("ResourceNotFoundFault", d.describe_applicable_individual_assessments, ReplicationConfigArn=cfg + "X")
    names = d.describe_applicable_individual_assessments(ReplicationInstanceArn=ri, SourceEngineName="mysql",
                                                         TargetEngineName="postgres", MigrationType="cdc")["IndividualAssessmentNames"]
    assert "mysql-check-binlog-format" in names and not any(n.startswith(("postgres-", "oracle-", "sqlserver-")) for n in names)
    names = d.describe_applicable_individual_assessments(ReplicationInstanceArn=ri, SourceEngineName="oracle",
                                                         TargetEngineName="postgres", MigrationType="cdc")["IndividualAssessmentNames"]
    assert "oracle-check-supplemental-logging-primary-key" in names and "mysql-check-binlog-format" not in names
    fails("ResourceNotFoundFault", d.describe_applicable_individual_assessments, ReplicationInstanceArn=ri + "X",
          SourceEngineName="mysql", TargetEngineName="postgres", MigrationType="cdc")


# ---------------------------------------------------------------------------------------------------------------
# Raw requests: members the model does not have are ignored (as AWS's JSON services do)
# ---------------------------------------------------------------------------------------------------------------
def raw_dms(sim, op, body):
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"AmazonDMSv20160101.{op}",
               "Authorization": f"AWS4-HMAC-SHA256 Credential={ACCOUNT}/20260101/us-east-1/dms/aws4_request, "
                                "SignedHeaders=host, Signature=0"}
    status, _, data = sim.raw("POST", "/", json.dumps(body).encode(), headers)
    return status, json.loads(data)


def test_unknown_members_cannot_touch_simulator_bookkeeping(awssim):
    d, ri, src, tgt = world(awssim)
    status, body = raw_dms(awssim, "CreateEndpoint", {"EndpointIdentifier": "e", "EndpointType": "source",
                                                       "EngineName": "mysql", "_arn": "hijacked", "_tags": 5})
    assert status == 200, body
    arn = body["Endpoint"]["EndpointArn"]
    assert d.list_tags_for_resource(ResourceArn=arn)["TagList"] == []
    status, body = raw_dms(awssim, "ModifyEndpoint", {"EndpointArn": arn, "Port": 3307, "_arn": "hijacked-too"})
    assert status == 200 and body["Endpoint"]["Port"] == 3307, body
    status, body = raw_dms(awssim, "CreateReplicationConfig", {
        "ReplicationConfigIdentifier": "c", "SourceEndpointArn": src, "TargetEndpointArn": tgt, "ReplicationType": "cdc",
        "ComputeConfig": {"MaxCapacityUnits": 2}, "TableMappings": MAPPINGS, "_arn": "x", "_status": "running"})
    assert status == 200, body
    cfg = body["ReplicationConfig"]["ReplicationConfigArn"]
    # the resources are still found under their ARNs and behave by their real state
    assert d.delete_endpoint(EndpointArn=arn)["Endpoint"]["EndpointArn"] == arn
    assert d.start_replication(ReplicationConfigArn=cfg, StartReplicationType="start-replication")["Replication"]["Status"] == "initializing"


def test_maintenance_window_format_and_length(awssim):
    """The API reference: PreferredMaintenanceWindow is ddd:hh24:mi-ddd:hh24:mi (UTC), at least 30 minutes."""
    d = awssim.client("dms")
    base = dict(ReplicationInstanceClass="dms.t3.small")
    for bad in ("sun:06:00-sun:06:10", "someday", "fun:06:00-sun:07:00", "sun:24:00-mon:01:00", "sun:06:60-sun:08:00",
                "sun:06:00-sun:07:00x", "sun:6:00-sun:07:00", "sun:0x:00-sun:07:00"):
        fails("InvalidParameterValueException", d.create_replication_instance, ReplicationInstanceIdentifier="r",
              PreferredMaintenanceWindow=bad, **base)
    # the window may span midnight and the end of the week
    ri = d.create_replication_instance(ReplicationInstanceIdentifier="r", PreferredMaintenanceWindow="Sun:23:45-Mon:00:15",
                                       **base)["ReplicationInstance"]
    assert ri["PreferredMaintenanceWindow"] == "Sun:23:45-Mon:00:15"
    awssim.advance(300)
    arn = ri["ReplicationInstanceArn"]
    fails("InvalidParameterValueException", d.modify_replication_instance, ReplicationInstanceArn=arn,
          PreferredMaintenanceWindow="mon:00:00-mon:00:29", contains="30 minutes")
    r = d.modify_replication_instance(ReplicationInstanceArn=arn, PreferredMaintenanceWindow="sat:22:00-sun:02:00")
    assert r["ReplicationInstance"]["PreferredMaintenanceWindow"] == "sat:22:00-sun:02:00"


def test_documented_value_sets(awssim):
    """Values the API reference lists: maintenance actions, endpoint and data provider engines, names."""
    d, ri, src, tgt = world(awssim)
    r = d.apply_pending_maintenance_action(ReplicationInstanceArn=ri, ApplyAction="os-patch", OptInType="next-maintenance")
    assert r["ResourcePendingMaintenanceActions"]["ResourceIdentifier"] == ri
    for engine, kind in (("aurora-postgresql-serverless", "target"), ("dms-transfer", "source")):
        ep = d.create_endpoint(EndpointIdentifier=engine, EndpointType=kind, EngineName=engine)["Endpoint"]
        assert ep["EngineName"] == engine and ep["EngineDisplayName"]
    fails("InvalidParameterValueException", d.create_endpoint, EndpointIdentifier="x", EndpointType="target",
          EngineName="dms-transfer", contains="not supported as a target endpoint")
    types = d.describe_endpoint_types(Filters=[{"Name": "engine-name", "Values": ["dms-transfer"]}])["SupportedEndpointTypes"]
    assert [t["EndpointType"] for t in types] == ["source"]
    dp = d.create_data_provider(DataProviderName="ase", Engine="sybase", Settings={
        "SybaseAseSettings": {"ServerName": "ase.db", "Port": 5000, "DatabaseName": "pubs"}})["DataProvider"]
    assert dp["Engine"] == "sybase"
    fails("InvalidParameterValueException", d.create_replication_subnet_group, ReplicationSubnetGroupIdentifier="g",
          ReplicationSubnetGroupDescription="line\nbreak", SubnetIds=["subnet-1", "subnet-2"], contains="control characters")
    d.create_replication_subnet_group(ReplicationSubnetGroupIdentifier="g", ReplicationSubnetGroupDescription="ok",
                                      SubnetIds=["subnet-1", "subnet-2"])
    fails("InvalidParameterValueException", d.modify_replication_subnet_group, ReplicationSubnetGroupIdentifier="g",
          ReplicationSubnetGroupDescription="tab\there", SubnetIds=["subnet-1", "subnet-2"], contains="control characters")
    # data migration names follow the identifier rules
    d.create_instance_profile(InstanceProfileName="ip")
    d.create_migration_project(MigrationProjectName="m", InstanceProfileIdentifier="ip",
                               SourceDataProviderDescriptors=[{"DataProviderIdentifier": "ase"}],
                               TargetDataProviderDescriptors=[{"DataProviderIdentifier": "ase"}])
    for bad in ("1st", "a--b", "trailing-", "under_score", "x" * 256):
        fails("InvalidParameterValueException", d.create_data_migration, DataMigrationName=bad, MigrationProjectIdentifier="m",
              DataMigrationType="cdc", ServiceAccessRoleArn=ROLE)
    d.create_data_migration(DataMigrationName="dm-1", MigrationProjectIdentifier="m", DataMigrationType="cdc",
                            ServiceAccessRoleArn=ROLE)
    fails("InvalidParameterValueException", d.modify_data_migration, DataMigrationIdentifier="dm-1", DataMigrationName="dm_2")


def test_modify_endpoint_settings_merge_unless_exact(awssim):
    """The API reference (ExactSettings): without it, ModifyEndpoint replaces settings of the same name and adds
    new ones; with it, the given settings replace the existing ones."""
    d = awssim.client("dms")
    arn = d.create_endpoint(EndpointIdentifier="m", EndpointType="source", EngineName="mysql",
                            MySQLSettings={"ServerName": "h", "Port": 3306, "EventsPollInterval": 5})["Endpoint"]["EndpointArn"]
    ep = d.modify_endpoint(EndpointArn=arn, MySQLSettings={"EventsPollInterval": 10, "ServerTimezone": "UTC"})["Endpoint"]
    assert ep["MySQLSettings"] == {"ServerName": "h", "Port": 3306, "EventsPollInterval": 10, "ServerTimezone": "UTC"}
    ep = d.modify_endpoint(EndpointArn=arn, MySQLSettings={"Port": 3307}, ExactSettings=True)["Endpoint"]
    assert ep["MySQLSettings"] == {"Port": 3307}
    assert d.describe_endpoints()["Endpoints"][0]["MySQLSettings"] == {"Port": 3307}
