"""DMS through real clients (boto3 and the AWS CLI): every operation of the dms model, success and
error paths, lifecycles on the virtual clock, faults and metrics through the control API, and bad
input that must produce AWS errors while the server keeps serving."""
import json
import os
import subprocess
import tempfile

import pytest
from botocore.exceptions import ClientError

import conftest

ACCOUNT = conftest.DEFAULT_ACCOUNT
MAPPINGS = json.dumps({"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "all",
                                  "object-locator": {"schema-name": "public", "table-name": "%"},
                                  "rule-action": "include"}]})
SELECTION = json.dumps({"rules": [{"rule-type": "selection", "rule-id": "1", "rule-name": "1",
                                   "object-locator": {"server-name": "db", "schema-name": "public", "table-name": "orders"},
                                   "rule-action": "explicit"}]})
ROLE = f"arn:aws:iam::{ACCOUNT}:role/dms-access"
NOPE = f"arn:aws:dms:us-east-1:{ACCOUNT}:task:NOSUCHTASK00000000000000000"


def self_signed_pem():
    d = tempfile.mkdtemp()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", os.path.join(d, "k.pem"),
                    "-out", os.path.join(d, "c.pem"), "-days", "30", "-subj", "/CN=db.example.com"],
                   check=True, capture_output=True)
    return open(os.path.join(d, "c.pem")).read()


def code(err):
    return err.value.response["Error"]["Code"]


def build_world(sim):
    """An available replication instance, endpoints, a ready task and one of every other resource."""
    d = sim.client("dms")
    w = {"sim": sim, "dms": d}
    d.create_replication_subnet_group(ReplicationSubnetGroupIdentifier="grp", ReplicationSubnetGroupDescription="g",
                                      SubnetIds=["subnet-aaa", "subnet-bbb"])
    ri = d.create_replication_instance(ReplicationInstanceIdentifier="ri-main", ReplicationInstanceClass="dms.t3.medium",
                                       ReplicationSubnetGroupIdentifier="grp", AllocatedStorage=50,
                                       Tags=[{"Key": "env", "Value": "test"}])["ReplicationInstance"]
    ri2 = d.create_replication_instance(ReplicationInstanceIdentifier="ri-other",
                                        ReplicationInstanceClass="dms.t3.small")["ReplicationInstance"]
    w["ri"], w["ri2"] = ri["ReplicationInstanceArn"], ri2["ReplicationInstanceArn"]
    sim.advance(300)
    w["src"] = d.create_endpoint(EndpointIdentifier="src", EndpointType="source", EngineName="postgres",
                                 ServerName="src.db", Port=5432, DatabaseName="app", Username="u",
                                 Password="p")["Endpoint"]["EndpointArn"]
    w["tgt"] = d.create_endpoint(EndpointIdentifier="tgt", EndpointType="target", EngineName="aurora-postgresql",
                                 ServerName="tgt.db", Port=5432, DatabaseName="app", Username="u",
                                 Password="p")["Endpoint"]["EndpointArn"]
    w["spare_ep"] = d.create_endpoint(EndpointIdentifier="spare", EndpointType="target",
                                      EngineName="s3")["Endpoint"]["EndpointArn"]
    w["task"] = d.create_replication_task(ReplicationTaskIdentifier="task-main", SourceEndpointArn=w["src"],
                                          TargetEndpointArn=w["tgt"], ReplicationInstanceArn=w["ri"],
                                          MigrationType="full-load-and-cdc",
                                          TableMappings=MAPPINGS)["ReplicationTask"]["ReplicationTaskArn"]
    w["task2"] = d.create_replication_task(ReplicationTaskIdentifier="task-idle", SourceEndpointArn=w["src"],
                                           TargetEndpointArn=w["tgt"], ReplicationInstanceArn=w["ri"],
                                           MigrationType="full-load",
                                           TableMappings=MAPPINGS)["ReplicationTask"]["ReplicationTaskArn"]
    sim.advance(30)
    w["cert"] = d.import_certificate(CertificateIdentifier="ca", CertificatePem=self_signed_pem())["Certificate"]["CertificateArn"]
    d.create_event_subscription(SubscriptionName="subs", SnsTopicArn=f"arn:aws:sns:us-east-1:{ACCOUNT}:t",
                                SourceType="replication-task", EventCategories=["state change"])
    w["cfg"] = d.create_replication_config(ReplicationConfigIdentifier="cfg", SourceEndpointArn=w["src"],
                                           TargetEndpointArn=w["tgt"], ComputeConfig={"MaxCapacityUnits": 16},
                                           ReplicationType="full-load-and-cdc",
                                           TableMappings=MAPPINGS)["ReplicationConfig"]["ReplicationConfigArn"]
    w["dp_src"] = d.create_data_provider(DataProviderName="dp-src", Engine="postgres", Settings={
        "PostgreSqlSettings": {"ServerName": "src.db", "Port": 5432, "DatabaseName": "app", "SslMode": "none"}})["DataProvider"]["DataProviderArn"]
    w["dp_tgt"] = d.create_data_provider(DataProviderName="dp-tgt", Engine="aurora-postgresql", Settings={
        "PostgreSqlSettings": {"ServerName": "tgt.db", "Port": 5432, "DatabaseName": "app", "SslMode": "none"}})["DataProvider"]["DataProviderArn"]
    w["dp_spare"] = d.create_data_provider(DataProviderName="dp-spare", Engine="mysql", Settings={
        "MySqlSettings": {"ServerName": "m.db", "Port": 3306, "SslMode": "none"}})["DataProvider"]["DataProviderArn"]
    w["ip"] = d.create_instance_profile(InstanceProfileName="prof", SubnetGroupIdentifier="grp")["InstanceProfile"]["InstanceProfileArn"]
    w["mp"] = d.create_migration_project(
        MigrationProjectName="proj", InstanceProfileIdentifier="prof",
        SourceDataProviderDescriptors=[{"DataProviderIdentifier": "dp-src", "SecretsManagerSecretId": "s1"}],
        TargetDataProviderDescriptors=[{"DataProviderIdentifier": "dp-tgt", "SecretsManagerSecretId": "s2"}],
    )["MigrationProject"]["MigrationProjectArn"]
    w["dm"] = d.create_data_migration(DataMigrationName="dm1", MigrationProjectIdentifier="proj",
                                      DataMigrationType="full-load", ServiceAccessRoleArn=ROLE)["DataMigration"]["DataMigrationArn"]
    w["collector"] = d.create_fleet_advisor_collector(CollectorName="col", S3BucketName="b",
                                                      ServiceAccessRoleArn=ROLE)["CollectorReferencedId"]
    w["conv_req"] = d.start_metadata_model_conversion(MigrationProjectIdentifier="proj", SelectionRules=SELECTION)["RequestIdentifier"]
    w["create_req"] = d.start_metadata_model_creation(MigrationProjectIdentifier="proj", SelectionRules=SELECTION,
                                                      MetadataModelName="v1",
                                                      Properties={"StatementProperties": {"Definition": "select 1"}})["RequestIdentifier"]
    return w


WORLD = {}


@pytest.fixture(scope="module", params=["boto3", "cli"])
def world(request):
    """One world per client: the operation table runs through boto3 and through the AWS CLI."""
    sim = conftest.Awssim()
    try:
        WORLD.clear()
        WORLD.update(build_world(sim))
        WORLD["client"] = request.param
        yield WORLD
    finally:
        alive = sim.alive()
        sim.stop()
        assert alive, "awssim exited during the DMS tests"
        assert not sim.bugs(), sim.bugs()
        sim.cleanup()


# Every operation, in an order where each call finds the state it needs. expect None = success.
def _ops():
    P = []

    def op(name, params, expect=None, check=None):
        P.append((name, params, expect, check))

    op("DescribeAccountAttributes", lambda w: {}, check=lambda r: r["AccountQuotas"] and r["UniqueAccountIdentifier"])
    op("DescribeOrderableReplicationInstances", lambda w: {"MaxRecords": 20}, check=lambda r: len(r["OrderableReplicationInstances"]) == 20 and r["Marker"])
    op("DescribeEngineVersions", lambda w: {}, check=lambda r: r["EngineVersions"])
    op("DescribeEndpointTypes", lambda w: {"Filters": [{"Name": "engine-name", "Values": ["postgres"]}]},
       check=lambda r: {t["EndpointType"] for t in r["SupportedEndpointTypes"]} == {"source", "target"})
    op("DescribeEndpointSettings", lambda w: {"EngineName": "mysql"}, check=lambda r: r["EndpointSettings"])
    op("DescribeEndpointSettings", lambda w: {"EngineName": "nosql-magic"}, "InvalidParameterValueException")
    op("DescribeEventCategories", lambda w: {"SourceType": "replication-instance"}, check=lambda r: len(r["EventCategoryGroupList"]) == 1)
    op("DescribeEvents", lambda w: {"Duration": 600}, check=lambda r: any(e["SourceIdentifier"] == "ri-main" for e in r["Events"]))
    op("DescribeReplicationSubnetGroups", lambda w: {}, check=lambda r: r["ReplicationSubnetGroups"][0]["ReplicationSubnetGroupIdentifier"] == "grp")
    op("DescribeReplicationInstances", lambda w: {"Filters": [{"Name": "replication-instance-id", "Values": ["ri-main"]}]},
       check=lambda r: r["ReplicationInstances"][0]["ReplicationInstanceStatus"] == "available")
    op("DescribeReplicationInstances", lambda w: {"Filters": [{"Name": "replication-instance-id", "Values": ["none"]}]}, "ResourceNotFoundFault")
    op("DescribeEndpoints", lambda w: {}, check=lambda r: len(r["Endpoints"]) == 3)
    op("DescribeCertificates", lambda w: {}, check=lambda r: r["Certificates"][0]["KeyLength"] == 2048)
    op("DescribeReplicationTasks", lambda w: {"WithoutSettings": True}, check=lambda r: all("TableMappings" not in t for t in r["ReplicationTasks"]))
    op("DescribeReplicationTasks", lambda w: {"Filters": [{"Name": "replication-task-arn", "Values": [NOPE]}]}, "ResourceNotFoundFault")
    op("DescribeEventSubscriptions", lambda w: {"SubscriptionName": "subs"}, check=lambda r: r["EventSubscriptionsList"][0]["Status"] == "active")
    op("DescribeEventSubscriptions", lambda w: {"SubscriptionName": "nope"}, "ResourceNotFoundFault")
    op("DescribePendingMaintenanceActions", lambda w: {"ReplicationInstanceArn": w["ri"]}, check=lambda r: r["PendingMaintenanceActions"] == [])
    op("ApplyPendingMaintenanceAction", lambda w: {"ReplicationInstanceArn": w["ri"], "ApplyAction": "os-upgrade", "OptInType": "immediate"},
       check=lambda r: r["ResourcePendingMaintenanceActions"]["ResourceIdentifier"])
    op("ApplyPendingMaintenanceAction", lambda w: {"ReplicationInstanceArn": w["ri"], "ApplyAction": "os-upgrade", "OptInType": "someday"},
       "InvalidParameterValueException")
    op("DescribeApplicableIndividualAssessments", lambda w: {"ReplicationTaskArn": w["task"]}, check=lambda r: r["IndividualAssessmentNames"])
    op("DescribeApplicableIndividualAssessments", lambda w: {}, "InvalidParameterCombinationException")
    op("AddTagsToResource", lambda w: {"ResourceArn": w["task"], "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]})
    op("RemoveTagsFromResource", lambda w: {"ResourceArn": w["task"], "TagKeys": ["b"]})
    op("ListTagsForResource", lambda w: {"ResourceArn": w["task"]}, check=lambda r: r["TagList"] == [{"Key": "a", "Value": "1"}])
    op("ListTagsForResource", lambda w: {"ResourceArn": NOPE}, "ResourceNotFoundFault")
    op("AddTagsToResource", lambda w: {"ResourceArn": NOPE, "Tags": [{"Key": "a", "Value": "1"}]}, "ResourceNotFoundFault")
    op("TestConnection", lambda w: {"ReplicationInstanceArn": w["ri"], "EndpointArn": w["src"]}, check=lambda r: r["Connection"]["Status"] == "testing")
    op("DescribeConnections", lambda w: {"Filters": [{"Name": "endpoint-arn", "Values": [w["src"]]}]}, check=lambda r: r["Connections"])
    op("RefreshSchemas", lambda w: {"ReplicationInstanceArn": w["ri"], "EndpointArn": w["tgt"]},
       check=lambda r: r["RefreshSchemasStatus"]["Status"] == "refreshing")
    op("DescribeRefreshSchemasStatus", lambda w: {"EndpointArn": w["tgt"]}, check=lambda r: r["RefreshSchemasStatus"]["EndpointArn"])
    op("DescribeRefreshSchemasStatus", lambda w: {"EndpointArn": w["spare_ep"]}, "ResourceNotFoundFault")
    op("DescribeSchemas", lambda w: {"EndpointArn": w["spare_ep"]}, "InvalidResourceStateFault")
    op("ModifyReplicationSubnetGroup", lambda w: {"ReplicationSubnetGroupIdentifier": "grp", "SubnetIds": ["subnet-aaa", "subnet-bbb", "subnet-ccc"]},
       check=lambda r: len(r["ReplicationSubnetGroup"]["Subnets"]) == 3)
    op("ModifyReplicationInstance", lambda w: {"ReplicationInstanceArn": w["ri"], "AllocatedStorage": 100},
       check=lambda r: r["ReplicationInstance"]["PendingModifiedValues"]["AllocatedStorage"] == 100)
    op("ModifyEndpoint", lambda w: {"EndpointArn": w["tgt"], "CertificateArn": w["cert"], "SslMode": "verify-ca"},
       check=lambda r: r["Endpoint"]["SslMode"] == "verify-ca")
    op("ModifyEndpoint", lambda w: {"EndpointArn": w["tgt"], "EngineName": "mongodb"}, "InvalidParameterValueException")
    op("ModifyEventSubscription", lambda w: {"SubscriptionName": "subs", "Enabled": False}, check=lambda r: r["EventSubscription"]["Enabled"] is False)
    op("ModifyReplicationTask", lambda w: {"ReplicationTaskArn": w["task2"], "ReplicationTaskSettings": json.dumps({"Logging": {"EnableLogging": True}})},
       check=lambda r: r["ReplicationTask"]["Status"] == "modifying")
    op("StartReplicationTaskAssessment", lambda w: {"ReplicationTaskArn": w["task2"]}, "InvalidResourceStateFault")
    op("StartReplicationTaskAssessmentRun", lambda w: {"ReplicationTaskArn": w["task"], "ServiceAccessRoleArn": ROLE,
                                                       "ResultLocationBucket": "bucket", "AssessmentRunName": "run1"},
       check=lambda r: r["ReplicationTaskAssessmentRun"]["Status"] == "provisioning")
    op("StartReplicationTaskAssessmentRun", lambda w: {"ReplicationTaskArn": w["task"], "ServiceAccessRoleArn": ROLE,
                                                       "ResultLocationBucket": "bucket", "AssessmentRunName": "run1"},
       "ResourceAlreadyExistsFault")
    op("DescribeReplicationTaskAssessmentRuns", lambda w: {"Filters": [{"Name": "replication-task-arn", "Values": [w["task"]]}]},
       check=lambda r: r["ReplicationTaskAssessmentRuns"][0]["IsLatestTaskAssessmentRun"])
    op("DescribeReplicationTaskIndividualAssessments", lambda w: {}, check=lambda r: r["ReplicationTaskIndividualAssessments"])
    op("CancelReplicationTaskAssessmentRun", lambda w: {"ReplicationTaskAssessmentRunArn": w["sim"].last_run},
       check=lambda r: r["ReplicationTaskAssessmentRun"]["Status"] == "cancelling")
    op("DeleteReplicationTaskAssessmentRun", lambda w: {"ReplicationTaskAssessmentRunArn": w["sim"].last_run}, "InvalidResourceStateFault")
    op("StartReplicationTask", lambda w: {"ReplicationTaskArn": w["task"], "StartReplicationTaskType": "start-replication"},
       check=lambda r: r["ReplicationTask"]["Status"] == "starting")
    op("StartReplicationTask", lambda w: {"ReplicationTaskArn": w["task"], "StartReplicationTaskType": "start-replication"},
       "InvalidResourceStateFault")
    op("ReloadTables", lambda w: {"ReplicationTaskArn": w["task"], "TablesToReload": [{"SchemaName": "public", "TableName": "table_1"}]},
       check=lambda r: r["ReplicationTaskArn"])
    op("DescribeTableStatistics", lambda w: {"ReplicationTaskArn": w["task"]}, check=lambda r: r["TableStatistics"])
    op("DescribeReplicationInstanceTaskLogs", lambda w: {"ReplicationInstanceArn": w["ri"]}, check=lambda r: len(r["ReplicationInstanceTaskLogs"]) == 2)
    op("StopReplicationTask", lambda w: {"ReplicationTaskArn": w["task"]}, check=lambda r: r["ReplicationTask"]["Status"] == "stopping")
    op("MoveReplicationTask", lambda w: {"ReplicationTaskArn": w["task"], "TargetReplicationInstanceArn": w["ri"]}, "InvalidParameterValueException")
    op("ReloadTables", lambda w: {"ReplicationTaskArn": w["task"], "TablesToReload": [{"SchemaName": "public", "TableName": "table_1"}]},
       "InvalidResourceStateFault")
    op("StartReplicationTaskAssessment", lambda w: {"ReplicationTaskArn": w["task2"]}, check=lambda r: r["ReplicationTask"]["Status"] == "testing")
    op("DescribeReplicationTaskAssessmentResults", lambda w: {"ReplicationTaskArn": w["task2"]},
       check=lambda r: r["ReplicationTaskAssessmentResults"][0]["AssessmentStatus"] and r["BucketName"])
    op("DescribeReplicationConfigs", lambda w: {}, check=lambda r: r["ReplicationConfigs"][0]["ReplicationConfigIdentifier"] == "cfg")
    op("ModifyReplicationConfig", lambda w: {"ReplicationConfigArn": w["cfg"], "ComputeConfig": {"MaxCapacityUnits": 32}},
       check=lambda r: r["ReplicationConfig"]["ComputeConfig"]["MaxCapacityUnits"] == 32)
    op("StartReplication", lambda w: {"ReplicationConfigArn": w["cfg"], "StartReplicationType": "start-replication"},
       check=lambda r: r["Replication"]["Status"] == "initializing")
    op("DescribeReplications", lambda w: {}, check=lambda r: r["Replications"][0]["Status"] == "initializing")
    op("ReloadReplicationTables", lambda w: {"ReplicationConfigArn": w["cfg"], "TablesToReload": [{"SchemaName": "public", "TableName": "table_1"}]},
       "InvalidResourceStateFault")
    op("DescribeReplicationTableStatistics", lambda w: {"ReplicationConfigArn": w["cfg"]}, check=lambda r: "ReplicationTableStatistics" in r)
    op("StopReplication", lambda w: {"ReplicationConfigArn": w["cfg"]}, check=lambda r: r["Replication"]["Status"] == "stopping")
    op("StopReplication", lambda w: {"ReplicationConfigArn": w["cfg"]}, "InvalidResourceStateFault")
    op("DescribeDataProviders", lambda w: {"Filters": [{"Name": "data-provider-identifier", "Values": ["dp-src"]}]},
       check=lambda r: r["DataProviders"][0]["DataProviderArn"] == r["DataProviders"][0]["DataProviderArn"])
    op("ModifyDataProvider", lambda w: {"DataProviderIdentifier": "dp-spare", "Description": "spare"},
       check=lambda r: r["DataProvider"]["Description"] == "spare")
    op("DescribeInstanceProfiles", lambda w: {}, check=lambda r: r["InstanceProfiles"][0]["InstanceProfileName"] == "prof")
    op("ModifyInstanceProfile", lambda w: {"InstanceProfileIdentifier": "prof", "Description": "d"}, check=lambda r: r["InstanceProfile"]["Description"] == "d")
    op("DescribeMigrationProjects", lambda w: {}, check=lambda r: r["MigrationProjects"][0]["InstanceProfileName"] == "prof")
    op("ModifyMigrationProject", lambda w: {"MigrationProjectIdentifier": "proj", "Description": "p"}, check=lambda r: r["MigrationProject"]["Description"] == "p")
    op("DescribeConversionConfiguration", lambda w: {"MigrationProjectIdentifier": "proj"}, check=lambda r: json.loads(r["ConversionConfiguration"]) is not None)
    op("ModifyConversionConfiguration", lambda w: {"MigrationProjectIdentifier": "proj", "ConversionConfiguration": "{not json"},
       "InvalidParameterValueException")
    op("ModifyConversionConfiguration", lambda w: {"MigrationProjectIdentifier": "proj", "ConversionConfiguration": "{\"a\":1}"},
       check=lambda r: r["MigrationProjectIdentifier"])
    op("DescribeDataMigrations", lambda w: {}, check=lambda r: r["DataMigrations"][0]["DataMigrationStatus"] == "READY")
    op("ModifyDataMigration", lambda w: {"DataMigrationIdentifier": "dm1", "NumberOfJobs": 4},
       check=lambda r: r["DataMigration"]["DataMigrationSettings"]["NumberOfJobs"] == 4)
    op("StartDataMigration", lambda w: {"DataMigrationIdentifier": "dm1", "StartType": "start-replication"},
       check=lambda r: r["DataMigration"]["DataMigrationStatus"] == "STARTING")
    op("DeleteDataMigration", lambda w: {"DataMigrationIdentifier": "dm1"}, "InvalidResourceStateFault")
    op("StopDataMigration", lambda w: {"DataMigrationIdentifier": "dm1"}, check=lambda r: r["DataMigration"]["DataMigrationStatus"] == "STOPPING")
    op("StartMetadataModelAssessment", lambda w: {"MigrationProjectIdentifier": "proj", "SelectionRules": SELECTION}, check=lambda r: r["RequestIdentifier"])
    op("StartMetadataModelAssessment", lambda w: {"MigrationProjectIdentifier": "nope", "SelectionRules": SELECTION}, "ResourceNotFoundFault")
    op("StartMetadataModelExportAsScript", lambda w: {"MigrationProjectIdentifier": "proj", "SelectionRules": SELECTION, "Origin": "TARGET"},
       check=lambda r: r["RequestIdentifier"])
    op("StartMetadataModelExportToTarget", lambda w: {"MigrationProjectIdentifier": "proj", "SelectionRules": SELECTION}, check=lambda r: r["RequestIdentifier"])
    op("StartMetadataModelImport", lambda w: {"MigrationProjectIdentifier": "proj", "SelectionRules": SELECTION, "Origin": "SOURCE"},
       check=lambda r: r["RequestIdentifier"])
    op("StartExtensionPackAssociation", lambda w: {"MigrationProjectIdentifier": "proj"}, check=lambda r: r["RequestIdentifier"])
    op("DescribeMetadataModelAssessments", lambda w: {"MigrationProjectIdentifier": "proj"}, check=lambda r: r["Requests"][0]["Status"] == "IN_PROGRESS")
    op("DescribeMetadataModelConversions", lambda w: {"MigrationProjectIdentifier": "proj"}, check=lambda r: r["Requests"][0]["Status"] == "SUCCESS")
    op("DescribeMetadataModelCreations", lambda w: {"MigrationProjectIdentifier": "proj"}, check=lambda r: len(r["Requests"]) == 1)
    op("DescribeMetadataModelExportsAsScript", lambda w: {"MigrationProjectIdentifier": "proj"}, check=lambda r: r["Requests"][0]["ExportSqlDetails"])
    op("DescribeMetadataModelExportsToTarget", lambda w: {"MigrationProjectIdentifier": "proj"}, check=lambda r: len(r["Requests"]) == 1)
    op("DescribeMetadataModelImports", lambda w: {"MigrationProjectIdentifier": "proj"}, check=lambda r: len(r["Requests"]) == 1)
    op("DescribeExtensionPackAssociations", lambda w: {"MigrationProjectIdentifier": "proj"}, check=lambda r: len(r["Requests"]) == 1)
    op("StartMetadataModelConversion", lambda w: {"MigrationProjectIdentifier": "proj", "SelectionRules": SELECTION},
       check=lambda r: WORLD.__setitem__("conv_req", r["RequestIdentifier"]) or True)
    op("StartMetadataModelCreation", lambda w: {"MigrationProjectIdentifier": "proj", "SelectionRules": SELECTION, "MetadataModelName": "v2",
                                                "Properties": {"StatementProperties": {"Definition": "select 2"}}},
       check=lambda r: WORLD.__setitem__("create_req", r["RequestIdentifier"]) or True)
    op("CancelMetadataModelConversion", lambda w: {"MigrationProjectIdentifier": "proj", "RequestIdentifier": w["conv_req"]},
       check=lambda r: r["Request"]["Status"] == "CANCELED")
    op("CancelMetadataModelConversion", lambda w: {"MigrationProjectIdentifier": "proj", "RequestIdentifier": w["conv_req"]},
       "InvalidResourceStateFault")
    op("CancelMetadataModelCreation", lambda w: {"MigrationProjectIdentifier": "proj", "RequestIdentifier": w["create_req"]},
       check=lambda r: r["Request"]["Status"] == "CANCELED")
    op("CancelMetadataModelCreation", lambda w: {"MigrationProjectIdentifier": "proj", "RequestIdentifier": "nope"}, "ResourceNotFoundFault")
    op("DescribeMetadataModel", lambda w: {"MigrationProjectIdentifier": "proj", "SelectionRules": SELECTION, "Origin": "SOURCE"},
       check=lambda r: r["MetadataModelName"] == "orders")
    op("DescribeMetadataModelChildren", lambda w: {"MigrationProjectIdentifier": "proj", "SelectionRules": SELECTION, "Origin": "SOURCE"},
       check=lambda r: r["MetadataModelChildren"] == [])
    op("GetTargetSelectionRules", lambda w: {"MigrationProjectIdentifier": "proj", "SelectionRules": SELECTION},
       check=lambda r: json.loads(r["TargetSelectionRules"])["rules"])
    op("ExportMetadataModelAssessment", lambda w: {"MigrationProjectIdentifier": "proj", "SelectionRules": SELECTION,
                                                   "AssessmentReportTypes": ["csv"]},
       check=lambda r: r["CsvReport"]["S3ObjectKey"] and "PdfReport" not in r)
    op("DescribeFleetAdvisorCollectors", lambda w: {}, check=lambda r: r["Collectors"][0]["CollectorName"] == "col")
    op("DescribeFleetAdvisorDatabases", lambda w: {}, check=lambda r: r["Databases"] == [])
    op("DescribeFleetAdvisorSchemas", lambda w: {}, check=lambda r: r["FleetAdvisorSchemas"] == [])
    op("DescribeFleetAdvisorSchemaObjectSummary", lambda w: {}, check=lambda r: r["FleetAdvisorSchemaObjects"] == [])
    op("RunFleetAdvisorLsaAnalysis", lambda w: {}, check=lambda r: r["Status"] == "RUNNING")
    op("DescribeFleetAdvisorLsaAnalysis", lambda w: {}, check=lambda r: len(r["Analysis"]) == 1)
    op("DeleteFleetAdvisorDatabases", lambda w: {"DatabaseIds": ["db-1"]}, "ResourceNotFoundFault")
    op("StartRecommendations", lambda w: {"DatabaseId": "db-1", "Settings": {"InstanceSizingType": "total-capacity", "WorkloadType": "production"}})
    op("StartRecommendations", lambda w: {"DatabaseId": "db-1", "Settings": {"InstanceSizingType": "huge", "WorkloadType": "production"}},
       "InvalidParameterValueException")
    op("BatchStartRecommendations", lambda w: {"Data": [
        {"DatabaseId": "db-2", "Settings": {"InstanceSizingType": "utilization", "WorkloadType": "development"}},
        {"DatabaseId": "db-3", "Settings": {"InstanceSizingType": "bad", "WorkloadType": "development"}}]},
       check=lambda r: [x["DatabaseId"] for x in r["ErrorEntries"]] == ["db-3"])
    op("DescribeRecommendations", lambda w: {}, check=lambda r: {x["DatabaseId"] for x in r["Recommendations"]} == {"db-1", "db-2"})
    op("DescribeRecommendationLimitations", lambda w: {}, check=lambda r: r["Limitations"] == [])
    op("UpdateSubscriptionsToEventBridge", lambda w: {"ForceMove": True}, check=lambda r: r["Result"])
    op("RebootReplicationInstance", lambda w: {"ReplicationInstanceArn": w["ri2"], "ForceFailover": True}, "InvalidParameterCombinationException")
    op("RebootReplicationInstance", lambda w: {"ReplicationInstanceArn": w["ri2"]}, check=lambda r: r["ReplicationInstance"]["ReplicationInstanceStatus"] == "rebooting")
    # destructive operations last
    op("DeleteConnection", lambda w: {"ReplicationInstanceArn": w["ri"], "EndpointArn": w["src"]}, check=lambda r: r["Connection"]["Status"] == "deleting")
    op("DeleteConnection", lambda w: {"ReplicationInstanceArn": w["ri"], "EndpointArn": w["src"]}, "ResourceNotFoundFault")
    op("DeleteEventSubscription", lambda w: {"SubscriptionName": "subs"}, check=lambda r: r["EventSubscription"]["CustSubscriptionId"] == "subs")
    op("DeleteCertificate", lambda w: {"CertificateArn": w["cert"]}, "InvalidResourceStateFault")
    op("DeleteReplicationInstance", lambda w: {"ReplicationInstanceArn": w["ri"]}, "InvalidResourceStateFault")
    op("DeleteReplicationTask", lambda w: {"ReplicationTaskArn": w["task2"]}, check=lambda r: r["ReplicationTask"]["Status"] == "deleting")
    op("DeleteReplicationTask", lambda w: {"ReplicationTaskArn": NOPE}, "ResourceNotFoundFault")
    op("MoveReplicationTask", lambda w: {"ReplicationTaskArn": w["task"], "TargetReplicationInstanceArn": w["ri2"]},
       check=lambda r: r["ReplicationTask"]["Status"] == "moving" and r["ReplicationTask"]["TargetReplicationInstanceArn"])
    op("DescribeReplicationTasks", lambda w: {"Filters": [{"Name": "replication-instance-arn", "Values": [w["ri2"]]}]},
       check=lambda r: r["ReplicationTasks"][0]["Status"] == "stopped")
    op("DeleteReplicationInstance", lambda w: {"ReplicationInstanceArn": w["ri"]},
       check=lambda r: r["ReplicationInstance"]["ReplicationInstanceStatus"] == "deleting")
    op("DeleteEndpoint", lambda w: {"EndpointArn": w["spare_ep"]}, check=lambda r: r["Endpoint"]["Status"] == "deleting")
    op("DeleteReplicationConfig", lambda w: {"ReplicationConfigArn": w["cfg"]}, check=lambda r: r["ReplicationConfig"]["ReplicationConfigArn"])
    op("DeleteDataMigration", lambda w: {"DataMigrationIdentifier": "dm1"}, check=lambda r: r["DataMigration"]["DataMigrationStatus"] == "DELETING")
    op("DeleteDataProvider", lambda w: {"DataProviderIdentifier": "dp-src"}, "InvalidResourceStateFault")
    op("DeleteMigrationProject", lambda w: {"MigrationProjectIdentifier": "proj"}, check=lambda r: r["MigrationProject"]["MigrationProjectName"] == "proj")
    op("DeleteInstanceProfile", lambda w: {"InstanceProfileIdentifier": "prof"}, check=lambda r: r["InstanceProfile"]["InstanceProfileName"] == "prof")
    op("DeleteDataProvider", lambda w: {"DataProviderIdentifier": "dp-spare"}, check=lambda r: r["DataProvider"]["DataProviderName"] == "dp-spare")
    op("DeleteFleetAdvisorCollector", lambda w: {"CollectorReferencedId": w["collector"]})
    op("DeleteFleetAdvisorCollector", lambda w: {"CollectorReferencedId": w["collector"]}, "CollectorNotFoundFault")
    op("DeleteReplicationSubnetGroup", lambda w: {"ReplicationSubnetGroupIdentifier": "grp"}, "InvalidResourceStateFault")
    op("DeleteReplicationInstance", lambda w: {"ReplicationInstanceArn": w["ri2"]}, "InvalidResourceStateFault")
    return P


OPS = _ops()
CASES = list(range(len(OPS)))
# Operations already exercised by build_world (creation calls) need no separate table row.
CREATED_IN_WORLD = {"CreateReplicationSubnetGroup", "CreateReplicationInstance", "CreateEndpoint", "CreateReplicationTask",
                    "ImportCertificate", "CreateEventSubscription", "CreateReplicationConfig", "CreateDataProvider",
                    "CreateInstanceProfile", "CreateMigrationProject", "CreateDataMigration", "CreateFleetAdvisorCollector",
                    "StartMetadataModelConversion", "StartMetadataModelCreation"}


def test_every_model_operation_is_covered():
    import botocore.session
    model = botocore.session.get_session().get_service_model("dms")
    assert len(model.operation_names) == 119
    missing = set(model.operation_names) - {o[0] for o in OPS} - CREATED_IN_WORLD
    assert not missing, sorted(missing)


def snake(name, sep="_"):
    import botocore
    return botocore.xform_name(name, sep)


@pytest.mark.parametrize("i", CASES, ids=[f"{i:03d}-{OPS[i][0]}" for i in CASES])
def test_operation(world, i):
    name, params, expect, check = OPS[i]
    d, sim = world["dms"], world["sim"]
    if name == "CancelReplicationTaskAssessmentRun" or name == "DeleteReplicationTaskAssessmentRun":
        runs = d.describe_replication_task_assessment_runs()["ReplicationTaskAssessmentRuns"]
        sim.last_run = runs[-1]["ReplicationTaskAssessmentRunArn"]
    if world["client"] == "cli":
        r = sim.cli("dms", snake(name, "-"), "--no-paginate", "--cli-input-json", json.dumps(params(world)))
        if expect:
            assert r.rc != 0 and f"({expect})" in r.stderr, (r.rc, r.stderr)
        else:
            assert r.rc == 0, r.stderr
            if check:
                assert check(r.json), r.json
        return advance_after(sim, name, expect)
    fn = getattr(d, snake(name))
    if expect:
        with pytest.raises(ClientError) as err:
            fn(**params(world))
        assert code(err) == expect, err.value.response["Error"]
        assert err.value.response["Error"]["Message"]
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    else:
        r = fn(**params(world))
        if check:
            assert check(r), r
    advance_after(sim, name, expect)


def advance_after(sim, name, expect):
    """Let the simulated transition of a successful state-changing call complete before the next row."""
    if name in ("StopReplicationTask", "StopReplication", "StopDataMigration", "StartReplicationTask",
                "StartReplicationTaskAssessment", "TestConnection", "RefreshSchemas", "MoveReplicationTask",
                "DeleteReplicationTask", "RebootReplicationInstance") and not expect:
        sim.advance(60)


# ---------------------------------------------------------------------------------------------------------------
# Lifecycles and faults through the control API
# ---------------------------------------------------------------------------------------------------------------
def small_world(sim):
    d = sim.client("dms")
    ri = d.create_replication_instance(ReplicationInstanceIdentifier="ri", ReplicationInstanceClass="dms.t3.medium")
    sim.advance(300)
    src = d.create_endpoint(EndpointIdentifier="s", EndpointType="source", EngineName="mysql", ServerName="h")
    tgt = d.create_endpoint(EndpointIdentifier="t", EndpointType="target", EngineName="mysql", ServerName="h2")
    return d, ri["ReplicationInstance"]["ReplicationInstanceArn"], src["Endpoint"]["EndpointArn"], tgt["Endpoint"]["EndpointArn"]


def test_task_full_load_progress_and_stop_with_tables_hook(awssim):
    d, ri, src, tgt = small_world(awssim)
    t = d.create_replication_task(ReplicationTaskIdentifier="orders", SourceEndpointArn=src, TargetEndpointArn=tgt,
                                  ReplicationInstanceArn=ri, MigrationType="full-load", TableMappings=MAPPINGS)
    arn = t["ReplicationTask"]["ReplicationTaskArn"]
    assert arn.startswith(f"arn:aws:dms:us-east-1:{ACCOUNT}:task:")
    awssim.advance(30)
    status, body = awssim.control("POST", "dms/tables", {"task": "orders", "tables": [
        {"schema": "sales", "table": "orders", "rows": 600000, "rowsPerSecond": 2000}]})
    assert status == 200, body
    assert awssim.control("POST", "dms/tables", {"task": "nope", "tables": []})[0] == 404
    d.start_replication_task(ReplicationTaskArn=arn, StartReplicationTaskType="start-replication")
    awssim.advance(15 + 150)
    task = d.describe_replication_tasks(Filters=[{"Name": "replication-task-id", "Values": ["orders"]}])["ReplicationTasks"][0]
    assert task["Status"] == "running"
    assert task["ReplicationTaskStats"]["FullLoadProgressPercent"] == 50
    stats = d.describe_table_statistics(ReplicationTaskArn=arn)["TableStatistics"]
    assert stats[0]["FullLoadRows"] == 300000 and stats[0]["TableState"] == "Full load"
    awssim.advance(150)
    task = d.describe_replication_tasks(Filters=[{"Name": "replication-task-arn", "Values": [arn]}])["ReplicationTasks"][0]
    assert task["Status"] == "stopped"
    assert task["StopReason"] == "Stop Reason FULL_LOAD_ONLY_FINISHED"
    # the same through the AWS CLI
    r = awssim.cli("dms", "describe-replication-tasks", "--filters", f"Name=replication-task-arn,Values={arn}")
    assert r.rc == 0, r.stderr
    assert r.json["ReplicationTasks"][0]["ReplicationTaskStats"]["FullLoadProgressPercent"] == 100
    r = awssim.cli("dms", "start-replication-task", "--replication-task-arn", arn,
                   "--start-replication-task-type", "start-replication")
    assert r.rc != 0 and "InvalidResourceStateFault" in r.stderr and "START_REPLICATION" in r.stderr
    r = awssim.cli("dms", "start-replication-task", "--replication-task-arn", arn,
                   "--start-replication-task-type", "reload-target")
    assert r.rc == 0 and r.json["ReplicationTask"]["Status"] == "starting"


def test_task_fails_fault_fires_on_its_own_and_lag_shows_in_metrics(awssim):
    d, ri, src, tgt = small_world(awssim)
    arn = d.create_replication_task(ReplicationTaskIdentifier="cdc", SourceEndpointArn=src, TargetEndpointArn=tgt,
                                    ReplicationInstanceArn=ri, MigrationType="cdc",
                                    TableMappings=MAPPINGS)["ReplicationTask"]["ReplicationTaskArn"]
    awssim.advance(30)
    d.start_replication_task(ReplicationTaskArn=arn, StartReplicationTaskType="start-replication")
    _, clock = awssim.control("GET", "clock")
    now = clock["nowMs"] / 1000
    status, body = awssim.control("POST", "faults", {"service": "dms", "task": arn, "kind": "lag", "seconds": 900,
                                                     "from": now + 120, "until": now + 300})
    assert status == 200, body
    status, body = awssim.control("POST", "faults", {"service": "dms", "task": "cdc", "kind": "task-fails",
                                                     "at": now + 600, "message": "ORA-00001 simulated"})
    assert status == 200, body
    awssim.advance(600)  # nobody describes in between
    _, faults = awssim.control("GET", "faults")
    fired = [f for f in faults["dms"] if f["kind"] == "task-fails"]
    assert fired and fired[0]["fired"] == 1
    task = d.describe_replication_tasks()["ReplicationTasks"][0]
    assert task["Status"] == "failed" and task["LastFailureMessage"] == "ORA-00001 simulated"
    status, body = awssim.control("GET", "metrics?namespace=AWS/DMS")
    assert status == 200
    lat = [m for m in body["metrics"] if m["MetricName"] == "CDCLatencyTarget"]
    assert max(m["Value"] for m in lat) == 900 and min(m["Value"] for m in lat) == 2
    assert {x["Name"] for x in lat[0]["Dimensions"]} == {"ReplicationInstanceIdentifier", "ReplicationTaskIdentifier"}
    assert awssim.control("POST", "faults", {"service": "dms", "kind": "meteor", "task": "cdc"})[0] == 400
    status, body = awssim.control("DELETE", "faults?service=dms")
    assert status == 200 and body["cleared"] == 2


def test_connection_fault_and_boto3_waiter_outcome(awssim):
    d, ri, src, tgt = small_world(awssim)
    awssim.control("POST", "faults", {"service": "dms", "endpoint": "t", "kind": "connection-fails", "message": "timeout"})
    d.test_connection(ReplicationInstanceArn=ri, EndpointArn=src)
    d.test_connection(ReplicationInstanceArn=ri, EndpointArn=tgt)
    assert {c["Status"] for c in d.describe_connections()["Connections"]} == {"testing"}
    awssim.advance(15)
    conns = {c["EndpointIdentifier"]: c for c in d.describe_connections()["Connections"]}
    assert conns["s"]["Status"] == "successful"
    assert conns["t"]["Status"] == "failed" and conns["t"]["LastFailureMessage"] == "timeout"
    r = awssim.cli("dms", "describe-connections", "--filters", f"Name=endpoint-arn,Values={src}")
    assert r.rc == 0 and r.json["Connections"][0]["Status"] == "successful"


# ---------------------------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------------------------
def test_bad_input_gets_aws_errors_and_server_keeps_serving(awssim):
    d, ri, src, tgt = small_world(awssim)
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonDMSv20160101.DescribeEndpoints"}
    status, _, body = awssim.raw("POST", "/", b"{not json", headers)
    assert status == 400 and json.loads(body)["__type"] == "SerializationException"
    headers["X-Amz-Target"] = "AmazonDMSv20160101.LaunchRockets"
    status, _, body = awssim.raw("POST", "/", b"{}", headers)
    assert status == 400 and json.loads(body)["__type"] == "UnknownOperationException"
    # invalid enum and wrong member types (validated against the model before the handler runs)
    with pytest.raises(ClientError) as err:
        d.create_replication_task(ReplicationTaskIdentifier="x", SourceEndpointArn=src, TargetEndpointArn=tgt,
                                  ReplicationInstanceArn=ri, MigrationType="sideways", TableMappings=MAPPINGS)
    assert code(err) == "ValidationException" and "sideways" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:
        d.create_replication_instance(ReplicationInstanceIdentifier="y", ReplicationInstanceClass="dms.t3.small",
                                      AllocatedStorage="lots")
    assert code(err) == "ValidationException"
    r = awssim.cli("dms", "start-replication-task", "--replication-task-arn", "x",
                   "--start-replication-task-type", "sideways")
    assert r.rc != 0
    # wrong ARN and malformed table mappings
    with pytest.raises(ClientError) as err:
        d.start_replication_task(ReplicationTaskArn="arn:aws:dms:us-east-1:1:task:X", StartReplicationTaskType="start-replication")
    assert code(err) == "ResourceNotFoundFault"
    with pytest.raises(ClientError) as err:
        d.create_replication_task(ReplicationTaskIdentifier="x", SourceEndpointArn=src, TargetEndpointArn=tgt,
                                  ReplicationInstanceArn=ri, MigrationType="full-load", TableMappings="{oops")
    assert code(err) == "InvalidParameterValueException" and "Invalid table mappings" in err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:
        d.create_replication_task(ReplicationTaskIdentifier="x", SourceEndpointArn=src, TargetEndpointArn=tgt,
                                  ReplicationInstanceArn=ri, MigrationType="full-load")
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    r = awssim.cli("dms", "create-endpoint", "--endpoint-identifier", "bad--id", "--endpoint-type", "source",
                   "--engine-name", "mysql")
    assert r.rc != 0 and "InvalidParameterValueException" in r.stderr
    r = awssim.cli("dms", "describe-replication-instances", "--max-records", "5")
    assert r.rc != 0 and "InvalidParameterValueException" in r.stderr
    # still serving
    assert len(d.describe_endpoints()["Endpoints"]) == 2
    assert awssim.cli("dms", "describe-account-attributes").rc == 0


def _dummy(shape, depth=0):
    """A value of the right type for a botocore shape: strings that name nothing, minimal numbers/lists."""
    t = shape.type_name
    if t == "structure":
        return {name: _dummy(m, depth + 1) for name, m in shape.members.items()
                if name in shape.required_members or depth == 0}
    if t == "list":
        return [_dummy(shape.member, depth + 1)]
    if t == "map":
        return {"k": _dummy(shape.value, depth + 1)}
    if t == "string":
        return shape.enum[0] if shape.enum else "arn:aws:dms:us-east-1:123456789012:rep:NOTHING"
    if t in ("integer", "long"):
        return shape.metadata.get("min", 20)
    if t in ("double", "float"):
        return 1.0
    if t == "boolean":
        return True
    if t == "timestamp":
        return 1767225600
    if t == "blob":
        return b"x"
    return None


def test_every_operation_survives_dummy_input(awssim):
    """Every operation called with every member set to a dummy value answers (success or an AWS error code
    from the model's faults or validation) and the server keeps serving."""
    import botocore.session
    model = botocore.session.get_session().get_service_model("dms")
    d = awssim.client("dms")
    allowed = {"ValidationException", "SerializationException"}
    for name in model.operation_names:
        op = model.operation_model(name)
        params = _dummy(op.input_shape) if op.input_shape else {}
        try:
            getattr(d, snake(name))(**params)
        except ClientError as err:
            got = err.response["Error"]["Code"]
            # the model's faults, plus the parameter faults every DMS operation can raise (and a missing
            # resource: some operations, e.g. DescribeExtensionPackAssociations, list no faults at all)
            faults = {e.name for e in op.error_shapes} | {"InvalidParameterValueException",
                                                          "InvalidParameterCombinationException",
                                                          "ResourceNotFoundFault"}
            assert got in faults | allowed, (name, got, err.response["Error"]["Message"])
    assert d.describe_account_attributes()["AccountQuotas"]


def test_create_operations_through_the_cli(awssim):
    """The creation calls build_world makes with boto3, made with the AWS CLI."""
    def cli(op, params, expect=None):
        r = awssim.cli("dms", op, "--cli-input-json", json.dumps(params))
        if expect:
            assert r.rc != 0 and f"({expect})" in r.stderr, r.stderr
            return None
        assert r.rc == 0, r.stderr
        return r.json

    cli("create-replication-subnet-group", {"ReplicationSubnetGroupIdentifier": "g", "ReplicationSubnetGroupDescription": "d",
                                            "SubnetIds": ["subnet-1", "subnet-2"]})
    cli("create-replication-subnet-group", {"ReplicationSubnetGroupIdentifier": "g1", "ReplicationSubnetGroupDescription": "d",
                                            "SubnetIds": ["subnet-1"]}, "ReplicationSubnetGroupDoesNotCoverEnoughAZs")
    ri = cli("create-replication-instance", {"ReplicationInstanceIdentifier": "ri", "ReplicationInstanceClass": "dms.c5.large",
                                             "ReplicationSubnetGroupIdentifier": "g"})["ReplicationInstance"]
    assert ri["ReplicationInstanceStatus"] == "creating"
    cli("create-replication-instance", {"ReplicationInstanceIdentifier": "ri", "ReplicationInstanceClass": "dms.c5.large"},
        "ResourceAlreadyExistsFault")
    awssim.advance(300)
    src = cli("create-endpoint", {"EndpointIdentifier": "s", "EndpointType": "source", "EngineName": "oracle",
                                  "ServerName": "o", "Port": 1521})["Endpoint"]
    assert src["Port"] == 1521 and src["EngineDisplayName"] == "Oracle"
    tgt = cli("create-endpoint", {"EndpointIdentifier": "t", "EndpointType": "target", "EngineName": "redshift"})["Endpoint"]
    cli("create-endpoint", {"EndpointIdentifier": "t2", "EndpointType": "source", "EngineName": "redshift"},
        "InvalidParameterValueException")
    task = cli("create-replication-task", {"ReplicationTaskIdentifier": "t", "SourceEndpointArn": src["EndpointArn"],
                                           "TargetEndpointArn": tgt["EndpointArn"],
                                           "ReplicationInstanceArn": ri["ReplicationInstanceArn"],
                                           "MigrationType": "full-load", "TableMappings": MAPPINGS})["ReplicationTask"]
    assert task["Status"] == "creating"
    cli("create-replication-task", {"ReplicationTaskIdentifier": "t9", "SourceEndpointArn": src["EndpointArn"],
                                    "TargetEndpointArn": tgt["EndpointArn"], "ReplicationInstanceArn": ri["ReplicationInstanceArn"],
                                    "MigrationType": "full-load", "TableMappings": "[]"}, "InvalidParameterValueException")
    cert = cli("import-certificate", {"CertificateIdentifier": "c", "CertificatePem": self_signed_pem()})["Certificate"]
    assert cert["SigningAlgorithm"].lower().startswith("sha256")
    cli("import-certificate", {"CertificateIdentifier": "c2", "CertificatePem": "-----BEGIN CERTIFICATE-----\nnope\n"},
        "InvalidCertificateFault")
    cli("create-event-subscription", {"SubscriptionName": "s", "SnsTopicArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:t"})
    cli("create-event-subscription", {"SubscriptionName": "s2", "SnsTopicArn": "topic"}, "SNSInvalidTopicFault")
    cli("create-replication-config", {"ReplicationConfigIdentifier": "c", "SourceEndpointArn": src["EndpointArn"],
                                      "TargetEndpointArn": tgt["EndpointArn"], "ComputeConfig": {"MaxCapacityUnits": 4},
                                      "ReplicationType": "cdc", "TableMappings": MAPPINGS})
    cli("create-replication-config", {"ReplicationConfigIdentifier": "c2", "SourceEndpointArn": src["EndpointArn"],
                                      "TargetEndpointArn": tgt["EndpointArn"], "ComputeConfig": {"MaxCapacityUnits": 3},
                                      "ReplicationType": "cdc", "TableMappings": MAPPINGS}, "InvalidParameterValueException")
    cli("create-data-provider", {"DataProviderName": "p", "Engine": "mysql",
                                 "Settings": {"MySqlSettings": {"ServerName": "m", "Port": 3306}}})
    cli("create-data-provider", {"DataProviderName": "p", "Engine": "mysql",
                                 "Settings": {"MySqlSettings": {"ServerName": "m", "Port": 3306}}}, "ResourceAlreadyExistsFault")
    cli("create-instance-profile", {"InstanceProfileName": "i"})
    cli("create-migration-project", {"MigrationProjectName": "m", "InstanceProfileIdentifier": "i",
                                     "SourceDataProviderDescriptors": [{"DataProviderIdentifier": "p"}],
                                     "TargetDataProviderDescriptors": [{"DataProviderIdentifier": "p"}]})
    cli("create-migration-project", {"MigrationProjectName": "m2", "InstanceProfileIdentifier": "nope",
                                     "SourceDataProviderDescriptors": [], "TargetDataProviderDescriptors": []},
        "ResourceNotFoundFault")
    cli("create-data-migration", {"MigrationProjectIdentifier": "m", "DataMigrationType": "cdc", "ServiceAccessRoleArn": ROLE})
    cli("create-fleet-advisor-collector", {"CollectorName": "c", "S3BucketName": "b", "ServiceAccessRoleArn": ROLE})
    assert cli("start-metadata-model-conversion", {"MigrationProjectIdentifier": "m", "SelectionRules": SELECTION})["RequestIdentifier"]
    assert cli("start-metadata-model-creation", {"MigrationProjectIdentifier": "m", "SelectionRules": SELECTION,
                                                 "MetadataModelName": "v",
                                                 "Properties": {"StatementProperties": {"Definition": "select 1"}}})["RequestIdentifier"]
