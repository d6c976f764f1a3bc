"""Behaviour of the program in mock mode (self-contained FakeAws, no awssim needed)."""

import ipaddress
import json
import os
import runpy

import pulumi
import pytest

from payment_migration import config as cfg_mod
from payment_migration.iam import WILDCARD_ONLY_ACTIONS
from payment_migration.orchestration import build_definition
from tests.harness import FakeAws, PROJECT, run_program

SUFFIX = "pr42"
BASE = {"environmentSuffix": SUFFIX, "opsEmails": ["ops@example.com", "oncall@example.com"]}
REGIONS = ("eu-central-1", "eu-central-2")


@pytest.fixture(scope="module")
def full():
    return run_program(BASE)


@pytest.fixture(scope="module")
def forward_only():
    return run_program({**BASE, "enableRollback": "false"})


@pytest.fixture(scope="module")
def rollback_only():
    return run_program({**BASE, "enableForwardMigration": "false", "deployRoleArn":
                        "arn:aws:iam::123456789012:role/deployer", "createDmsVpcRole": "false"})


def definition(m):
    (sm,) = m.of_type("aws:sfn/stateMachine:StateMachine")
    return json.loads(sm.inputs["definition"])


def test_outputs_present(full):
    _, outs = full
    for key in ("migrationStateMachineArn", "apiGatewayEndpoint", "dashboardUrl", "apiGatewayPaymentsUrl",
                "apiGatewayLegacyUrl", "apiGatewayMigratedUrl", "checkpointBucketName", "rollbackBucketName",
                "forwardReplicationTaskArn", "reverseReplicationTaskArn", "alertsTopicArn", "hostedZoneId",
                "productionVpcIdPrimary", "productionVpcIdSecondary", "transitGatewayIdSecondary"):
        assert outs[key], key
    assert outs["migrationStateMachineArn"].startswith("arn:aws:states:eu-central-1:")
    assert outs["apiGatewayEndpoint"].startswith("https://") and outs["apiGatewayEndpoint"].endswith("/live")
    assert "#dashboards:name=payment-migration-pr42" in outs["dashboardUrl"]
    assert outs["migrationDirection"] == "forward-with-rollback"
    assert outs["parameterPrefix"] == "/payment-migration/pr42"


def test_both_regions_have_production_and_migration_vpcs(full):
    m, _ = full
    vpcs = m.of_type("aws:ec2/vpc:Vpc")
    by_region = {}
    for v in vpcs:
        by_region.setdefault(m.region(v), []).append(v.inputs["tags"]["Tier"])
    assert {r: sorted(t) for r, t in by_region.items()} == {r: ["migration", "production"] for r in REGIONS}
    cidrs = [ipaddress.ip_network(v.inputs["cidrBlock"]) for v in vpcs]
    assert not any(a.overlaps(b) for i, a in enumerate(cidrs) for b in cidrs[i + 1:])
    assert len(m.of_type("aws:ec2transitgateway/transitGateway:TransitGateway")) == 2
    assert {m.region(t) for t in m.of_type("aws:ec2/vpnConnection:VpnConnection")} == set(REGIONS)
    for att in m.of_type("aws:ec2transitgateway/vpcAttachment:VpcAttachment"):
        assert len(att.inputs["subnetIds"]) == 2


def test_subnet_layout(full):
    m, _ = full
    subnets = m.of_type("aws:ec2/subnet:Subnet")
    layout = {}
    for s in subnets:
        kind = "production" if "production" in s.name else "migration"
        layout.setdefault((m.region(s), kind, s.inputs["tags"]["Tier"]), []).append(s)
    for region in REGIONS:
        assert len(layout[(region, "production", "public")]) == 2
        assert len(layout[(region, "production", "private")]) == 2
        assert (region, "production", "dms") not in layout
        assert len(layout[(region, "migration", "dms")]) == 2
        for group in [layout[(region, k, t)] for k, t in (("production", "private"), ("migration", "dms"))]:
            assert {s.inputs["availabilityZone"] for s in group} == {f"{region}a", f"{region}b"}
    assert all(s.inputs["mapPublicIpOnLaunch"] is False for s in subnets)
    # NAT gateways live in public subnets, one per AZ per VPC
    nats = m.of_type("aws:ec2/natGateway:NatGateway")
    public_ids = {s.id for s in subnets if s.inputs["tags"]["Tier"] == "public"}
    assert len(nats) == 8 and all(n.inputs["subnetId"] in public_ids for n in nats)
    # private route tables reach on-premises through the TGW
    tgw_routes = [r for r in m.of_type("aws:ec2/route:Route") if r.inputs.get("transitGatewayId")]
    assert {r.inputs["destinationCidrBlock"] for r in tgw_routes} >= {"10.100.0.0/16", "10.10.0.0/16", "10.11.0.0/16"}


def test_every_vpc_has_flow_logs_to_an_encrypted_group(full):
    m, _ = full
    vpcs = {v.id for v in m.of_type("aws:ec2/vpc:Vpc")}
    logs = m.of_type("aws:ec2/flowLog:FlowLog")
    assert {f.inputs["vpcId"] for f in logs} == vpcs and len(logs) == 4
    groups = {g.state["arn"]: g for g in m.of_type("aws:cloudwatch/logGroup:LogGroup")}
    for f in logs:
        assert f.inputs["trafficType"] == "ALL" and f.inputs["logDestinationType"] == "cloud-watch-logs"
        group = groups[f.inputs["logDestination"]]
        assert group.inputs["kmsKeyId"] and m.region(group) == m.region(f)


def test_dms_in_dedicated_subnets_and_full_load_and_cdc(full):
    m, _ = full
    (group,) = m.of_type("aws:dms/replicationSubnetGroup:ReplicationSubnetGroup")
    dms_subnets = {s.id for s in m.of_type("aws:ec2/subnet:Subnet") if s.inputs["tags"]["Tier"] == "dms"
                   and m.region(s) == "eu-central-1"}
    assert set(group.inputs["subnetIds"]) == dms_subnets
    tasks = {t.inputs["replicationTaskId"]: t.inputs for t in m.of_type("aws:dms/replicationTask:ReplicationTask")}
    assert tasks["payments-forward-pr42"]["migrationType"] == "full-load-and-cdc"
    assert tasks["payments-reverse-pr42"]["migrationType"] == "cdc"
    rules = json.loads(tasks["payments-forward-pr42"]["tableMappings"])["rules"]
    assert {r["object-locator"]["table-name"] for r in rules} == {"payments", "transactions", "settlements", "refunds"}
    (inst,) = m.of_type("aws:dms/replicationInstance:ReplicationInstance")
    env = m.one("aws:lambda/function:Function", "data-validation-pr42").inputs["environment"]["variables"]
    assert env["REPLICATION_INSTANCE_ID"] == inst.inputs["replicationInstanceId"] == "payments-dms-pr42"
    assert env["REPLICATION_TASK_ARN"].endswith("PAYMENTS-FORWARD-PR42")
    for ep in m.of_type("aws:dms/endpoint:Endpoint"):
        assert ep.inputs["secretsManagerArn"].startswith("arn:aws:secretsmanager:")
        assert "password" not in ep.inputs and ep.inputs["sslMode"] == "require"


def test_aurora_global_with_replicas_in_both_regions(full):
    m, _ = full
    clusters = {m.region(c): c.inputs for c in m.of_type("aws:rds/cluster:Cluster")}
    assert set(clusters) == set(REGIONS)
    # credentials from the existing secret, kept secret in the state
    assert clusters["eu-central-1"]["masterUsername"]["value"] == "payments_admin"
    assert clusters["eu-central-1"]["masterPassword"]["value"] == "s3cr3t-Pa55"
    assert "masterPassword" not in clusters["eu-central-2"]
    for region, c in clusters.items():
        assert c["engine"] == "aurora-postgresql" and c["storageEncrypted"] is True
        assert c["kmsKeyId"].startswith(f"arn:aws:kms:{region}:")
    instances = m.of_type("aws:rds/clusterInstance:ClusterInstance")
    assert sorted(m.region(i) for i in instances) == ["eu-central-1"] * 2 + ["eu-central-2"] * 2
    assert all(i.inputs["publiclyAccessible"] is False for i in instances)


def test_encryption_on_every_store(full):
    m, _ = full
    buckets = m.of_type("aws:s3/bucket:Bucket")
    sse = m.of_type("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    versioning = m.of_type("aws:s3/bucketVersioning:BucketVersioning")
    assert len(buckets) == 2
    assert {s.inputs["bucket"] for s in sse} == {b.id for b in buckets} == {v.inputs["bucket"] for v in versioning}
    assert all(v.inputs["versioningConfiguration"]["status"] == "Enabled" for v in versioning)
    for s in sse:
        rule = s.inputs["rules"][0]["applyServerSideEncryptionByDefault"]
        assert rule["sseAlgorithm"] == "aws:kms" and rule["kmsMasterKeyId"].startswith("arn:aws:kms:")
    tls = [json.loads(p.inputs["policy"]) for p in m.of_type("aws:s3/bucketPolicy:BucketPolicy")]
    assert all(d["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for d in tls)
    assert all(t.inputs["kmsMasterKeyId"] for t in m.of_type("aws:sns/topic:Topic"))
    assert all(g.inputs["kmsKeyId"] for g in m.of_type("aws:cloudwatch/logGroup:LogGroup"))
    params = m.of_type("aws:ssm/parameter:Parameter")
    assert params and all(p.inputs["type"] == "SecureString" and p.inputs["keyId"] for p in params)
    assert all(f.inputs["kmsKeyArn"] for f in m.of_type("aws:lambda/function:Function"))
    (sm,) = m.of_type("aws:sfn/stateMachine:StateMachine")
    assert sm.inputs["encryptionConfiguration"]["type"] == "CUSTOMER_MANAGED_KMS_KEY"
    (dms,) = m.of_type("aws:dms/replicationInstance:ReplicationInstance")
    assert dms.inputs["kmsKeyArn"] and dms.inputs["publiclyAccessible"] is False
    assert all(k.inputs["enableKeyRotation"] for k in m.of_type("aws:kms/key:Key"))


def test_rotation_on_every_credential_from_existing_secrets(full):
    m, _ = full
    looked_up = [a["name"] for t, a, _ in m.calls if t == "aws:secretsmanager/getSecret:getSecret"]
    assert sorted(looked_up) == sorted(f"payment-migration/{SUFFIX}/{k}" for k in
                                       ("aurora-master", "onprem-db", "api-authorizer"))
    assert not [r for r in m.resources if r.typ.startswith("aws:secretsmanager/secret:")]
    rotations = m.of_type("aws:secretsmanager/secretRotation:SecretRotation")
    assert sorted(r.inputs["secretId"].split(":secret:")[1] for r in rotations) == sorted(
        f"{n}-AbCdEf" for n in looked_up)
    rot_fn = m.one("aws:lambda/function:Function", "secret-rotation-pr42")
    assert all(r.inputs["rotationLambdaArn"] == rot_fn.state["arn"] for r in rotations)
    assert all(r.inputs["rotationRules"]["automaticallyAfterDays"] == 30 for r in rotations)
    perms = [p for p in m.of_type("aws:lambda/permission:Permission") if p.inputs["principal"].startswith("secrets")]
    assert sorted(p.inputs["sourceArn"] for p in perms) == sorted(r.inputs["secretId"] for r in rotations)


NAME_PROPS = ("name", "bucket", "clusterIdentifier", "identifier", "globalClusterIdentifier", "replicationTaskId",
              "endpointId", "replicationInstanceId", "replicationSubnetGroupId", "dashboardName")
# DMS needs its account-wide VPC management role under exactly this name.
SUFFIX_EXEMPT = {("aws:iam/role:Role", "dms-vpc-role")}


def test_names_carry_the_suffix(full):
    m, _ = full
    named = 0
    for r in m.resources:
        assert SUFFIX in r.name, r.name
        for prop in NAME_PROPS:
            value = r.inputs.get(prop)
            if isinstance(value, str) and (r.typ, value) not in SUFFIX_EXEMPT:
                assert SUFFIX in value, (r.typ, prop, value)
                named += 1
    assert named > 100
    for provider in m.of_type("pulumi:providers:aws"):  # provider inputs arrive JSON-encoded
        assert json.loads(provider.inputs["defaultTags"])["tags"]["EnvironmentSuffix"] == SUFFIX


def test_iam_policies_scoped_to_named_resources(full):
    m, _ = full
    policies = m.of_type("aws:iam/rolePolicy:RolePolicy")
    assert len(policies) >= 6
    for p in policies:
        for st in json.loads(p.inputs["policy"])["Statement"]:
            actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
            resources = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
            if "*" in resources:
                assert set(actions) <= WILDCARD_ONLY_ACTIONS, (p.name, st)
            else:
                assert all(r.startswith("arn:aws:") and r != "arn:aws:*" for r in resources), (p.name, st)
            assert not any(a.endswith(":*") or a == "*" for a in actions), (p.name, st)
    for role in m.of_type("aws:iam/role:Role"):
        trust = json.loads(role.inputs["assumeRolePolicy"])
        assert all(s["Principal"].get("Service") for s in trust["Statement"])
    sfn_policy = json.loads(m.one("aws:iam/rolePolicy:RolePolicy", "migration-sfn-role-policy-pr42").inputs["policy"])
    invoke = next(s for s in sfn_policy["Statement"] if s["Sid"] == "InvokeMigrationLambdas")
    assert any("data-validation-pr42" in r for r in invoke["Resource"])


def test_state_machine_phases_and_automated_rollback(full):
    m, _ = full
    d = definition(m)
    states = d["States"]
    assert d["StartAt"] == "SelectDirection"
    for phase in ("PreChecks", "StartFullLoad", "CheckCdcLag", "ValidateData", "ShiftTraffic", "Cutover", "Rollback"):
        assert phase in states
    catches = [c["Next"] for s in states.values() for c in s.get("Catch", [])]
    assert set(catches) <= {"Rollback", "NotifyFailure"} and "Rollback" in catches
    assert states["Rollback"]["Catch"][0]["Next"] == "NotifyFailure"
    assert states["LagWithinThreshold"]["Choices"][1]["NumericGreaterThanEquals"] == 20
    assert states["DataConsistent"]["Default"] == "Rollback"
    shift = states["ShiftTraffic"]["Parameters"]["ChangeBatch"]["Changes"]
    assert [c["ResourceRecordSet"]["Weight"] for c in shift] == [100, 0]
    assert states["StartFullLoad"]["Parameters"]["ReplicationTaskArn"].endswith("PAYMENTS-FORWARD-PR42")


def test_flags_forward_only(forward_only):
    m, outs = forward_only
    d = definition(m)
    assert d["StartAt"] == "PreChecks" and "Rollback" not in d["States"]
    assert {c["Next"] for s in d["States"].values() for c in s.get("Catch", [])} == {"NotifyFailure"}
    assert [t.inputs["migrationType"] for t in m.of_type("aws:dms/replicationTask:ReplicationTask")] == [
        "full-load-and-cdc"]
    assert len(m.of_type("aws:s3/bucket:Bucket")) == 1
    assert "rollbackFunctionName" not in outs and "reverseReplicationTaskArn" not in outs
    assert outs["migrationDirection"] == "forward"


def test_flags_rollback_only(rollback_only):
    m, outs = rollback_only
    d = definition(m)
    assert d["StartAt"] == "Rollback" and "PreChecks" not in d["States"]
    assert d["States"]["Rollback"]["Next"] == "RollbackComplete"
    assert [t.inputs["migrationType"] for t in m.of_type("aws:dms/replicationTask:ReplicationTask")] == ["cdc"]
    assert "forwardReplicationTaskArn" not in outs and outs["migrationDirection"] == "rollback"
    validation = m.one("aws:lambda/function:Function", "data-validation-pr42")
    env = validation.inputs["environment"]["variables"]
    assert "aurora-master" in env["SOURCE_SECRET_ARN"] and "onprem-db" in env["TARGET_SECRET_ARN"]
    providers = m.of_type("pulumi:providers:aws")
    assert all("deployer" in p.inputs["assumeRoles"] for p in providers)
    assert not [r for r in m.of_type("aws:iam/role:Role") if r.inputs["name"] == "dms-vpc-role"]


def test_traffic_share_drives_weights_and_canary():
    m, _ = run_program({**BASE, "newSystemTrafficPercent": "25"})
    (stage,) = m.of_type("aws:apigateway/stage:Stage")
    assert stage.inputs["canarySettings"]["percentTraffic"] == 25
    weights = {r.inputs["setIdentifier"]: r.inputs["weightedRoutingPolicies"][0]["weight"]
               for r in m.of_type("aws:route53/record:Record") if r.inputs.get("setIdentifier")}
    assert weights == {"legacy": 75, "migrated": 25}
    (auth,) = m.of_type("aws:apigateway/authorizer:Authorizer")
    assert auth.inputs["type"] == "TOKEN"
    methods = m.of_type("aws:apigateway/method:Method")
    assert len(methods) == 3 and all(x.inputs["authorization"] == "CUSTOM" for x in methods)


def test_monitoring(full):
    m, _ = full
    (dash,) = m.of_type("aws:cloudwatch/dashboard:Dashboard")
    body = json.loads(dash.inputs["dashboardBody"])
    titles = [w["properties"]["title"] for w in body["widgets"]]
    assert "DMS replication lag (s)" in titles and "Lambda error rate" in titles
    patterns = {f.inputs["pattern"] for f in m.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter")}
    assert '{ $.event = "validation_mismatch" }' in patterns and '{ $.event = "rollback_started" }' in patterns
    alarms = {a.inputs["name"]: a.inputs for a in m.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert alarms["replication-lag-pr42"]["threshold"] == 30
    alerts = m.one("aws:sns/topic:Topic", "migration-alerts-pr42").state["arn"]
    assert all(a["alarmActions"] == [alerts] for a in alarms.values())
    subs = m.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert len(subs) == 4 and all(s.inputs["protocol"] == "email" for s in subs)


def test_parameter_hierarchy(full):
    m, _ = full
    names = {p.inputs["name"] for p in m.of_type("aws:ssm/parameter:Parameter")}
    assert all(n.startswith("/payment-migration/pr42/") for n in names)
    assert "/payment-migration/pr42/migration/phase" in names
    assert "/payment-migration/pr42/dms/reverse-task-arn" in names


@pytest.mark.parametrize("override,message", [
    ({"enableForwardMigration": "false", "enableRollback": "false"}, "at least one"),
    ({"newSystemTrafficPercent": "150"}, "between 0 and 100"),
    ({"replicationLagThresholdSeconds": "-5"}, "positive"),
    ({"secondaryRegion": "eu-central-1"}, "must differ"),
    ({"environmentSuffix": "Bad_Suffix"}, "environmentSuffix"),
    ({"onPremCidr": "10.10.0.0/16"}, "overlaps"),
])
def test_invalid_config_rejected(override, message):
    with pytest.raises(cfg_mod.ConfigError, match=message):
        run_program({**BASE, **override})


def test_config_defaults_use_stack_name():
    m, outs = run_program({}, stack="feature-x")
    assert outs["environmentSuffix"] == "feature-x"
    assert outs["forwardMigrationEnabled"] is True and outs["rollbackEnabled"] is True


def test_database_driver_layer_only_on_database_functions():
    layer = "arn:aws:lambda:eu-central-1:123456789012:layer:pg8000:3"
    m, _ = run_program({**BASE, "dbDriverLayerArn": layer})
    layers = {f.inputs["name"]: f.inputs.get("layers") for f in m.of_type("aws:lambda/function:Function")}
    assert layers == {"data-validation-pr42": [layer], "secret-rotation-pr42": [layer],
                      "api-authorizer-pr42": None, "migration-rollback-pr42": None}


def test_config_secret_name_overrides():
    m, _ = run_program({**BASE, "secretNames": {"api": "shared/api-token"}})
    names = [a["name"] for t, a, _ in m.calls if t == "aws:secretsmanager/getSecret:getSecret"]
    assert "shared/api-token" in names


def test_main_entry_point_builds_the_stack():
    mocks = FakeAws()
    pulumi.runtime.set_all_config({f"{PROJECT}:environmentSuffix": "main1"})
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack="main1", preview=False)
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    main = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "__main__.py")
    _sync_await(run_pulumi_func(lambda: runpy.run_path(main, run_name="__main__")))
    assert mocks.of_type("aws:sfn/stateMachine:StateMachine")


def test_definition_builder_lag_loop_is_bounded():
    p = dict(forward=True, rollback=False, direction="forward", validation_fn="arn:v", rollback_fn="",
             forward_task="arn:t", zone_id="Z1", migrated_target="new", alerts_topic="arn:a", status_topic="arn:s",
             record_name="api.x", legacy_target="old", shift_percent=10, max_lag_checks=3)
    d = build_definition(p)
    s = d["States"]
    assert s["CountLagCheck"]["Next"] == "WaitForCdcCatchUp" and s["WaitForCdcCatchUp"]["Next"] == "CheckCdcLag"
    assert s["LagWithinThreshold"]["Choices"][1] == {"Variable": "$.lagChecks.count",
                                                     "NumericGreaterThanEquals": 3, "Next": "NotifyFailure"}
    reachable, todo = set(), [d["StartAt"]]
    while todo:
        name = todo.pop()
        if name in reachable:
            continue
        reachable.add(name)
        st = s[name]
        nxt = [st.get("Next"), st.get("Default")] + [c["Next"] for c in st.get("Choices", [])] + \
              [c["Next"] for c in st.get("Catch", [])]
        todo += [n for n in nxt if n]
    assert reachable == set(s)
