/**
 * handlers.ts — Pulumi AWS resource types awssim emulates, created with the real AWS API calls.
 *
 * Each handler turns the resource's Pulumi inputs (camelCase, as the AWS provider takes them)
 * into the SDK request the provider would send, so awssim validates it exactly as AWS does
 * (an invalid ASL definition, a MaxSessionDuration over 12 h, a malformed principal ...), and
 * answers the state the provider would report: the inputs plus the computed attributes.
 */
import { createHash } from "crypto";
import { CallContext } from "./credentials";
import { ServiceKey } from "./awssim";

export interface HandlerArgs {
  type: string;
  name: string;
  inputs: Record<string, any>;
  ctx: CallContext;
  call(service: ServiceKey, operation: string, input: any): Promise<any>;
  /** Let time pass in awssim (advance its virtual clock) while waiting for a status. */
  tick(): Promise<void>;
}

/**
 * Poll `status()` until it returns one of `want`, letting awssim's clock run in between, the way
 * the AWS provider waits for DMS instances and tasks before reporting them created.
 */
export async function waitForStatus(h: HandlerArgs, what: string, want: string[], status: () => Promise<string>, attempts = 120): Promise<string> {
  let last = "";
  for (let i = 0; i < attempts; i++) {
    last = await status();
    if (want.includes(last)) return last;
    await h.tick();
  }
  throw new Error(`${what} did not become ${want.join("/")} (last status ${last})`);
}

export interface HandlerResult {
  id: string;
  state: Record<string, any>;
}

export type Handler = (h: HandlerArgs) => Promise<HandlerResult>;

/** SDK input from a {SdkMember: value} map, leaving out undefined members. */
export function defined(o: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** The provider's auto-name: the Pulumi name plus a 7-hex suffix (stable for one type+name). */
export function autoName(h: HandlerArgs, maxLen = 64): string {
  const hex = createHash("sha1").update(`${h.ctx.account}/${h.type}/${h.name}`).digest("hex").slice(0, 7);
  return `${h.name.slice(0, maxLen - 8)}-${hex}`;
}

/** Pulumi tags map → [{Key, Value}] (or lower-case members for SFN and RAM). */
export function tagList(tags: Record<string, string> | undefined, lower = false): any[] | undefined {
  if (tags === undefined || Object.keys(tags).length === 0) return undefined;
  return Object.entries(tags).map(([k, v]) => (lower ? { key: k, value: v } : { Key: k, Value: v }));
}

/** A policy input may be JSON text or an object; AWS takes text. */
export function policyText(p: any): string | undefined {
  return p === undefined || typeof p === "string" ? p : JSON.stringify(p);
}

function iso(d: any): string | undefined {
  return d instanceof Date ? d.toISOString() : d;
}

function common(h: HandlerArgs): Record<string, any> {
  return { ...h.inputs, tagsAll: h.inputs.tags || {} };
}

const iamRole: Handler = async (h) => {
  const i = h.inputs;
  const name: string = i.name || (i.namePrefix ? `${i.namePrefix}${autoName(h).slice(-7)}` : autoName(h));
  const r = await h.call(
    "iam",
    "CreateRole",
    defined({
      RoleName: name,
      AssumeRolePolicyDocument: policyText(i.assumeRolePolicy),
      MaxSessionDuration: i.maxSessionDuration,
      Description: i.description,
      Path: i.path,
      PermissionsBoundary: i.permissionsBoundary,
      Tags: tagList(i.tags),
    }),
  );
  for (const p of i.inlinePolicies || []) {
    await h.call("iam", "PutRolePolicy", { RoleName: name, PolicyName: p.name, PolicyDocument: policyText(p.policy) });
  }
  for (const arn of i.managedPolicyArns || []) {
    await h.call("iam", "AttachRolePolicy", { RoleName: name, PolicyArn: arn });
  }
  return {
    id: name,
    state: {
      ...common(h),
      name,
      arn: r.Role.Arn,
      uniqueId: r.Role.RoleId,
      path: r.Role.Path,
      createDate: iso(r.Role.CreateDate),
      maxSessionDuration: r.Role.MaxSessionDuration || i.maxSessionDuration || 3600,
    },
  };
};

const iamRolePolicy: Handler = async (h) => {
  const i = h.inputs;
  const name: string = i.name || autoName(h, 128);
  await h.call("iam", "PutRolePolicy", { RoleName: i.role, PolicyName: name, PolicyDocument: policyText(i.policy) });
  return { id: `${i.role}:${name}`, state: { ...i, name } };
};

const iamPolicy: Handler = async (h) => {
  const i = h.inputs;
  const name: string = i.name || autoName(h, 128);
  const r = await h.call(
    "iam",
    "CreatePolicy",
    defined({ PolicyName: name, PolicyDocument: policyText(i.policy), Path: i.path, Description: i.description, Tags: tagList(i.tags) }),
  );
  return { id: r.Policy.Arn, state: { ...common(h), name, arn: r.Policy.Arn, policyId: r.Policy.PolicyId } };
};

const iamRolePolicyAttachment: Handler = async (h) => {
  const i = h.inputs;
  await h.call("iam", "AttachRolePolicy", { RoleName: i.role, PolicyArn: i.policyArn });
  return { id: `${i.role}-${autoName(h).slice(-7)}`, state: { ...i } };
};

/** The provider's loggingConfiguration → CreateStateMachine's loggingConfiguration. */
function sfnLogging(l: any): any {
  if (l === undefined) return undefined;
  return defined({
    level: l.level,
    includeExecutionData: l.includeExecutionData,
    destinations: l.logDestination ? [{ cloudWatchLogsLogGroup: { logGroupArn: l.logDestination } }] : undefined,
  });
}

const sfnStateMachine: Handler = async (h) => {
  const i = h.inputs;
  const name: string = i.name || autoName(h, 80);
  const r = await h.call(
    "sfn",
    "CreateStateMachine",
    defined({
      name,
      definition: i.definition,
      roleArn: i.roleArn,
      type: i.type,
      loggingConfiguration: sfnLogging(i.loggingConfiguration),
      tracingConfiguration: i.tracingConfiguration,
      publish: i.publish,
      tags: tagList(i.tags, true),
    }),
  );
  return {
    id: r.stateMachineArn,
    state: {
      ...common(h),
      name,
      arn: r.stateMachineArn,
      type: i.type || "STANDARD",
      status: "ACTIVE",
      creationDate: iso(r.creationDate),
      stateMachineVersionArn: r.stateMachineVersionArn || "",
    },
  };
};

const sfnActivity: Handler = async (h) => {
  const name: string = h.inputs.name || autoName(h, 80);
  const r = await h.call("sfn", "CreateActivity", defined({ name, tags: tagList(h.inputs.tags, true) }));
  return { id: r.activityArn, state: { ...common(h), name, arn: r.activityArn, creationDate: iso(r.creationDate) } };
};

async function route53Tag(h: HandlerArgs, resourceType: string, id: string): Promise<void> {
  const tags = tagList(h.inputs.tags);
  if (tags === undefined) return;
  await h.call("route53", "ChangeTagsForResource", { ResourceType: resourceType, ResourceId: id, AddTags: tags });
}

const route53Zone: Handler = async (h) => {
  const i = h.inputs;
  const vpc = (i.vpcs || [])[0];
  const r = await h.call(
    "route53",
    "CreateHostedZone",
    defined({
      Name: i.name,
      CallerReference: `${h.name}-${Date.now()}`,
      HostedZoneConfig: defined({ Comment: i.comment === undefined ? "Managed by Pulumi" : i.comment, PrivateZone: vpc !== undefined }),
      VPC: vpc === undefined ? undefined : { VPCId: vpc.vpcId, VPCRegion: vpc.vpcRegion || h.ctx.region },
      DelegationSetId: i.delegationSetId,
    }),
  );
  const zoneId = String(r.HostedZone.Id).replace(/^\/hostedzone\//, "");
  await route53Tag(h, "hostedzone", zoneId);
  return {
    id: zoneId,
    state: {
      ...common(h),
      zoneId,
      name: String(r.HostedZone.Name).replace(/\.$/, ""),
      nameServers: (r.DelegationSet && r.DelegationSet.NameServers) || [],
      arn: `arn:aws:route53:::hostedzone/${zoneId}`,
    },
  };
};

const route53HealthCheck: Handler = async (h) => {
  const i = h.inputs;
  const r = await h.call("route53", "CreateHealthCheck", {
    CallerReference: `${h.name}-${Date.now()}`,
    HealthCheckConfig: defined({
      Type: i.type,
      FullyQualifiedDomainName: i.fqdn,
      IPAddress: i.ipAddress,
      Port: i.port,
      ResourcePath: i.resourcePath,
      SearchString: i.searchString,
      RequestInterval: i.requestInterval,
      FailureThreshold: i.failureThreshold,
      MeasureLatency: i.measureLatency,
      Inverted: i.invertHealthcheck,
      Disabled: i.disabled,
      EnableSNI: i.enableSni,
      Regions: i.regions,
      ChildHealthChecks: i.childHealthchecks,
      HealthThreshold: i.childHealthThreshold,
    }),
  });
  const id: string = r.HealthCheck.Id;
  await route53Tag(h, "healthcheck", id);
  return { id, state: { ...common(h), arn: `arn:aws:route53:::healthcheck/${id}` } };
};

const route53Record: Handler = async (h) => {
  const i = h.inputs;
  const weighted = (i.weightedRoutingPolicies || [])[0];
  const alias = (i.aliases || [])[0];
  const rrset = defined({
    Name: i.name,
    Type: i.type,
    SetIdentifier: i.setIdentifier,
    Weight: weighted === undefined ? undefined : weighted.weight,
    TTL: i.ttl,
    ResourceRecords: i.records === undefined ? undefined : i.records.map((v: string) => ({ Value: v })),
    HealthCheckId: i.healthCheckId,
    AliasTarget:
      alias === undefined
        ? undefined
        : { HostedZoneId: alias.zoneId, DNSName: alias.name, EvaluateTargetHealth: alias.evaluateTargetHealth },
  });
  await h.call("route53", "ChangeResourceRecordSets", {
    HostedZoneId: i.zoneId,
    ChangeBatch: { Changes: [{ Action: i.allowOverwrite ? "UPSERT" : "CREATE", ResourceRecordSet: rrset }] },
  });
  const parts = [i.zoneId, i.name, i.type].concat(i.setIdentifier === undefined ? [] : [i.setIdentifier]);
  return { id: parts.join("_"), state: { ...i, fqdn: String(i.name).replace(/\.$/, "") } };
};

const dmsReplicationInstance: Handler = async (h) => {
  const i = h.inputs;
  const r = await h.call(
    "dms",
    "CreateReplicationInstance",
    defined({
      ReplicationInstanceIdentifier: i.replicationInstanceId,
      ReplicationInstanceClass: i.replicationInstanceClass,
      AllocatedStorage: i.allocatedStorage,
      EngineVersion: i.engineVersion,
      MultiAZ: i.multiAz,
      PubliclyAccessible: i.publiclyAccessible,
      ReplicationSubnetGroupIdentifier: i.replicationSubnetGroupId,
      VpcSecurityGroupIds: i.vpcSecurityGroupIds,
      AvailabilityZone: i.availabilityZone,
      KmsKeyId: i.kmsKeyArn,
      Tags: tagList(i.tags),
    }),
  );
  const ri = r.ReplicationInstance;
  const status = await waitForStatus(h, `replication instance ${i.replicationInstanceId}`, ["available"], async () => {
    const d = await h.call("dms", "DescribeReplicationInstances", { Filters: [{ Name: "replication-instance-arn", Values: [ri.ReplicationInstanceArn] }] });
    return d.ReplicationInstances[0].ReplicationInstanceStatus;
  });
  return {
    id: i.replicationInstanceId,
    state: { ...common(h), replicationInstanceArn: ri.ReplicationInstanceArn, replicationInstanceStatus: status },
  };
};

const dmsEndpoint: Handler = async (h) => {
  const i = h.inputs;
  const r = await h.call(
    "dms",
    "CreateEndpoint",
    defined({
      EndpointIdentifier: i.endpointId,
      EndpointType: i.endpointType,
      EngineName: i.engineName,
      ServerName: i.serverName,
      Port: i.port,
      Username: i.username,
      Password: i.password,
      DatabaseName: i.databaseName,
      SslMode: i.sslMode,
      ExtraConnectionAttributes: i.extraConnectionAttributes,
      Tags: tagList(i.tags),
    }),
  );
  return { id: i.endpointId, state: { ...common(h), endpointArn: r.Endpoint.EndpointArn } };
};

const dmsReplicationTask: Handler = async (h) => {
  const i = h.inputs;
  const r = await h.call(
    "dms",
    "CreateReplicationTask",
    defined({
      ReplicationTaskIdentifier: i.replicationTaskId,
      MigrationType: i.migrationType,
      ReplicationInstanceArn: i.replicationInstanceArn,
      SourceEndpointArn: i.sourceEndpointArn,
      TargetEndpointArn: i.targetEndpointArn,
      TableMappings: i.tableMappings,
      ReplicationTaskSettings: i.replicationTaskSettings,
      CdcStartPosition: i.cdcStartPosition,
      Tags: tagList(i.tags),
    }),
  );
  const t = r.ReplicationTask;
  const status = await waitForStatus(h, `replication task ${i.replicationTaskId}`, ["ready"], async () => {
    const d = await h.call("dms", "DescribeReplicationTasks", { Filters: [{ Name: "replication-task-arn", Values: [t.ReplicationTaskArn] }] });
    return d.ReplicationTasks[0].Status;
  });
  return { id: i.replicationTaskId, state: { ...common(h), replicationTaskArn: t.ReplicationTaskArn, status } };
};

const dmsSubnetGroup: Handler = async (h) => {
  const i = h.inputs;
  const r = await h.call(
    "dms",
    "CreateReplicationSubnetGroup",
    defined({
      ReplicationSubnetGroupIdentifier: i.replicationSubnetGroupId,
      ReplicationSubnetGroupDescription: i.replicationSubnetGroupDescription,
      SubnetIds: i.subnetIds,
      Tags: tagList(i.tags),
    }),
  );
  return { id: i.replicationSubnetGroupId, state: { ...common(h), vpcId: r.ReplicationSubnetGroup.VpcId } };
};

const ramResourceShare: Handler = async (h) => {
  const i = h.inputs;
  const r = await h.call(
    "ram",
    "CreateResourceShare",
    defined({ name: i.name, allowExternalPrincipals: i.allowExternalPrincipals, permissionArns: i.permissionArns, tags: tagList(i.tags, true) }),
  );
  const arn: string = r.resourceShare.resourceShareArn;
  return { id: arn, state: { ...common(h), arn } };
};

const ramResourceAssociation: Handler = async (h) => {
  const i = h.inputs;
  await h.call("ram", "AssociateResourceShare", { resourceShareArn: i.resourceShareArn, resourceArns: [i.resourceArn] });
  return { id: `${i.resourceShareArn},${i.resourceArn}`, state: { ...i } };
};

const ramPrincipalAssociation: Handler = async (h) => {
  const i = h.inputs;
  await h.call("ram", "AssociateResourceShare", { resourceShareArn: i.resourceShareArn, principals: [i.principal] });
  return { id: `${i.resourceShareArn},${i.principal}`, state: { ...i } };
};

/** The receiving account accepts its pending invitation to the share (as the provider does). */
const ramResourceShareAccepter: Handler = async (h) => {
  const i = h.inputs;
  const inv = await h.call("ram", "GetResourceShareInvitations", { resourceShareArns: [i.shareArn] });
  const pending = (inv.resourceShareInvitations || []).find((x: any) => x.status === "PENDING");
  if (pending === undefined) throw new Error(`no pending RAM resource share invitation for ${i.shareArn} in ${h.ctx.account}`);
  const r = await h.call("ram", "AcceptResourceShareInvitation", { resourceShareInvitationArn: pending.resourceShareInvitationArn });
  const a = r.resourceShareInvitation;
  return {
    id: i.shareArn,
    state: {
      ...i,
      invitationArn: a.resourceShareInvitationArn,
      status: a.status,
      receiverAccountId: a.receiverAccountId,
      senderAccountId: a.senderAccountId,
      shareName: a.resourceShareName,
      shareId: String(i.shareArn).split("/").pop(),
    },
  };
};

/** Pulumi type token → handler, for every resource type awssim emulates. */
export const HANDLERS: Record<string, Handler> = {
  "aws:iam/role:Role": iamRole,
  "aws:iam/rolePolicy:RolePolicy": iamRolePolicy,
  "aws:iam/policy:Policy": iamPolicy,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": iamRolePolicyAttachment,
  "aws:sfn/stateMachine:StateMachine": sfnStateMachine,
  "aws:sfn/activity:Activity": sfnActivity,
  "aws:route53/zone:Zone": route53Zone,
  "aws:route53/healthCheck:HealthCheck": route53HealthCheck,
  "aws:route53/record:Record": route53Record,
  "aws:dms/replicationInstance:ReplicationInstance": dmsReplicationInstance,
  "aws:dms/endpoint:Endpoint": dmsEndpoint,
  "aws:dms/replicationTask:ReplicationTask": dmsReplicationTask,
  "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup": dmsSubnetGroup,
  "aws:ram/resourceShare:ResourceShare": ramResourceShare,
  "aws:ram/resourceAssociation:ResourceAssociation": ramResourceAssociation,
  "aws:ram/principalAssociation:PrincipalAssociation": ramPrincipalAssociation,
  "aws:ram/resourceShareAccepter:ResourceShareAccepter": ramResourceShareAccepter,
};
