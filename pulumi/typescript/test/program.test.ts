/**
 * The whole program in mock mode through the awssim bridge, with a recording fake AWS behind it:
 * what is created, as whom, with which names, tags, sessions, records and definitions.
 */
import { strict as assert } from "assert";
import * as path from "path";
import { FakeAws } from "../../../mocks/typescript/test/fake";
import { CreatedResource } from "../../../mocks/typescript/src/mocks";
import { MULTI, multiAccountConfig, runProgram, RunResult, setConfig, resolve } from "./harness";

interface Run extends RunResult {
  aws: FakeAws;
  registry: any[];
}

async function run(values: Record<string, any>, opts: Record<string, any> = {}): Promise<Run> {
  const aws = new FakeAws();
  const registry: any[] = [];
  const r = await runProgram(values, {
    sender: aws.sender,
    registry: async (b) => (registry.push(b), { id: "" }),
    ramVisible: aws.ramVisible,
    ...opts,
  });
  return { ...r, aws, registry };
}

const ofType = (r: Run, type: string): CreatedResource[] => r.mocks.created.filter((c) => c.type === type);
const inputsOf = (r: Run, name: string) => r.registry.find((b) => b.name === name)!.inputs;

describe("migration program (multi-account, fake AWS)", function () {
  let r: Run;
  before(async () => {
    r = await run(multiAccountConfig());
  });

  it("plans waves in dependency order and exports them with the progress", () => {
    assert.deepEqual(r.outputs.migrationWaves, [["network-core", "sandbox-tools"], ["payments-db", "reporting"], ["payments-api"]]);
    assert.equal(r.outputs.migrationProgress, 42);
    assert.equal(r.outputs.singleAccountMode, false);
    assert.equal(r.outputs.dryRun, false);
  });

  it("creates one migration role per account, in that account, with ≤ 1 h sessions", () => {
    const roles = r.aws.calls.filter((c) => c.op === "CreateRole" && /^migration-(legacy|production|staging|development|central)-t1$/.test(c.input.RoleName));
    assert.deepEqual(
      roles.map((c) => [c.input.RoleName, c.ctx.account]).sort(),
      [
        ["migration-central-t1", MULTI.central],
        ["migration-development-t1", MULTI.development],
        ["migration-legacy-t1", MULTI.legacy],
        ["migration-production-t1", MULTI.production],
        ["migration-staging-t1", MULTI.staging],
      ],
    );
    for (const c of r.aws.calls.filter((x) => x.op === "CreateRole")) assert.ok(c.input.MaxSessionDuration <= 3600, `${c.input.RoleName} session`);
    const trust = JSON.parse(roles[0].input.AssumeRolePolicyDocument);
    assert.deepEqual(trust.Statement[0].Principal.AWS, [`arn:aws:iam::${MULTI.legacy}:root`, `arn:aws:iam::${MULTI.central}:root`]);
  });

  it("assumes roles only for ≤ 1 h: bootstrap roles for other accounts, migration roles for everything else", () => {
    const assumes = r.aws.calls.filter((c) => c.op === "AssumeRole");
    assert.ok(assumes.length >= 8);
    for (const a of assumes) assert.ok(a.input.DurationSeconds <= 3600 && a.input.DurationSeconds > 0, JSON.stringify(a.input));
    const bootstrap = assumes.filter((a) => a.input.RoleArn.endsWith(":role/OrganizationAccountAccessRole")).map((a) => a.input.RoleArn.split(":")[4]);
    assert.deepEqual(bootstrap.sort(), [MULTI.production, MULTI.staging, MULTI.development, MULTI.central].sort());
    assert.ok(assumes.some((a) => a.input.RoleArn === `arn:aws:iam::${MULTI.central}:role/migration-central-t1`));
  });

  it("shares the transit gateway through RAM with every other account", () => {
    const share = r.aws.last("CreateResourceShare");
    assert.equal(share.input.name, "migration-tgw-share-t1");
    assert.equal(share.ctx.account, MULTI.central);
    const principals = r.aws.calls.filter((c) => c.op === "AssociateResourceShare" && c.input.principals).map((c) => c.input.principals[0]);
    assert.deepEqual(principals.sort(), [MULTI.legacy, MULTI.production, MULTI.staging, MULTI.development].sort());
    const resources = r.aws.calls.filter((c) => c.op === "AssociateResourceShare" && c.input.resourceArns);
    assert.equal(resources.length, 1);
    assert.match(resources[0].input.resourceArns[0], /transitGateway\/tgw-/);
    const accepted = r.aws.calls.filter((c) => c.op === "AcceptResourceShareInvitation").map((c) => c.ctx.account);
    assert.deepEqual(accepted.sort(), [MULTI.legacy, MULTI.production, MULTI.staging, MULTI.development].sort());
    const tgws = ofType(r, "aws:ec2transitgateway/transitGateway:TransitGateway");
    assert.deepEqual(tgws.map((t) => [t.account, t.region]).sort(), [[MULTI.central, "us-east-1"], [MULTI.central, "us-east-2"]]);
    const attachments = ofType(r, "aws:ec2transitgateway/vpcAttachment:VpcAttachment");
    assert.deepEqual(attachments.map((a) => a.account).sort(), [MULTI.legacy, MULTI.production].sort());
    assert.deepEqual(inputsOf(r, "migration-tgw-attach-production-t1").subnetIds, ["subnet-p1", "subnet-p2"]);
    assert.equal(ofType(r, "aws:ec2transitgateway/peeringAttachment:PeeringAttachment").length, 1);
  });

  it("creates weighted records legacy/new at the first step, each with its health check", () => {
    const hcs = r.aws.calls.filter((c) => c.op === "CreateHealthCheck").map((c) => c.input.HealthCheckConfig);
    assert.deepEqual(hcs.map((h) => [h.FullyQualifiedDomainName, h.Type, h.Port, h.ResourcePath]).sort(), [
      ["legacy.example.com", "HTTPS", 443, "/health"],
      ["new.example.com", "HTTPS", 443, "/health"],
    ]);
    const records = r.aws.calls.filter((c) => c.op === "ChangeResourceRecordSets").map((c) => c.input.ChangeBatch.Changes[0].ResourceRecordSet);
    assert.deepEqual(records.map((x) => [x.SetIdentifier, x.Weight, x.Name, x.ResourceRecords[0].Value]).sort(), [
      ["legacy", 90, "api.t1.payments.example.com", "legacy.example.com"],
      ["new", 10, "api.t1.payments.example.com", "new.example.com"],
    ]);
    assert.ok(records.every((x) => x.HealthCheckId === "hc-0001"));
    assert.equal(r.aws.last("CreateHostedZone").input.Name, "t1.payments.example.com");
    assert.equal(r.aws.last("CreateHostedZone").ctx.account, MULTI.legacy);
  });

  it("deploys tier machines in their target accounts and an orchestrator in the central account", () => {
    const machines = r.aws.calls.filter((c) => c.op === "CreateStateMachine");
    const where = Object.fromEntries(machines.map((m) => [m.input.name, m.ctx.account]));
    assert.equal(where["migration-payments-db-t1"], MULTI.production);
    assert.equal(where["migration-reporting-t1"], MULTI.staging);
    assert.equal(where["migration-sandbox-tools-t1"], MULTI.development);
    assert.equal(where["migration-orchestrator-t1"], MULTI.central);
    assert.equal(where["migration-traffic-shift-t1"], MULTI.legacy);
    assert.equal(where["migration-traffic-rollback-t1"], MULTI.legacy);
    const orch = JSON.parse(machines.find((m) => m.input.name === "migration-orchestrator-t1")!.input.definition);
    const db = orch.States.Wave2.Branches.find((b: any) => b.StartAt === "Select-Migrate-payments-db").States["Migrate-payments-db"];
    assert.equal(db.Parameters.StateMachineArn, `arn:aws:states:us-east-1:${MULTI.production}:stateMachine:migration-payments-db-t1`);
    assert.deepEqual(db.Credentials, { RoleArn: `arn:aws:iam::${MULTI.production}:role/migration-production-t1` });
    const tier = JSON.parse(machines.find((m) => m.input.name === "migration-payments-db-t1")!.input.definition);
    assert.equal(tier.States.Replicate.Parameters.ReplicationTaskArn, `arn:aws:dms:us-east-1:${MULTI.production}:task:payments-db-replication-t1`);
    for (const m of machines) {
      assert.match(m.input.loggingConfiguration.destinations[0].cloudWatchLogsLogGroup.logGroupArn, /:\*$/);
      assert.equal(m.input.loggingConfiguration.level, "ALL");
    }
    assert.equal(r.outputs.orchestratorArn, `arn:aws:states:us-east-1:${MULTI.central}:stateMachine:migration-orchestrator-t1`);
    const alarm = inputsOf(r, "migration-orchestrator-failed-t1");
    assert.deepEqual([alarm.namespace, alarm.metricName, alarm.dimensions.StateMachineArn], ["AWS/States", "ExecutionsFailed", r.outputs.orchestratorArn]);
    assert.equal(r.registry.find((b) => b.name === "migration-orchestrator-failed-t1").account, MULTI.central);
  });

  it("migrates the database tier with DMS in the target account", () => {
    assert.equal(r.aws.last("CreateReplicationTask").input.MigrationType, "full-load-and-cdc");
    const eps = r.aws.calls.filter((c) => c.op === "CreateEndpoint").map((c) => [c.input.EndpointType, c.input.EngineName, c.input.ServerName, c.input.Password]);
    assert.deepEqual(eps.sort(), [
      ["source", "mysql", "legacy-db.example.com", "s3cret-pw"],
      ["target", "aurora", "new-db.example.com", "s3cret-pw"],
    ]);
    assert.ok(r.aws.calls.filter((c) => c.service === "dms").every((c) => c.ctx.account === MULTI.production));
  });

  it("forwards events from every account to the central bus, logged centrally", () => {
    const rules = ofType(r, "aws:cloudwatch/eventRule:EventRule").filter((c) => c.name.startsWith("migration-forward-"));
    assert.deepEqual(rules.map((x) => x.account).sort(), [MULTI.legacy, MULTI.production, MULTI.staging, MULTI.development].sort());
    const targets = r.registry.filter((b) => b.type === "aws:cloudwatch/eventTarget:EventTarget" && b.name.startsWith("migration-forward-"));
    assert.equal(targets.length, 4);
    for (const t of targets) assert.match(t.inputs.arn, new RegExp(`^arn:aws:cloudwatch:us-east-1:${MULTI.central}:eventBus/`));
    const pattern = JSON.parse(inputsOf(r, "migration-forward-production-t1").eventPattern);
    assert.deepEqual(pattern.source, ["aws.states", "migration.framework"]);
    const policy = JSON.parse(inputsOf(r, "migration-central-bus-policy-t1").policy);
    assert.equal(policy.Statement[0].Principal.AWS.length, 5);
    assert.equal(inputsOf(r, "migration-events-logs-t1").name, "/aws/events/migration-t1");
  });

  it("aggregates AWS Config from every account and region, authorized by each source account", () => {
    const agg = inputsOf(r, "migration-config-aggregator-t1");
    assert.deepEqual(agg.accountAggregationSource.accountIds, Object.values(MULTI).sort());
    assert.deepEqual(agg.accountAggregationSource.regions, ["us-east-1", "us-east-2"]);
    const auths = ofType(r, "aws:cfg/aggregateAuthorization:AggregateAuthorization");
    assert.equal(auths.length, 8);
    assert.deepEqual([...new Set(auths.map((a) => a.account))].sort(), [MULTI.legacy, MULTI.production, MULTI.staging, MULTI.development].sort());
    assert.deepEqual([...new Set(auths.map((a) => a.region))].sort(), ["us-east-1", "us-east-2"]);
    assert.equal(inputsOf(r, `migration-config-auth-${MULTI.production}-us-east-2-t1`).accountId, MULTI.central);
  });

  it("writes the SSM hierarchy in the central account and pointers in the others", () => {
    const params = r.registry.filter((b) => b.type === "aws:ssm/parameter:Parameter");
    const central = Object.fromEntries(params.filter((p) => p.account === MULTI.central).map((p) => [p.inputs.name, p.inputs.value]));
    assert.equal(central["/migration/t1/tiers/payments-api/depends-on"], "payments-db");
    assert.equal(central["/migration/t1/tiers/network-core/depends-on"], "none");
    assert.equal(central["/migration/t1/tiers/payments-api/wave"], "3");
    assert.equal(central["/migration/t1/accounts/staging"], MULTI.staging);
    assert.equal(central["/migration/t1/config/deployed-by"], `arn:aws:iam::${MULTI.legacy}:root`);
    assert.equal(central["/migration/t1/plan/waves"], JSON.stringify(r.outputs.migrationWaves));
    assert.equal(central["/migration/t1/orchestrator/arn"], r.outputs.orchestratorArn);
    const legacy = params.filter((p) => p.account === MULTI.legacy).map((p) => p.inputs.name).sort();
    assert.deepEqual(legacy, ["/migration/t1/central/legacy/bus-arn", "/migration/t1/central/legacy/orchestrator-arn"]);
  });

  it("names every resource with the suffix", () => {
    for (const c of r.mocks.created) assert.match(c.name, /-t1(-|$)/, `${c.type} ${c.name}`);
    for (const b of r.registry.filter((x) => x.inputs.name !== undefined)) assert.match(b.inputs.name, /t1/, `${b.type} ${b.inputs.name}`);
    for (const c of r.aws.calls.filter((x) => x.op === "CreateRole")) assert.match(c.input.RoleName, /-t1$/);
    for (const c of r.aws.calls.filter((x) => x.op === "CreateStateMachine")) assert.match(c.input.name, /-t1$/);
  });

  it("keeps original service tags and adds migration metadata on every taggable resource", () => {
    const tierRole = r.aws.calls.find((c) => c.op === "CreateRole" && c.input.RoleName === "migration-payments-db-sfn-t1")!;
    const tags = Object.fromEntries(tierRole.input.Tags.map((t: any) => [t.Key, t.Value]));
    assert.equal(tags.CostCenter, "payments");
    assert.equal(tags.DataClass, "pci");
    assert.equal(tags["migration:tier"], "payments-db");
    assert.equal(tags["migration:wave"], "2");
    assert.equal(tags["migration:depends-on"], "network-core");
    assert.equal(tags["migration:environment-suffix"], "t1");
    const sm = r.aws.calls.find((c) => c.op === "CreateStateMachine" && c.input.name === "migration-payments-api-t1")!;
    assert.ok(sm.input.tags.some((t: any) => t.key === "Service" && t.value === "api"));
    const untaggable = new Set([
      "aws:iam/rolePolicy:RolePolicy",
      "aws:ram/resourceAssociation:ResourceAssociation",
      "aws:ram/principalAssociation:PrincipalAssociation",
      "aws:route53/record:Record",
      "aws:cloudwatch/eventTarget:EventTarget",
      "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
      "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
    ]);
    const inputsByName = new Map<string, any>([...r.registry.map((b) => [b.name, b.inputs] as [string, any])]);
    for (const c of r.mocks.created.filter((x) => !untaggable.has(x.type) && x.via === "registry")) {
      const t = inputsByName.get(c.name).tags;
      assert.ok(t && t["migration:id"] === "migration-t1", `${c.type} ${c.name} has migration tags`);
    }
    for (const c of r.aws.calls.filter((x) => ["CreateRole", "CreateReplicationTask", "CreateEndpoint", "CreateReplicationInstance"].includes(x.op))) {
      assert.ok(c.input.Tags.some((t: any) => t.Key === "migration:id"), `${c.op} tagged`);
    }
  });

  it("marks nothing retained or protected", () => {
    const src = require("fs").readFileSync(path.join(__dirname, "..", "lib", "traffic.ts"), "utf8");
    assert.ok(r.mocks.created.length > 80);
    for (const f of ["access", "network", "traffic", "monitoring", "compliance", "parameters", "orchestrator", "migrationStateMachine", "common"]) {
      const text = require("fs").readFileSync(path.join(__dirname, "..", "lib", `${f}.ts`), "utf8");
      assert.ok(!/protect:\s*true|retainOnDelete|RETAIN/.test(text), f);
    }
    assert.match(src, /forceDestroy: true/);
  });
});

describe("migration program modes", () => {
  it("single-account mode: every role in one account, no RAM share, no bootstrap role", async () => {
    const r = await run({ ...multiAccountConfig({ environmentSuffix: "s1" }), accounts: undefined, accountId: MULTI.legacy, vpcs: { production: { vpcId: "vpc-1", subnetIds: ["s"] } } });
    assert.equal(r.outputs.singleAccountMode, true);
    assert.ok(r.mocks.created.every((c) => c.account === MULTI.legacy));
    assert.ok(!r.aws.ops().includes("CreateResourceShare"));
    assert.equal(r.outputs.resourceShareArn, "");
    const assumes = r.aws.calls.filter((c) => c.op === "AssumeRole");
    assert.ok(assumes.every((a) => !a.input.RoleArn.includes("OrganizationAccountAccessRole")));
    assert.ok(assumes.every((a) => a.input.DurationSeconds === 3600));
    assert.equal(ofType(r, "aws:cfg/aggregateAuthorization:AggregateAuthorization").length, 0);
    const orch = JSON.parse(r.aws.calls.find((c) => c.op === "CreateStateMachine" && c.input.name === "migration-orchestrator-s1")!.input.definition);
    assert.ok(!JSON.stringify(orch).includes("Credentials"));
    const role = JSON.parse(r.registry.length ? r.aws.calls.find((c) => c.op === "PutRolePolicy" && c.input.RoleName === "migration-orchestrator-sfn-s1")!.input.PolicyDocument : "{}");
    assert.ok(!JSON.stringify(role).includes("sts:AssumeRole"));
    assert.equal(ofType(r, "aws:ec2transitgateway/vpcAttachment:VpcAttachment").length, 1);
  });

  it("inside one organization (no external principals) nothing needs accepting", async () => {
    const r = await run(multiAccountConfig({ environmentSuffix: "o1", allowExternalPrincipals: false }));
    assert.equal(r.aws.last("CreateResourceShare").input.allowExternalPrincipals, false);
    assert.ok(!r.aws.ops().includes("AcceptResourceShareInvitation"));
    assert.equal(r.stack.network.principalAssociations.length, 4);
  });

  it("ramAcceptInvitations=false: nothing accepts the invitations, so an attachment in a receiving account fails as in AWS", async () => {
    const aws = new FakeAws();
    const registry: any[] = [];
    const values = multiAccountConfig({ environmentSuffix: "r1", ramAcceptInvitations: false });
    const err: Error = await run(values, { sender: aws.sender, ramVisible: aws.ramVisible, registry: async (b: any) => (registry.push(b), { id: "" }) }).then(
      () => assert.fail("the deploy succeeded"),
      (e) => e,
    );
    const m = /VpcAttachment migration-tgw-attach-(legacy|production)-r1: ec2:CreateTransitGatewayVpcAttachment failed: InvalidTransitGatewayID\.NotFound: The transitGateway ID 'tgw-[0-9a-f]{17}' does not exist\./.exec(err.message);
    assert.ok(m, err.message);
    assert.ok(!aws.ops().includes("AcceptResourceShareInvitation"));
    // The attachment waited for its account's principal association: that account's invitation exists.
    const principals = aws.calls.filter((c) => c.op === "AssociateResourceShare" && c.input.principals).map((c) => c.input.principals[0]);
    assert.ok(principals.includes(MULTI[m![1] as "legacy" | "production"]), JSON.stringify(principals));
    assert.deepEqual(registry.filter((b) => b.type === "aws:ec2transitgateway/vpcAttachment:VpcAttachment"), []);
  });

  it("ramAcceptInvitations=false inside one organization: nothing to accept, attachments are made", async () => {
    const r = await run(multiAccountConfig({ environmentSuffix: "r2", ramAcceptInvitations: false, allowExternalPrincipals: false }));
    assert.equal(r.stack.network.accepters.length, 0);
    assert.equal(ofType(r, "aws:ec2transitgateway/vpcAttachment:VpcAttachment").length, 2);
  });

  it("dry-run flag: no sharing, attachments, peering, records or rollback rule; machines simulate", async () => {
    let queried = false;
    const r = await run(multiAccountConfig({ environmentSuffix: "d1", dryRun: true }), { progress: async () => ((queried = true), 99) });
    assert.equal(r.outputs.dryRun, true);
    assert.equal(r.outputs.migrationProgress, 0);
    assert.equal(queried, false);
    for (const op of ["CreateResourceShare", "AssociateResourceShare", "ChangeResourceRecordSets"]) assert.ok(!r.aws.ops().includes(op), op);
    for (const t of ["vpcAttachment:VpcAttachment", "peeringAttachment:PeeringAttachment"]) assert.equal(ofType(r, `aws:ec2transitgateway/${t}`).length, 0);
    assert.ok(!r.mocks.created.some((c) => c.name === "migration-rollback-on-alarm-d1"));
    for (const m of r.aws.calls.filter((c) => c.op === "CreateStateMachine")) {
      const def = JSON.parse(m.input.definition);
      const types = JSON.stringify(def);
      assert.ok(!types.includes('"Type":"Task"'), `${m.input.name} has no Task`);
    }
    const tags = r.aws.calls.find((c) => c.op === "CreateRole")!.input.Tags;
    assert.ok(tags.some((t: any) => t.Key === "migration:mode" && t.Value === "dry-run"));
  });

  it("pulumi preview: the bridge creates nothing in awssim and the program is in dry-run", async () => {
    const r = await run(multiAccountConfig({ environmentSuffix: "p1" }), { preview: true });
    assert.equal(r.cfg.dryRun, true);
    assert.equal(r.registry.length, 0);
    assert.ok(r.aws.calls.every((c) => c.op !== "CreateRole" && c.op !== "CreateStateMachine"));
    assert.ok(r.mocks.created.every((c) => c.via === "local"));
  });

  it("a circular dependency fails before any resource is created, naming the cycle", async () => {
    const services = [
      { name: "api", dependsOn: ["db"] },
      { name: "db", dependsOn: ["cache"] },
      { name: "cache", dependsOn: ["api"] },
    ];
    const aws = new FakeAws();
    const registry: any[] = [];
    await assert.rejects(
      runProgram(multiAccountConfig({ environmentSuffix: "c1", services }), { sender: aws.sender, registry: async (b) => (registry.push(b), { id: "" }) }),
      /circular dependency between services: api -> db -> cache -> api/,
    );
    assert.deepEqual(aws.calls, []);
    assert.deepEqual(registry, []);
  });

  it("index.ts exports the stack outputs (dry-run config)", async () => {
    const aws = new FakeAws();
    setConfig(multiAccountConfig({ environmentSuffix: "i1", dryRun: true }));
    const { AwssimMocks } = await import("../../../mocks/typescript/src/mocks");
    const pulumi = await import("@pulumi/pulumi");
    await pulumi.runtime.setMocks(new AwssimMocks({ endpoint: "http://127.0.0.1:1", account: MULTI.legacy, sender: aws.sender, registry: async () => ({ id: "" }) }), "migration-framework", "test");
    const idx = await import("../index");
    assert.equal(await resolve(idx.migrationProgress), 0);
    assert.equal(await resolve(idx.parameterPrefix), "/migration/i1");
    assert.equal(await resolve(idx.trafficRecordName), "api.i1.payments.example.com");
    const all = await resolve(
      Object.fromEntries(Object.entries(idx).filter(([k]) => k !== "default" && k !== "__esModule")) as any,
    );
    for (const [k, v] of Object.entries(all as any)) assert.notEqual(v, undefined, k);
  });
});
