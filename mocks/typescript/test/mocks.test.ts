import { strict as assert } from "assert";
import { AwssimMocks } from "../src/mocks";
import { FakeAws } from "./fake";
import { SIG_KEY, SECRET_SIG } from "../src/wrappers";

const ACCT = "111111111111";

function setup(extra: any = {}) {
  const aws = new FakeAws();
  const registered: any[] = [];
  const lines: string[] = [];
  const mocks = new AwssimMocks({
    endpoint: "http://127.0.0.1:1/",
    account: ACCT,
    sender: aws.sender,
    tick: aws.tick,
    registry: async (body) => {
      registered.push(body);
      if (body.name === "noid") return { id: "" };
      return { id: "tgw-0123456789abcdef0", arn: `arn:aws:ec2:${body.region}:${body.account}:transit-gateway/tgw-0123456789abcdef0`, state: { OwnerId: body.account, AmazonSideAsn: 64512 } };
    },
    log: (l) => lines.push(l),
    ...extra,
  });
  return { aws, mocks, registered, lines };
}

const res = (type: string, name: string, inputs: any, provider?: string) => ({ type, name, inputs, provider, custom: true });

describe("AwssimMocks resources", () => {
  it("creates IAM roles with CreateRole + inline and managed policies, state camelCase", async () => {
    const { aws, mocks } = setup();
    const r = await mocks.newResource(
      res("aws:iam/role:Role", "role", {
        name: "migration-prod-pr1",
        assumeRolePolicy: { Version: "2012-10-17", Statement: [] },
        maxSessionDuration: 3600,
        tags: { Team: "payments", password: { [SIG_KEY]: SECRET_SIG, value: "x" } },
        inlinePolicies: [{ name: "p", policy: "{}" }],
        managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
      }),
    );
    assert.equal(r.id, "migration-prod-pr1");
    assert.equal(r.state.arn, `arn:aws:iam::${ACCT}:role/migration-prod-pr1`);
    assert.equal(r.state.maxSessionDuration, 3600);
    assert.equal(r.state.createDate, "1970-01-01T00:00:00.000Z");
    assert.deepEqual(r.state.tagsAll, { Team: "payments", password: "x" });
    const cr = aws.last("CreateRole").input;
    assert.equal(cr.AssumeRolePolicyDocument, '{"Version":"2012-10-17","Statement":[]}');
    assert.equal(cr.MaxSessionDuration, 3600);
    assert.deepEqual(aws.ops(), ["CreateRole", "PutRolePolicy", "AttachRolePolicy"]);
    assert.equal(aws.last("CreateRole").ctx.account, ACCT);
  });

  it("auto-names roles and honours namePrefix; default session length 3600", async () => {
    const { aws, mocks } = setup();
    aws.answers.CreateRole = (i, c) => ({ Role: { Arn: `arn:aws:iam::${c.account}:role/${i.RoleName}`, RoleId: "A", Path: "/", CreateDate: "2020" } });
    const a = await mocks.newResource(res("aws:iam/role:Role", "auto", { assumeRolePolicy: "{}" }));
    assert.match(a.id!, /^auto-[0-9a-f]{7}$/);
    assert.equal(a.state.maxSessionDuration, 3600);
    assert.equal(a.state.createDate, "2020");
    const b = await mocks.newResource(res("aws:iam/role:Role", "pre", { namePrefix: "mig-", assumeRolePolicy: "{}", maxSessionDuration: 1800 }));
    assert.match(b.id!, /^mig-[0-9a-f]{7}$/);
    assert.equal(b.state.maxSessionDuration, 1800);
  });

  it("puts role policies, creates policies and attachments", async () => {
    const { aws, mocks } = setup();
    const p = await mocks.newResource(res("aws:iam/rolePolicy:RolePolicy", "rp", { role: "r1", policy: { Version: "2012-10-17" } }));
    assert.match(p.id!, /^r1:rp-[0-9a-f]{7}$/);
    assert.equal(aws.last("PutRolePolicy").input.PolicyDocument, '{"Version":"2012-10-17"}');
    const p2 = await mocks.newResource(res("aws:iam/rolePolicy:RolePolicy", "rp2", { role: "r1", name: "named", policy: "{}" }));
    assert.equal(p2.id, "r1:named");
    const pol = await mocks.newResource(res("aws:iam/policy:Policy", "pol", { policy: "{}", tags: { a: "b" } }));
    assert.match(pol.id!, /^arn:aws:iam::111111111111:policy\/pol-/);
    const pol2 = await mocks.newResource(res("aws:iam/policy:Policy", "pol2", { name: "fixed", policy: "{}" }));
    assert.equal(pol2.state.name, "fixed");
    const att = await mocks.newResource(res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", { role: "r1", policyArn: "arn:p" }));
    assert.match(att.id!, /^r1-[0-9a-f]{7}$/);
    assert.deepEqual(aws.last("AttachRolePolicy").input, { RoleName: "r1", PolicyArn: "arn:p" });
  });

  it("creates state machines with the definition, logging and lower-case tags", async () => {
    const { aws, mocks } = setup();
    const def = JSON.stringify({ StartAt: "A", States: { A: { Type: "Succeed" } } });
    const r = await mocks.newResource(
      res("aws:sfn/stateMachine:StateMachine", "sm", {
        name: "orchestrator-pr1",
        definition: def,
        roleArn: "arn:aws:iam::111111111111:role/x",
        loggingConfiguration: { level: "ALL", includeExecutionData: true, logDestination: "arn:aws:logs:us-east-1:111111111111:log-group:g:*" },
        tags: { a: "b" },
      }),
    );
    const input = aws.last("CreateStateMachine").input;
    assert.equal(input.definition, def);
    assert.deepEqual(input.loggingConfiguration, {
      level: "ALL",
      includeExecutionData: true,
      destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: "arn:aws:logs:us-east-1:111111111111:log-group:g:*" } }],
    });
    assert.deepEqual(input.tags, [{ key: "a", value: "b" }]);
    assert.equal(r.id, "arn:aws:states:us-east-1:111111111111:stateMachine:orchestrator-pr1");
    assert.equal(r.state.type, "STANDARD");
    assert.equal(r.state.stateMachineVersionArn, "");
    aws.answers.CreateStateMachine = () => ({ stateMachineArn: "arn:sm2", creationDate: "d", stateMachineVersionArn: "arn:sm2:1" });
    const r2 = await mocks.newResource(
      res("aws:sfn/stateMachine:StateMachine", "sm2", { definition: def, roleArn: "r", type: "EXPRESS", loggingConfiguration: { level: "OFF" } }),
    );
    assert.deepEqual(aws.last("CreateStateMachine").input.loggingConfiguration, { level: "OFF" });
    assert.equal(r2.state.type, "EXPRESS");
    assert.equal(r2.state.stateMachineVersionArn, "arn:sm2:1");
    assert.match(aws.last("CreateStateMachine").input.name, /^sm2-/);
    await mocks.newResource(res("aws:sfn/stateMachine:StateMachine", "sm3", { definition: def, roleArn: "r" }));
    assert.equal(aws.last("CreateStateMachine").input.loggingConfiguration, undefined);
    const act = await mocks.newResource(res("aws:sfn/activity:Activity", "act", {}));
    assert.match(act.id!, /:activity:act-/);
    const act2 = await mocks.newResource(res("aws:sfn/activity:Activity", "act2", { name: "a2" }));
    assert.match(act2.id!, /:activity:a2$/);
  });

  it("creates hosted zones, health checks (tagged) and weighted records", async () => {
    const { aws, mocks } = setup();
    const z = await mocks.newResource(res("aws:route53/zone:Zone", "zone", { name: "pay.example.com", tags: { a: "b" } }));
    assert.equal(z.id, "Z0001");
    assert.equal(z.state.name, "pay.example.com");
    assert.deepEqual(z.state.nameServers, ["ns-1.awsdns-01.org"]);
    assert.equal(aws.last("CreateHostedZone").input.HostedZoneConfig.Comment, "Managed by Pulumi");
    assert.equal(aws.last("CreateHostedZone").input.HostedZoneConfig.PrivateZone, false);
    assert.deepEqual(aws.last("ChangeTagsForResource").input, { ResourceType: "hostedzone", ResourceId: "Z0001", AddTags: [{ Key: "a", Value: "b" }] });
    aws.answers.CreateHostedZone = (i) => ({ HostedZone: { Id: "Z0002", Name: i.Name } });
    const pz = await mocks.newResource(
      res("aws:route53/zone:Zone", "pz", { name: "int.example.com", comment: "", vpcs: [{ vpcId: "vpc-1" }] }),
    );
    assert.deepEqual(pz.state.nameServers, []);
    assert.deepEqual(aws.last("CreateHostedZone").input.VPC, { VPCId: "vpc-1", VPCRegion: "us-east-1" });
    await mocks.newResource(res("aws:route53/zone:Zone", "pz2", { name: "b.example.com", vpcs: [{ vpcId: "vpc-2", vpcRegion: "us-east-2" }] }));
    assert.deepEqual(aws.last("CreateHostedZone").input.VPC, { VPCId: "vpc-2", VPCRegion: "us-east-2" });
    const nTags = aws.calls.filter((c) => c.op === "ChangeTagsForResource").length;
    const hc = await mocks.newResource(
      res("aws:route53/healthCheck:HealthCheck", "hc", { type: "HTTPS", fqdn: "new.example.com", port: 443, resourcePath: "/health", failureThreshold: 3, requestInterval: 30 }),
    );
    assert.equal(hc.id, "hc-0001");
    assert.deepEqual(aws.last("CreateHealthCheck").input.HealthCheckConfig, {
      Type: "HTTPS",
      FullyQualifiedDomainName: "new.example.com",
      Port: 443,
      ResourcePath: "/health",
      RequestInterval: 30,
      FailureThreshold: 3,
    });
    assert.equal(aws.calls.filter((c) => c.op === "ChangeTagsForResource").length, nTags);
    const rec = await mocks.newResource(
      res("aws:route53/record:Record", "rec", {
        zoneId: "Z0001",
        name: "api.pay.example.com",
        type: "CNAME",
        ttl: 60,
        records: ["new.example.com"],
        setIdentifier: "new",
        weightedRoutingPolicies: [{ weight: 10 }],
        healthCheckId: "hc-0001",
      }),
    );
    assert.equal(rec.id, "Z0001_api.pay.example.com_CNAME_new");
    const change = aws.last("ChangeResourceRecordSets").input;
    assert.deepEqual(change, {
      HostedZoneId: "Z0001",
      ChangeBatch: {
        Changes: [
          {
            Action: "CREATE",
            ResourceRecordSet: {
              Name: "api.pay.example.com",
              Type: "CNAME",
              SetIdentifier: "new",
              Weight: 10,
              TTL: 60,
              ResourceRecords: [{ Value: "new.example.com" }],
              HealthCheckId: "hc-0001",
            },
          },
        ],
      },
    });
    const alias = await mocks.newResource(
      res("aws:route53/record:Record", "alias", {
        zoneId: "Z0001",
        name: "www.pay.example.com.",
        type: "A",
        allowOverwrite: true,
        aliases: [{ zoneId: "Z2", name: "lb.example.com", evaluateTargetHealth: true }],
      }),
    );
    assert.equal(alias.id, "Z0001_www.pay.example.com._A");
    assert.equal(alias.state.fqdn, "www.pay.example.com");
    const rs = aws.last("ChangeResourceRecordSets").input.ChangeBatch.Changes[0];
    assert.equal(rs.Action, "UPSERT");
    assert.deepEqual(rs.ResourceRecordSet.AliasTarget, { HostedZoneId: "Z2", DNSName: "lb.example.com", EvaluateTargetHealth: true });
  });

  it("creates DMS instances, endpoints, tasks and subnet groups", async () => {
    const { aws, mocks } = setup();
    aws.dmsStatus = ["creating", "creating"];
    const ri = await mocks.newResource(
      res("aws:dms/replicationInstance:ReplicationInstance", "ri", { replicationInstanceId: "ri-pr1", replicationInstanceClass: "dms.t3.medium", allocatedStorage: 50, tags: { a: "b" } }),
    );
    assert.equal(ri.id, "ri-pr1");
    assert.equal(ri.state.replicationInstanceStatus, "available");
    assert.equal(aws.ticks, 2, "waited for the instance while awssim's clock ran");
    assert.match(ri.state.replicationInstanceArn, /:rep:ri-pr1$/);
    assert.deepEqual(aws.last("CreateReplicationInstance").input, {
      ReplicationInstanceIdentifier: "ri-pr1",
      ReplicationInstanceClass: "dms.t3.medium",
      AllocatedStorage: 50,
      Tags: [{ Key: "a", Value: "b" }],
    });
    const ep = await mocks.newResource(
      res("aws:dms/endpoint:Endpoint", "ep", { endpointId: "src-pr1", endpointType: "source", engineName: "mysql", serverName: "db", port: 3306, username: "u", password: "p" }),
    );
    assert.match(ep.state.endpointArn, /:endpoint:src-pr1$/);
    assert.equal(aws.last("CreateEndpoint").input.EngineName, "mysql");
    const t = await mocks.newResource(
      res("aws:dms/replicationTask:ReplicationTask", "t", { replicationTaskId: "t-pr1", migrationType: "full-load-and-cdc", replicationInstanceArn: "a", sourceEndpointArn: "b", targetEndpointArn: "c", tableMappings: "{}" }),
    );
    assert.equal(t.state.status, "ready");
    assert.deepEqual(aws.last("DescribeReplicationTasks").input.Filters[0].Values, [t.state.replicationTaskArn]);
    assert.equal(aws.last("CreateReplicationTask").input.MigrationType, "full-load-and-cdc");
    const sg = await mocks.newResource(
      res("aws:dms/replicationSubnetGroup:ReplicationSubnetGroup", "sg", { replicationSubnetGroupId: "sg-pr1", replicationSubnetGroupDescription: "d", subnetIds: ["s1", "s2"] }),
    );
    assert.equal(sg.state.vpcId, "vpc-1");
  });

  it("gives up waiting for a DMS status with what it last saw", async () => {
    const { aws, mocks } = setup();
    aws.answers.DescribeReplicationInstances = () => ({ ReplicationInstances: [{ ReplicationInstanceStatus: "failed" }] });
    await assert.rejects(
      mocks.newResource(res("aws:dms/replicationInstance:ReplicationInstance", "ri", { replicationInstanceId: "ri-x", replicationInstanceClass: "dms.t3.micro" })),
      /replication instance ri-x did not become available \(last status failed\)/,
    );
    assert.equal(aws.ticks, 120);
    await assert.rejects(mocks.failed, /ReplicationInstance ri: replication instance ri-x did not become available/);
  });

  it("creates RAM shares and associates resources and principals", async () => {
    const { aws, mocks } = setup();
    const s = await mocks.newResource(res("aws:ram/resourceShare:ResourceShare", "share", { name: "tgw-pr1", allowExternalPrincipals: true, tags: { a: "b" } }));
    assert.equal(s.id, `arn:aws:ram:us-east-1:${ACCT}:resource-share/tgw-pr1`);
    assert.deepEqual(aws.last("CreateResourceShare").input, { name: "tgw-pr1", allowExternalPrincipals: true, tags: [{ key: "a", value: "b" }] });
    const ra = await mocks.newResource(res("aws:ram/resourceAssociation:ResourceAssociation", "ra", { resourceShareArn: s.id, resourceArn: "arn:tgw" }));
    assert.equal(ra.id, `${s.id},arn:tgw`);
    assert.deepEqual(aws.last("AssociateResourceShare").input, { resourceShareArn: s.id, resourceArns: ["arn:tgw"] });
    const pa = await mocks.newResource(res("aws:ram/principalAssociation:PrincipalAssociation", "pa", { resourceShareArn: s.id, principal: "222222222222" }));
    assert.equal(pa.id, `${s.id},222222222222`);
    assert.deepEqual(aws.last("AssociateResourceShare").input, { resourceShareArn: s.id, principals: ["222222222222"] });
  });

  it("accepts the pending RAM invitation in the receiving account", async () => {
    const { aws, mocks } = setup();
    const arn = "arn:aws:ram:us-east-1:555555555555:resource-share/abc";
    const r = await mocks.newResource(res("aws:ram/resourceShareAccepter:ResourceShareAccepter", "acc", { shareArn: arn }));
    assert.equal(r.id, arn);
    assert.equal(r.state.status, "ACCEPTED");
    assert.equal(r.state.shareId, "abc");
    assert.equal(r.state.receiverAccountId, ACCT);
    assert.deepEqual(aws.last("AcceptResourceShareInvitation").input, { resourceShareInvitationArn: `arn:aws:ram:us-east-1:555555555555:resource-share-invitation/${ACCT}` });
    aws.answers.GetResourceShareInvitations = () => ({});
    await assert.rejects(mocks.newResource(res("aws:ram/resourceShareAccepter:ResourceShareAccepter", "acc2", { shareArn: arn })), /no pending RAM resource share invitation for .*abc in 111111111111/);
  });

  it("sends other types to the generic registry and returns camelCase state", async () => {
    const { mocks, registered, lines } = setup();
    const r = await mocks.newResource(res("aws:ec2transitgateway/transitGateway:TransitGateway", "tgw", { description: "d", tags: { a: "b" } }));
    assert.equal(r.id, "tgw-0123456789abcdef0");
    assert.equal(r.state.ownerId, ACCT);
    assert.equal(r.state.amazonSideAsn, 64512);
    assert.match(r.state.arn, /^arn:aws:ec2:us-east-1:111111111111:transit-gateway\//);
    assert.deepEqual(registered[0], {
      type: "aws:ec2transitgateway/transitGateway:TransitGateway",
      name: "tgw",
      inputs: { description: "d", tags: { a: "b" } },
      account: ACCT,
      region: "us-east-1",
    });
    const n = await mocks.newResource(res("aws:cloudwatch/logGroup:LogGroup", "noid", { name: "g" }));
    assert.match(n.id!, /^noid-[0-9a-f]{7}$/);
    assert.match(n.state.arn, /^arn:aws:cloudwatch:us-east-1:111111111111:logGroup\/noid-/);
    assert.equal(mocks.created.length, 2);
    assert.equal(mocks.created[0].via, "registry");
    assert.match(lines[0], /created aws:ec2transitgateway\/transitGateway:TransitGateway tgw/);
  });

  it("registry answers without arn or state keep the inputs", async () => {
    const { mocks } = setup({ registry: async () => ({ id: "x-1" }) });
    const r = await mocks.newResource(res("aws:ssm/parameter:Parameter", "p", { name: "/a", value: "v" }));
    assert.equal(r.id, "x-1");
    assert.equal(r.state.value, "v");
    assert.match(r.state.arn, /^arn:aws:ssm:us-east-1:111111111111:parameter\/p-/);
  });

  it("components get a non-empty id and no AWS call", async () => {
    const { aws, mocks } = setup();
    const r = await mocks.newResource({ type: "migration:index:MigrationStateMachine", name: "tier", inputs: { a: 1 }, custom: false });
    assert.equal(r.id, "tier-component");
    assert.equal(aws.calls.length, 0);
  });

  it("in preview makes no call and answers AWS-shaped ids", async () => {
    const { aws, mocks, registered } = setup({ preview: true });
    const t = await mocks.newResource(res("aws:ec2transitgateway/transitGateway:TransitGateway", "tgw", {}));
    assert.match(t.id!, /^tgw-[0-9a-f]{17}$/);
    assert.match(t.state.arn, /^arn:aws:ec2:us-east-1:111111111111:transitGateway\/tgw-/);
    const r = await mocks.newResource(res("aws:iam/role:Role", "role", { tags: { a: "b" } }));
    assert.match(r.id!, /^role-[0-9a-f]{7}$/);
    assert.equal(r.state.arn, `arn:aws:iam::111111111111:role/${r.id}`);
    assert.deepEqual(r.state.tagsAll, { a: "b" });
    const sm = await mocks.newResource(res("aws:sfn/stateMachine:StateMachine", "sm", { name: "orchestrator-p1" }));
    assert.equal(sm.id, "arn:aws:states:us-east-1:111111111111:stateMachine:orchestrator-p1");
    assert.equal(sm.state.arn, sm.id);
    const z = await mocks.newResource(res("aws:route53/zone:Zone", "z", { name: "p1.example.com" }));
    assert.match(z.id!, /^Z[0-9A-F]{17}$/);
    assert.equal(z.state.zoneId, z.id);
    assert.equal(z.state.arn, `arn:aws:route53:::hostedzone/${z.id}`);
    const share = await mocks.newResource(res("aws:ram/resourceShare:ResourceShare", "share", { name: "s" }));
    assert.match(share.id!, /^arn:aws:ram:us-east-1:111111111111:resource-share\/[0-9a-f]{17}$/);
    const other = new AwssimMocks({ endpoint: "http://x", preview: true });
    const o = other.synthesize("custom:mod/thing:Thing", "n", {}, { account: "1", region: "r", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    assert.match(o.state.arn, /^arn:custom:mod:r:1:thing\/n-/);
    assert.equal(aws.calls.length, 0);
    assert.equal(registered.length, 0);
    assert.equal(mocks.created[0].via, "local");
  });
});

describe("AwssimMocks transit gateway attachments (RAM sharing)", () => {
  const TGW = "aws:ec2transitgateway/transitGateway:TransitGateway";
  const VPC = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
  const PEER = "aws:ec2transitgateway/peeringAttachment:PeeringAttachment";
  const PROD = "222222222222";

  /** A bridge whose RAM answers from `visible`, with a provider acting in PROD. */
  async function withProduction(extra: any = {}) {
    const asked: string[][] = [];
    const visible = new Set<string>();
    const s = setup({ ramVisible: async (account: string, arn: string) => (asked.push([account, arn]), visible.has(account)), ...extra });
    const p = await s.mocks.newResource({ type: "pulumi:providers:aws", name: "prod", custom: true, inputs: { assumeRoles: JSON.stringify([{ roleArn: `arn:aws:iam::${PROD}:role/migration` }]) } });
    return { ...s, asked, visible, prod: `urn:pulumi:s::p::pulumi:providers:aws::prod::${p.id}` };
  }

  it("refuses an attachment in an account the gateway is not visible to, with AWS's error, and registers nothing", async () => {
    const { mocks, registered, asked, prod } = await withProduction();
    const tgw = await mocks.newResource(res(TGW, "tgw", {}));
    await assert.rejects(
      mocks.newResource(res(VPC, "attach", { transitGatewayId: tgw.id, vpcId: "vpc-1", subnetIds: ["subnet-1"] }, prod)),
      /VpcAttachment attach: ec2:CreateTransitGatewayVpcAttachment failed: InvalidTransitGatewayID\.NotFound: The transitGateway ID 'tgw-0123456789abcdef0' does not exist\.$/,
    );
    assert.deepEqual(asked, [[PROD, `arn:aws:ec2:us-east-1:${ACCT}:transit-gateway/tgw-0123456789abcdef0`]]);
    assert.deepEqual(registered.map((b) => b.type), [TGW]);
    await assert.rejects(mocks.failed, /InvalidTransitGatewayID\.NotFound/);
  });

  it("attaches once the gateway is visible to the account; the owner's own attachments are not checked", async () => {
    const { mocks, registered, asked, visible, prod } = await withProduction();
    const tgw = await mocks.newResource(res(TGW, "tgw", {}));
    visible.add(PROD);
    await mocks.newResource(res(VPC, "attach", { transitGatewayId: tgw.id, vpcId: "vpc-1" }, prod));
    await mocks.newResource(res(PEER, "peer", { transitGatewayId: tgw.id, peerTransitGatewayId: "tgw-2" }));
    assert.equal(asked.length, 1);
    assert.deepEqual(registered.map((b) => [b.type, b.account]), [[TGW, ACCT], [VPC, PROD], [PEER, ACCT]]);
  });

  it("finds gateways this bridge did not create in awssim's registry; unknown gateways and other types are not checked", async () => {
    const lookups: string[][] = [];
    const { mocks, asked, prod } = await withProduction({
      registryLookup: async (type: string, id: string) => {
        lookups.push([type, id]);
        if (id === "tgw-central") return { id, arn: "arn:aws:ec2:us-east-1:555555555555:transit-gateway/tgw-central" };
        return id === "tgw-noarn" ? { id } : undefined;
      },
    });
    await assert.rejects(
      mocks.newResource(res(PEER, "peer", { transitGatewayId: "tgw-central", peerTransitGatewayId: "tgw-x" }, prod)),
      /ec2:CreateTransitGatewayPeeringAttachment failed: InvalidTransitGatewayID\.NotFound: The transitGateway ID 'tgw-central' does not exist\./,
    );
    await mocks.newResource(res(VPC, "unknown", { transitGatewayId: "tgw-unknown" }, prod));
    await mocks.newResource(res(VPC, "noarn", { transitGatewayId: "tgw-noarn" }, prod));
    await mocks.newResource(res(VPC, "no-tgw", { vpcId: "vpc-1" }, prod));
    await mocks.newResource(res("aws:ec2transitgateway/routeTable:RouteTable", "rt", { transitGatewayId: "tgw-central" }, prod));
    assert.deepEqual(lookups, [
      [TGW, "tgw-central"],
      [TGW, "tgw-unknown"],
      [TGW, "tgw-noarn"],
    ]);
    assert.deepEqual(asked, [[PROD, "arn:aws:ec2:us-east-1:555555555555:transit-gateway/tgw-central"]]);
  });
});

describe("AwssimMocks providers", () => {
  it("creates resources as the role an explicit provider assumes (1 h session)", async () => {
    const { aws, mocks } = setup();
    const p = await mocks.newResource({
      type: "pulumi:providers:aws",
      name: "prod",
      custom: true,
      inputs: { region: "us-east-2", assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::222222222222:role/migration", sessionName: "mig", duration: "1h" }]) },
    });
    const ref = `urn:pulumi:s::p::pulumi:providers:aws::prod::${p.id}`;
    await mocks.newResource(res("aws:iam/role:Role", "r", { name: "x", assumeRolePolicy: "{}" }, ref));
    await mocks.newResource(res("aws:iam/role:Role", "r2", { name: "y", assumeRolePolicy: "{}" }, ref));
    const assumes = aws.calls.filter((c) => c.op === "AssumeRole");
    assert.equal(assumes.length, 1, "one session per provider");
    assert.deepEqual(assumes[0].input, { RoleArn: "arn:aws:iam::222222222222:role/migration", RoleSessionName: "mig", DurationSeconds: 3600 });
    assert.equal(assumes[0].ctx.account, ACCT);
    const cr = aws.last("CreateRole");
    assert.equal(cr.ctx.account, "222222222222");
    assert.equal(cr.ctx.region, "us-east-2");
    assert.deepEqual(cr.ctx.credentials, { accessKeyId: "ASIA222222222222", secretAccessKey: "s", sessionToken: "t" });
  });

  it("chains roles, passes every AssumeRole option, and a resource region overrides the provider's", async () => {
    const { aws, mocks } = setup();
    const p = await mocks.newResource({
      type: "pulumi:providers:aws",
      name: "chain",
      custom: true,
      inputs: {
        assumeRoles: [
          { roleArn: "arn:aws:iam::222222222222:role/a" },
          {
            roleArn: "arn:aws:iam::333333333333:role/b",
            duration: "",
            externalId: "e",
            policy: "{}",
            policyArns: ["arn:p"],
            sourceIdentity: "si",
            tags: { k: "v" },
            transitiveTagKeys: ["k"],
          },
        ],
      },
    });
    await mocks.newResource(res("aws:sfn/activity:Activity", "a", { region: "eu-west-1" }, `urn::${p.id}`));
    const [a, b] = aws.calls.filter((c) => c.op === "AssumeRole");
    assert.equal(a.input.RoleSessionName, `pulumi-${p.id}`);
    assert.equal(a.input.DurationSeconds, undefined);
    assert.equal(b.ctx.account, "222222222222");
    assert.deepEqual(b.input, {
      RoleArn: "arn:aws:iam::333333333333:role/b",
      RoleSessionName: `pulumi-${p.id}`,
      ExternalId: "e",
      Policy: "{}",
      PolicyArns: [{ arn: "arn:p" }],
      SourceIdentity: "si",
      Tags: [{ Key: "k", Value: "v" }],
      TransitiveTagKeys: ["k"],
    });
    const act = aws.last("CreateActivity");
    assert.equal(act.ctx.account, "333333333333");
    assert.equal(act.ctx.region, "eu-west-1");
  });

  it("fails with AWS's message when a 2-hour session is asked for", async () => {
    const { mocks } = setup();
    const p = await mocks.newResource({
      type: "pulumi:providers:aws",
      name: "long",
      custom: true,
      inputs: { assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::222222222222:role/m", duration: "2h" }]) },
    });
    await assert.rejects(
      mocks.newResource(res("aws:iam/role:Role", "r", { assumeRolePolicy: "{}" }, `urn::${p.id}`)),
      /AssumeRole failed: ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration/,
    );
  });

  it("providers without assumeRoles use the default credentials in their region; unknown refs are the default", async () => {
    const { aws, mocks } = setup({ region: "us-west-2" });
    const p = await mocks.newResource({ type: "pulumi:providers:aws", name: "plain", custom: true, inputs: { region: "us-east-2", assumeRoles: "null" } });
    await mocks.newResource(res("aws:sfn/activity:Activity", "a", {}, `urn::${p.id}`));
    assert.equal(aws.last("CreateActivity").ctx.region, "us-east-2");
    const q = await mocks.newResource({ type: "pulumi:providers:aws", name: "noregion", custom: true, inputs: {} });
    await mocks.newResource(res("aws:sfn/activity:Activity", "b", {}, `urn::${q.id}`));
    assert.equal(aws.last("CreateActivity").ctx.region, "us-west-2");
    await mocks.newResource(res("aws:sfn/activity:Activity", "c", {}, "urn:pulumi:s::p::pulumi:providers:aws::default::abc"));
    assert.equal(aws.last("CreateActivity").ctx.account, ACCT);
    assert.ok(!aws.ops().includes("AssumeRole"));
  });
});

describe("AwssimMocks invokes", () => {
  it("answers getCallerIdentity from STS as the provider's identity", async () => {
    const { mocks } = setup();
    const p = await mocks.newResource({
      type: "pulumi:providers:aws",
      name: "prod",
      custom: true,
      inputs: { assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::222222222222:role/m", duration: "1h" }]) },
    });
    const me = await mocks.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {}, provider: `urn::${p.id}` });
    assert.equal(me.accountId, "222222222222");
    const root = await mocks.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} });
    assert.deepEqual(root, { accountId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, userId: ACCT, id: ACCT });
  });
  it("answers region, partition, AZs, policy documents and roles", async () => {
    const { mocks } = setup();
    assert.equal((await mocks.call({ token: "aws:index/getRegion:getRegion", inputs: {} })).name, "us-east-1");
    assert.equal((await mocks.call({ token: "aws:index/getRegion:getRegion", inputs: { region: "us-east-2" } })).name, "us-east-2");
    assert.equal((await mocks.call({ token: "aws:index/getPartition:getPartition", inputs: {} })).partition, "aws");
    const az = await mocks.call({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs: {} });
    assert.deepEqual(az.names, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    assert.deepEqual(az.zoneIds, ["use1-az1", "use1-az2", "use1-az3"]);
    const doc = await mocks.call({ token: "aws:iam/getPolicyDocument:getPolicyDocument", inputs: { statements: [{ actions: ["s3:*"], resources: ["*"] }] } });
    assert.deepEqual(JSON.parse(doc.json).Statement, [{ Effect: "Allow", Action: "s3:*", Resource: "*" }]);
    const role = await mocks.call({ token: "aws:iam/getRole:getRole", inputs: { name: "r" } });
    assert.equal(role.arn, `arn:aws:iam::${ACCT}:role/r`);
    assert.equal(role.assumeRolePolicy, "{}");
    await assert.rejects(mocks.call({ token: "aws:s3/getBucket:getBucket", inputs: {} }), /no answer for invoke aws:s3\/getBucket/);
  });
  it("getRole without a policy document answers an empty string", async () => {
    const { aws, mocks } = setup();
    aws.answers.GetRole = () => ({ Role: { RoleName: "r", Arn: "a", RoleId: "i", Path: "/", MaxSessionDuration: 3600 } });
    assert.equal((await mocks.call({ token: "aws:iam/getRole:getRole", inputs: { name: "r" } })).assumeRolePolicy, "");
  });
});

describe("AwssimMocks options", () => {
  it("reads endpoint, account and region from the environment", () => {
    const saved = { ...process.env };
    try {
      delete process.env.AWSSIM_URL;
      process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9/";
      process.env.AWSSIM_ACCOUNT = "444444444444";
      process.env.AWS_REGION = "us-east-2";
      const m = new AwssimMocks();
      assert.equal(m.endpoint, "http://127.0.0.1:9");
      assert.equal(m.account, "444444444444");
      assert.equal(m.region, "us-east-2");
      assert.deepEqual(m.credentials, { accessKeyId: "444444444444", secretAccessKey: "test" });
      delete process.env.AWSSIM_ACCOUNT;
      delete process.env.AWS_REGION;
      process.env.AWSSIM_URL = "http://a";
      const n = new AwssimMocks({ credentials: { accessKeyId: "AK", secretAccessKey: "S" } });
      assert.equal(n.endpoint, "http://a");
      assert.equal(n.account, "123456789012");
      assert.equal(n.region, "us-east-1");
      assert.equal(n.credentials.accessKeyId, "AK");
      delete process.env.AWSSIM_URL;
      delete process.env.AWS_ENDPOINT_URL;
      assert.throws(() => new AwssimMocks(), /no awssim endpoint/);
    } finally {
      process.env = saved;
    }
  });
});
