"""Resources of the services awssim emulates, created with their real AWS API calls (boto3).

Each handler maps the Pulumi AWS provider's inputs (camelCase, as the mock monitor passes them)
to the AWS operation(s) the provider would call, so awssim validates them exactly as AWS would:
an invalid ASL definition, a malformed trust policy or an unknown role fails with AWS's error.
Handlers return (id, computed state) shaped like the provider's state (id formats included).
"""

from .util import drop_none, tags_list


class ResourceFailed(RuntimeError):
    """The resource reached a failed state while the bridge waited for it."""


def _insync(ctx, change_id):
    def poll():
        return ctx.client("route53").get_change(Id=change_id)["ChangeInfo"]["Status"] == "INSYNC"

    return poll


def _dms_status(ctx, what, describe, key, filter_name, ident, ready, failed=("failed",)):
    def poll():
        items = getattr(ctx.client("dms"), describe)(Filters=[{"Name": filter_name, "Values": [ident]}])[key]
        status = items[0]["Status"] if key == "ReplicationTasks" else items[0]["ReplicationInstanceStatus"]
        if status in failed:
            raise ResourceFailed(f"{what} {ident} is {status}")
        return status == ready

    return poll


def _tags(inputs):
    return tags_list({**(inputs.get("tagsAll") or {}), **(inputs.get("tags") or {})})


# ---------------------------------------------------------------- IAM
def iam_role(ctx, name, inputs):
    iam = ctx.client("iam")
    role_name = inputs.get("name") or ctx.autoname(inputs.get("namePrefix") or name)
    resp = iam.create_role(**drop_none({
        "RoleName": role_name,
        "Path": inputs.get("path") or "/",
        "AssumeRolePolicyDocument": inputs["assumeRolePolicy"],
        "Description": inputs.get("description"),
        "MaxSessionDuration": inputs.get("maxSessionDuration"),
        "PermissionsBoundary": inputs.get("permissionsBoundary"),
        "Tags": _tags(inputs) or None,
    }))["Role"]
    for pol in inputs.get("inlinePolicies") or []:
        if pol.get("name") and pol.get("policy"):
            iam.put_role_policy(RoleName=role_name, PolicyName=pol["name"], PolicyDocument=pol["policy"])
    for arn in inputs.get("managedPolicyArns") or []:
        iam.attach_role_policy(RoleName=role_name, PolicyArn=arn)
    return role_name, {"arn": resp["Arn"], "name": role_name, "uniqueId": resp["RoleId"],
                       "createDate": str(resp["CreateDate"]), "path": resp["Path"],
                       "maxSessionDuration": resp.get("MaxSessionDuration", 3600)}


def iam_role_policy(ctx, name, inputs):
    policy_name = inputs.get("name") or ctx.autoname(inputs.get("namePrefix") or name)
    ctx.client("iam").put_role_policy(RoleName=inputs["role"], PolicyName=policy_name,
                                      PolicyDocument=inputs["policy"])
    return f"{inputs['role']}:{policy_name}", {"name": policy_name}


def iam_role_policy_attachment(ctx, name, inputs):
    ctx.client("iam").attach_role_policy(RoleName=inputs["role"], PolicyArn=inputs["policyArn"])
    return f"{inputs['role']}/{inputs['policyArn']}", {}


# ---------------------------------------------------------------- Step Functions
def _sfn_logging(cfg):
    if not cfg:
        return None
    out = {"level": cfg.get("level", "OFF"), "includeExecutionData": bool(cfg.get("includeExecutionData"))}
    if cfg.get("logDestination"):
        out["destinations"] = [{"cloudWatchLogsLogGroup": {"logGroupArn": cfg["logDestination"]}}]
    return out


def _sfn_encryption(cfg):
    if not cfg:
        return None
    return drop_none({"type": cfg.get("type"), "kmsKeyId": cfg.get("kmsKeyId"),
                      "kmsDataKeyReusePeriodSeconds": cfg.get("kmsDataKeyReusePeriodSeconds")})


def sfn_state_machine(ctx, name, inputs):
    sm_name = inputs.get("name") or ctx.autoname(inputs.get("namePrefix") or name)
    tracing = inputs.get("tracingConfiguration")
    resp = ctx.client("stepfunctions").create_state_machine(**drop_none({
        "name": sm_name,
        "definition": inputs["definition"],
        "roleArn": inputs["roleArn"],
        "type": inputs.get("type") or "STANDARD",
        "loggingConfiguration": _sfn_logging(inputs.get("loggingConfiguration")),
        "tracingConfiguration": {"enabled": bool(tracing.get("enabled"))} if tracing else None,
        "encryptionConfiguration": _sfn_encryption(inputs.get("encryptionConfiguration")),
        "publish": inputs.get("publish"),
        "tags": tags_list(inputs.get("tags"), "key", "value") or None,
    }))
    arn = resp["stateMachineArn"]
    return arn, {"arn": arn, "name": sm_name, "creationDate": str(resp["creationDate"]), "status": "ACTIVE",
                 "stateMachineVersionArn": resp.get("stateMachineVersionArn", ""),
                 "revisionId": resp.get("revisionId", "")}


def sfn_activity(ctx, name, inputs):
    act_name = inputs.get("name") or ctx.autoname(name)
    resp = ctx.client("stepfunctions").create_activity(**drop_none({
        "name": act_name,
        "tags": tags_list(inputs.get("tags"), "key", "value") or None,
        "encryptionConfiguration": _sfn_encryption(inputs.get("encryptionConfiguration")),
    }))
    return resp["activityArn"], {"arn": resp["activityArn"], "name": act_name,
                                 "creationDate": str(resp["creationDate"])}


# ---------------------------------------------------------------- Route 53
def _zone_id(raw):
    return raw.rsplit("/", 1)[-1]


def route53_zone(ctx, name, inputs):
    r53 = ctx.client("route53")
    vpcs = inputs.get("vpcs") or []
    cfg = {"Comment": inputs.get("comment") if inputs.get("comment") is not None else "Managed by Pulumi"}
    if vpcs:
        cfg["PrivateZone"] = True
    args = {"Name": inputs["name"], "CallerReference": ctx.autoname(name), "HostedZoneConfig": cfg}
    if vpcs:
        args["VPC"] = {"VPCRegion": vpcs[0].get("vpcRegion") or ctx.region, "VPCId": vpcs[0]["vpcId"]}
    if inputs.get("delegationSetId"):
        args["DelegationSetId"] = inputs["delegationSetId"]
    resp = r53.create_hosted_zone(**args)
    zone_id = _zone_id(resp["HostedZone"]["Id"])
    ctx.wait_until(f"hosted zone {zone_id}", _insync(ctx, resp["ChangeInfo"]["Id"]), step=15)
    for vpc in vpcs[1:]:
        r53.associate_vpc_with_hosted_zone(
            HostedZoneId=zone_id, VPC={"VPCRegion": vpc.get("vpcRegion") or ctx.region, "VPCId": vpc["vpcId"]})
    tags = _tags(inputs)
    if tags:
        r53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zone_id, AddTags=tags)
    servers = (resp.get("DelegationSet") or {}).get("NameServers") or []
    return zone_id, {"zoneId": zone_id, "arn": f"arn:aws:route53:::hostedzone/{zone_id}",
                     "nameServers": servers, "primaryNameServer": servers[0] if servers else ""}


def route53_zone_association(ctx, name, inputs):
    zone_id = _zone_id(inputs["zoneId"])
    vpc_region = inputs.get("vpcRegion") or ctx.region
    resp = ctx.client("route53").associate_vpc_with_hosted_zone(
        HostedZoneId=zone_id, VPC={"VPCRegion": vpc_region, "VPCId": inputs["vpcId"]})
    ctx.wait_until(f"association of {inputs['vpcId']}", _insync(ctx, resp["ChangeInfo"]["Id"]), step=15)
    return f"{zone_id}:{inputs['vpcId']}:{vpc_region}", {"vpcRegion": vpc_region}


def _fqdn(record_name, zone_name):
    record_name = record_name.rstrip(".")
    zone_name = zone_name.rstrip(".")
    if record_name == zone_name or record_name.endswith("." + zone_name):
        return record_name
    return f"{record_name}.{zone_name}"


def route53_record(ctx, name, inputs):
    r53 = ctx.client("route53")
    zone_id = _zone_id(inputs["zoneId"])
    zone_name = r53.get_hosted_zone(Id=zone_id)["HostedZone"]["Name"]
    fqdn = _fqdn(inputs["name"], zone_name)
    rrset = {"Name": fqdn, "Type": inputs["type"]}
    if inputs.get("aliases"):
        alias = inputs["aliases"][0]
        rrset["AliasTarget"] = {"HostedZoneId": alias["zoneId"], "DNSName": alias["name"],
                                "EvaluateTargetHealth": bool(alias.get("evaluateTargetHealth"))}
    else:
        rrset["TTL"] = int(inputs["ttl"])
        rrset["ResourceRecords"] = [{"Value": v} for v in inputs.get("records") or []]
    if inputs.get("setIdentifier"):
        rrset["SetIdentifier"] = inputs["setIdentifier"]
    for policy, field, conv in (("weightedRoutingPolicies", "Weight", lambda p: int(p["weight"])),
                                ("failoverRoutingPolicies", "Failover", lambda p: p["type"]),
                                ("latencyRoutingPolicies", "Region", lambda p: p["region"])):
        if inputs.get(policy):
            rrset[field] = conv(inputs[policy][0])
    if inputs.get("healthCheckId"):
        rrset["HealthCheckId"] = inputs["healthCheckId"]
    action = "UPSERT" if inputs.get("allowOverwrite") else "CREATE"
    change = r53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={"Comment": "Managed by Pulumi", "Changes": [{"Action": action, "ResourceRecordSet": rrset}]},
    )
    ctx.wait_until(f"record {fqdn}", _insync(ctx, change["ChangeInfo"]["Id"]), step=15)
    parts = [zone_id, fqdn, inputs["type"]] + ([inputs["setIdentifier"]] if inputs.get("setIdentifier") else [])
    return "_".join(parts), {"fqdn": fqdn, "name": fqdn}


HEALTH_FIELDS = {
    "ipAddress": "IPAddress", "port": "Port", "type": "Type", "resourcePath": "ResourcePath",
    "fqdn": "FullyQualifiedDomainName", "searchString": "SearchString", "requestInterval": "RequestInterval",
    "failureThreshold": "FailureThreshold", "measureLatency": "MeasureLatency", "invertHealthcheck": "Inverted",
    "disabled": "Disabled", "enableSni": "EnableSNI", "regions": "Regions", "childHealthchecks": "ChildHealthChecks",
    "childHealthThreshold": "HealthThreshold", "insufficientDataHealthStatus": "InsufficientDataHealthStatus",
}


def route53_health_check(ctx, name, inputs):
    r53 = ctx.client("route53")
    config = {aws: inputs[k] for k, aws in HEALTH_FIELDS.items() if inputs.get(k) is not None}
    if inputs.get("cloudwatchAlarmName"):
        config["AlarmIdentifier"] = {"Name": inputs["cloudwatchAlarmName"],
                                     "Region": inputs.get("cloudwatchAlarmRegion") or ctx.region}
    resp = r53.create_health_check(CallerReference=inputs.get("referenceName") or ctx.autoname(name),
                                   HealthCheckConfig=config)
    hc_id = resp["HealthCheck"]["Id"]
    tags = _tags(inputs)
    if tags:
        r53.change_tags_for_resource(ResourceType="healthcheck", ResourceId=hc_id, AddTags=tags)
    return hc_id, {"arn": f"arn:aws:route53:::healthcheck/{hc_id}"}


# ---------------------------------------------------------------- DMS
def dms_subnet_group(ctx, name, inputs):
    ident = inputs["replicationSubnetGroupId"]
    resp = ctx.client("dms").create_replication_subnet_group(**drop_none({
        "ReplicationSubnetGroupIdentifier": ident,
        "ReplicationSubnetGroupDescription": inputs.get("replicationSubnetGroupDescription") or "Managed by Pulumi",
        "SubnetIds": inputs["subnetIds"],
        "Tags": _tags(inputs) or None,
    }))["ReplicationSubnetGroup"]
    return ident, {"vpcId": resp.get("VpcId", ""),
                   "replicationSubnetGroupArn": f"arn:aws:dms:{ctx.region}:{ctx.account}:subgrp:{ident}"}


def dms_replication_instance(ctx, name, inputs):
    ident = inputs["replicationInstanceId"]
    resp = ctx.client("dms").create_replication_instance(**drop_none({
        "ReplicationInstanceIdentifier": ident,
        "ReplicationInstanceClass": inputs["replicationInstanceClass"],
        "AllocatedStorage": inputs.get("allocatedStorage"),
        "EngineVersion": inputs.get("engineVersion"),
        "MultiAZ": inputs.get("multiAz"),
        "PubliclyAccessible": inputs.get("publiclyAccessible"),
        "KmsKeyId": inputs.get("kmsKeyArn"),
        "ReplicationSubnetGroupIdentifier": inputs.get("replicationSubnetGroupId"),
        "VpcSecurityGroupIds": inputs.get("vpcSecurityGroupIds"),
        "AutoMinorVersionUpgrade": inputs.get("autoMinorVersionUpgrade"),
        "AvailabilityZone": inputs.get("availabilityZone"),
        "PreferredMaintenanceWindow": inputs.get("preferredMaintenanceWindow"),
        "NetworkType": inputs.get("networkType"),
        "Tags": _tags(inputs) or None,
    }))["ReplicationInstance"]
    ctx.wait_until(f"replication instance {ident}", _dms_status(
        ctx, "replication instance", "describe_replication_instances", "ReplicationInstances",
        "replication-instance-id", ident, "available", ("failed", "incompatible-network", "storage-full")))
    return ident, {"replicationInstanceArn": resp["ReplicationInstanceArn"],
                   "replicationInstancePrivateIps": resp.get("ReplicationInstancePrivateIpAddresses", []),
                   "replicationInstancePublicIps": resp.get("ReplicationInstancePublicIpAddresses", [])}


# The provider puts top-level secrets_manager_* into the engine's settings block.
SECRET_SETTINGS = {
    "postgres": "PostgreSQLSettings", "aurora-postgresql": "PostgreSQLSettings",
    "mysql": "MySQLSettings", "aurora": "MySQLSettings", "mariadb": "MySQLSettings",
    "oracle": "OracleSettings", "sqlserver": "MicrosoftSQLServerSettings", "redshift": "RedshiftSettings",
    "mongodb": "MongoDbSettings", "db2": "IBMDb2Settings", "sybase": "SybaseSettings",
}


def dms_endpoint(ctx, name, inputs):
    ident = inputs["endpointId"]
    engine = inputs["engineName"]
    args = drop_none({
        "EndpointIdentifier": ident,
        "EndpointType": inputs["endpointType"],
        "EngineName": engine,
        "Username": inputs.get("username"),
        "Password": inputs.get("password"),
        "ServerName": inputs.get("serverName"),
        "Port": inputs.get("port"),
        "DatabaseName": inputs.get("databaseName"),
        "ExtraConnectionAttributes": inputs.get("extraConnectionAttributes"),
        "KmsKeyId": inputs.get("kmsKeyArn"),
        "CertificateArn": inputs.get("certificateArn"),
        "SslMode": inputs.get("sslMode"),
        "ServiceAccessRoleArn": inputs.get("serviceAccessRole"),
        "Tags": _tags(inputs) or None,
    })
    if inputs.get("secretsManagerArn"):
        block = SECRET_SETTINGS.get(engine)
        if block is None:
            raise ValueError(f"secrets_manager_arn is not supported for engine {engine}")
        args[block] = drop_none({"SecretsManagerSecretId": inputs["secretsManagerArn"],
                                 "SecretsManagerAccessRoleArn": inputs.get("secretsManagerAccessRoleArn")})
    resp = ctx.client("dms").create_endpoint(**args)["Endpoint"]
    return ident, {"endpointArn": resp["EndpointArn"]}


def dms_replication_task(ctx, name, inputs):
    dms = ctx.client("dms")
    ident = inputs["replicationTaskId"]
    resp = dms.create_replication_task(**drop_none({
        "ReplicationTaskIdentifier": ident,
        "SourceEndpointArn": inputs["sourceEndpointArn"],
        "TargetEndpointArn": inputs["targetEndpointArn"],
        "ReplicationInstanceArn": inputs["replicationInstanceArn"],
        "MigrationType": inputs["migrationType"],
        "TableMappings": inputs["tableMappings"],
        "ReplicationTaskSettings": inputs.get("replicationTaskSettings"),
        "CdcStartPosition": inputs.get("cdcStartPosition"),
        "ResourceIdentifier": inputs.get("resourceIdentifier"),
        "Tags": _tags(inputs) or None,
    }))["ReplicationTask"]
    arn = resp["ReplicationTaskArn"]
    ctx.wait_until(f"replication task {ident}", _dms_status(
        ctx, "replication task", "describe_replication_tasks", "ReplicationTasks", "replication-task-arn", arn,
        "ready"))
    status = "ready"
    if inputs.get("startReplicationTask"):
        dms.start_replication_task(ReplicationTaskArn=arn, StartReplicationTaskType="start-replication")
        ctx.wait_until(f"replication task {ident} to run", _dms_status(
            ctx, "replication task", "describe_replication_tasks", "ReplicationTasks", "replication-task-arn", arn,
            "running", ("failed", "stopped")))
        status = "running"
    return ident, {"replicationTaskArn": arn, "status": status}


# ---------------------------------------------------------------- RAM
def ram_resource_share(ctx, name, inputs):
    share_name = inputs.get("name") or ctx.autoname(name)
    resp = ctx.client("ram").create_resource_share(**drop_none({
        "name": share_name,
        "allowExternalPrincipals": inputs.get("allowExternalPrincipals"),
        "permissionArns": inputs.get("permissionArns"),
        "tags": tags_list(inputs.get("tags"), "key", "value") or None,
    }))["resourceShare"]
    return resp["resourceShareArn"], {"arn": resp["resourceShareArn"], "name": share_name}


def ram_resource_association(ctx, name, inputs):
    share, res = inputs["resourceShareArn"], inputs["resourceArn"]
    ctx.client("ram").associate_resource_share(resourceShareArn=share, resourceArns=[res])
    return f"{share},{res}", {}


def ram_principal_association(ctx, name, inputs):
    share, principal = inputs["resourceShareArn"], inputs["principal"]
    ctx.client("ram").associate_resource_share(resourceShareArn=share, principals=[principal])
    return f"{share},{principal}", {}


HANDLERS = {
    "aws:iam/role:Role": iam_role,
    "aws:iam/rolePolicy:RolePolicy": iam_role_policy,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": iam_role_policy_attachment,
    "aws:sfn/stateMachine:StateMachine": sfn_state_machine,
    "aws:sfn/activity:Activity": sfn_activity,
    "aws:route53/zone:Zone": route53_zone,
    "aws:route53/record:Record": route53_record,
    "aws:route53/zoneAssociation:ZoneAssociation": route53_zone_association,
    "aws:route53/healthCheck:HealthCheck": route53_health_check,
    "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup": dms_subnet_group,
    "aws:dms/replicationInstance:ReplicationInstance": dms_replication_instance,
    "aws:dms/endpoint:Endpoint": dms_endpoint,
    "aws:dms/replicationTask:ReplicationTask": dms_replication_task,
    "aws:ram/resourceShare:ResourceShare": ram_resource_share,
    "aws:ram/resourceAssociation:ResourceAssociation": ram_resource_association,
    "aws:ram/principalAssociation:PrincipalAssociation": ram_principal_association,
}


def handles(typ):
    return typ in HANDLERS


def create(ctx, typ, name, inputs):
    return HANDLERS[typ](ctx, name, inputs)
