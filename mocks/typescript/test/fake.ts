/** A fake AWS behind the Sender interface: records calls, answers from per-operation functions. */
import { Sender, ServiceKey, AwsApiError } from "../src/awssim";
import { CallContext } from "../src/credentials";

export interface Call {
  service: ServiceKey;
  op: string;
  input: any;
  ctx: CallContext;
}

export class FakeAws {
  calls: Call[] = [];
  /** Statuses DMS describes answer, one per call, before "available"/"ready". */
  dmsStatus: string[] = [];
  ticks = 0;
  tick = async () => {
    this.ticks++;
  };
  answers: Record<string, (input: any, ctx: CallContext) => any> = {
    CreateRole: (i, c) => ({ Role: { Arn: `arn:aws:iam::${c.account}:role/${i.RoleName}`, RoleId: "AROAFAKE", Path: "/", CreateDate: new Date(0) } }),
    PutRolePolicy: () => ({}),
    AttachRolePolicy: () => ({}),
    CreatePolicy: (i, c) => ({ Policy: { Arn: `arn:aws:iam::${c.account}:policy/${i.PolicyName}`, PolicyId: "ANPA1" } }),
    GetRole: (i, c) => ({ Role: { RoleName: i.RoleName, Arn: `arn:aws:iam::${c.account}:role/${i.RoleName}`, RoleId: "AROA2", Path: "/", MaxSessionDuration: 3600, AssumeRolePolicyDocument: "%7B%7D" } }),
    CreateStateMachine: (i, c) => ({ stateMachineArn: `arn:aws:states:${c.region}:${c.account}:stateMachine:${i.name}`, creationDate: new Date(0) }),
    CreateActivity: (i, c) => ({ activityArn: `arn:aws:states:${c.region}:${c.account}:activity:${i.name}`, creationDate: new Date(0) }),
    CreateHostedZone: (i) => ({ HostedZone: { Id: "/hostedzone/Z0001", Name: `${i.Name}.` }, DelegationSet: { NameServers: ["ns-1.awsdns-01.org"] } }),
    CreateHealthCheck: () => ({ HealthCheck: { Id: "hc-0001" } }),
    ChangeTagsForResource: () => ({}),
    ChangeResourceRecordSets: () => ({ ChangeInfo: { Id: "/change/C1" } }),
    CreateReplicationInstance: (i, c) => ({ ReplicationInstance: { ReplicationInstanceArn: `arn:aws:dms:${c.region}:${c.account}:rep:${i.ReplicationInstanceIdentifier}`, ReplicationInstanceStatus: "creating" } }),
    CreateEndpoint: (i, c) => ({ Endpoint: { EndpointArn: `arn:aws:dms:${c.region}:${c.account}:endpoint:${i.EndpointIdentifier}` } }),
    CreateReplicationTask: (i, c) => ({ ReplicationTask: { ReplicationTaskArn: `arn:aws:dms:${c.region}:${c.account}:task:${i.ReplicationTaskIdentifier}`, Status: "creating" } }),
    DescribeReplicationInstances: () => ({ ReplicationInstances: [{ ReplicationInstanceStatus: this.dmsStatus.shift() || "available" }] }),
    DescribeReplicationTasks: () => ({ ReplicationTasks: [{ Status: this.dmsStatus.shift() || "ready" }] }),
    CreateReplicationSubnetGroup: () => ({ ReplicationSubnetGroup: { VpcId: "vpc-1" } }),
    CreateResourceShare: (i, c) => ({ resourceShare: { resourceShareArn: `arn:aws:ram:${c.region}:${c.account}:resource-share/${i.name}` } }),
    AssociateResourceShare: () => ({}),
    GetResourceShareInvitations: (i, c) => ({
      resourceShareInvitations: [
        { resourceShareInvitationArn: "arn:inv:old", status: "ACCEPTED" },
        { resourceShareInvitationArn: `arn:aws:ram:us-east-1:555555555555:resource-share-invitation/${c.account}`, status: "PENDING", resourceShareArn: i.resourceShareArns[0] },
      ],
    }),
    AcceptResourceShareInvitation: (i, c) => ({
      resourceShareInvitation: { resourceShareInvitationArn: i.resourceShareInvitationArn, status: "ACCEPTED", receiverAccountId: c.account, senderAccountId: "555555555555", resourceShareName: "share" },
    }),
    GetCallerIdentity: (_i, c) => ({ Account: c.account, Arn: `arn:aws:iam::${c.account}:root`, UserId: c.account }),
    AssumeRole: (i) => {
      const acct = i.RoleArn.split(":")[4];
      const role = i.RoleArn.split("/").pop();
      if (i.DurationSeconds !== undefined && i.DurationSeconds > 3600) {
        throw new AwsApiError("sts", "AssumeRole", "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
      }
      return {
        AssumedRoleUser: { Arn: `arn:aws:sts::${acct}:assumed-role/${role}/${i.RoleSessionName}` },
        Credentials: { AccessKeyId: `ASIA${acct}`, SecretAccessKey: "s", SessionToken: "t" },
      };
    },
  };
  /**
   * RAM visibility (GET /_awssim/ram/visible) as awssim answers it: the account accepted its
   * invitation, or the share is organization-only (no external principals).
   */
  ramVisible = async (account: string, _arn: string): Promise<boolean> =>
    this.calls.some(
      (c) => (c.op === "AcceptResourceShareInvitation" && c.ctx.account === account) || (c.op === "CreateResourceShare" && c.input.allowExternalPrincipals === false),
    );
  sender: Sender = async (service, op, input, ctx) => {
    this.calls.push({ service, op, input, ctx });
    const f = this.answers[op];
    if (f === undefined) throw new Error(`fake has no ${op}`);
    return f(input, ctx);
  };
  ops(): string[] {
    return this.calls.map((c) => c.op);
  }
  last(op: string): Call {
    const c = this.calls.filter((x) => x.op === op).pop();
    if (c === undefined) throw new Error(`no ${op} call`);
    return c;
  }
}
