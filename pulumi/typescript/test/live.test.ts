/**
 * Live: the whole program deployed in mock mode against a real awssim (AWSSIM_BIN) through the
 * bridge; then what awssim holds is checked with the AWS SDK, and the orchestrator is executed
 * for real to check the progress output.
 */
import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { AwssimServer, ServiceKey, advanceClock, ensureBootstrapRoles, registryList, sdkSender, startAwssim } from "../../../mocks/typescript/src/index";
import { MULTI, multiAccountConfig, runProgram, RunResult } from "./harness";
import { defaultProgressQuery } from "../lib/stack";

const BIN = process.env.AWSSIM_BIN || path.resolve(__dirname, "../../../build/release/awssim");
type Aws = (account: string, service: ServiceKey, op: string, input: any, region?: string) => Promise<any>;

/** Start awssim; point the program's own SDK calls (progress) at it as the legacy account. */
async function start(): Promise<{ srv: AwssimServer; aws: Aws; restore: () => Promise<void> }> {
  const saved = { ...process.env };
  const srv = await startAwssim(BIN);
  process.env.AWS_ENDPOINT_URL = srv.url;
  process.env.AWS_ACCESS_KEY_ID = MULTI.legacy;
  process.env.AWS_SECRET_ACCESS_KEY = "test";
  process.env.AWS_REGION = "us-east-1";
  const send = sdkSender(srv.url);
  const aws: Aws = (account, service, op, input, region = "us-east-1") =>
    send(service, op, input, { account, region, credentials: { accessKeyId: account, secretAccessKey: "test" } });
  return {
    srv,
    aws,
    restore: async () => {
      process.env = saved;
      await srv.stop();
    },
  };
}

async function runToEnd(aws: Aws, url: string, account: string, executionArn: string): Promise<any> {
  for (let i = 0; i < 60; i++) {
    const d = await aws(account, "sfn", "DescribeExecution", { executionArn });
    if (d.status !== "RUNNING") return d;
    await advanceClock(url, 30);
  }
  throw new Error(`${executionArn} still running`);
}

describe("live: whole program against awssim (multi-account)", function () {
  let env: Awaited<ReturnType<typeof start>>;
  let r: RunResult;
  before(async () => {
    env = await start();
    await ensureBootstrapRoles(env.srv.url, [MULTI.production, MULTI.staging, MULTI.development, MULTI.central], MULTI.legacy);
    r = await runProgram(multiAccountConfig({ environmentSuffix: "live1" }), { endpoint: env.srv.url, progress: defaultProgressQuery });
  });
  after(async () => env && env.restore());

  it("reports 0 % before the orchestrator ever ran (queried from awssim)", () => {
    assert.equal(r.outputs.migrationProgress, 0);
  });

  it("runs the orchestrator across accounts (task credentials of each target account's role): 100 %", async () => {
    const exec = await env.aws(MULTI.central, "sfn", "StartExecution", { stateMachineArn: r.outputs.orchestratorArn, input: "{}" });
    const d = await runToEnd(env.aws, env.srv.url, MULTI.central, exec.executionArn);
    assert.equal(d.status, "SUCCEEDED", `${d.error}: ${d.cause}`);
    const tierRuns = await env.aws(MULTI.production, "sfn", "ListExecutions", { stateMachineArn: r.outputs.tierStateMachineArns["payments-db"] });
    assert.deepEqual(tierRuns.executions.map((e: any) => e.status), ["SUCCEEDED"]);
    const task = (await env.aws(MULTI.production, "dms", "DescribeReplicationTasks", {})).ReplicationTasks[0];
    assert.notEqual(task.Status, "ready", "replication was started");
    assert.equal(await defaultProgressQuery(r.outputs.orchestratorArn, r.outputs.roleArns.central, r.cfg, r.cfg.services.length), 100);
  });

  it("holds each migration role in its own account with a 1 h maximum session", async () => {
    for (const [role, account] of Object.entries(MULTI)) {
      const roles: any[] = (await env.aws(account, "iam", "ListRoles", {})).Roles;
      const mine = roles.find((x) => x.RoleName === `migration-${role}-live1`);
      assert.ok(mine, `migration-${role}-live1 in ${account}`);
      assert.equal(mine.MaxSessionDuration, 3600);
      assert.ok(roles.every((x) => x.MaxSessionDuration <= 3600), `all roles of ${account} ≤ 1 h`);
    }
  });

  it("holds the accepted state machines in the right accounts", async () => {
    const names = async (account: string) => (await env.aws(account, "sfn", "ListStateMachines", {})).stateMachines.map((m: any) => m.name).sort();
    assert.deepEqual(await names(MULTI.central), ["migration-orchestrator-live1"]);
    assert.deepEqual(await names(MULTI.production), ["migration-network-core-live1", "migration-payments-api-live1", "migration-payments-db-live1"]);
    assert.deepEqual(await names(MULTI.staging), ["migration-reporting-live1"]);
    assert.deepEqual(await names(MULTI.legacy), ["migration-traffic-rollback-live1", "migration-traffic-shift-live1"]);
    const d = await env.aws(MULTI.central, "sfn", "DescribeStateMachine", { stateMachineArn: r.outputs.orchestratorArn });
    const def = JSON.parse(d.definition);
    assert.deepEqual(Object.keys(def.States).filter((k) => /^Wave\d$/.test(k)), ["Wave1", "Wave2", "Wave3"]);
  });

  it("holds the weighted records legacy 90 / new 10 with their health checks", async () => {
    const rr = await env.aws(MULTI.legacy, "route53", "ListResourceRecordSets", { HostedZoneId: r.outputs.hostedZoneId });
    const weighted = rr.ResourceRecordSets.filter((x: any) => x.SetIdentifier !== undefined);
    assert.deepEqual(weighted.map((x: any) => [x.Name, x.SetIdentifier, x.Weight, x.HealthCheckId]).sort(), [
      ["api.live1.payments.example.com.", "legacy", 90, r.outputs.legacyHealthCheckId],
      ["api.live1.payments.example.com.", "new", 10, r.outputs.newHealthCheckId],
    ]);
    const hc = await env.aws(MULTI.legacy, "route53", "GetHealthCheck", { HealthCheckId: r.outputs.newHealthCheckId });
    assert.equal(hc.HealthCheck.HealthCheckConfig.FullyQualifiedDomainName, "new.example.com");
    const tags = await env.aws(MULTI.legacy, "route53", "ListTagsForResource", { ResourceType: "healthcheck", ResourceId: r.outputs.newHealthCheckId });
    assert.ok(tags.ResourceTagSet.Tags.some((t: any) => t.Key === "migration:environment-suffix" && t.Value === "live1"));
  });

  it("shares the transit gateway from the central account with the four other accounts", async () => {
    const shares = await env.aws(MULTI.central, "ram", "GetResourceShares", { resourceOwner: "SELF" });
    const share = shares.resourceShares.find((s: any) => s.name === "migration-tgw-share-live1");
    assert.ok(share);
    const principals = await env.aws(MULTI.central, "ram", "ListPrincipals", { resourceOwner: "SELF", resourceShareArns: [share.resourceShareArn] });
    assert.deepEqual(principals.principals.map((p: any) => p.id).sort(), [MULTI.legacy, MULTI.production, MULTI.staging, MULTI.development].sort());
    for (const account of [MULTI.legacy, MULTI.production, MULTI.staging, MULTI.development]) {
      const inv = await env.aws(account, "ram", "GetResourceShareInvitations", { resourceShareArns: [share.resourceShareArn] });
      assert.deepEqual(inv.resourceShareInvitations.map((i: any) => i.status), ["ACCEPTED"], `accepted by ${account}`);
    }
    const tgws = await registryList(env.srv.url, "aws:ec2transitgateway/transitGateway:TransitGateway", MULTI.central);
    assert.deepEqual(tgws.map((t: any) => t.region).sort(), ["us-east-1", "us-east-2"]);
    assert.match(tgws[0].id, /^tgw-[0-9a-f]{17}$/);
    const attachments = await registryList(env.srv.url, "aws:ec2transitgateway/vpcAttachment:VpcAttachment");
    assert.deepEqual(attachments.map((a: any) => a.account).sort(), [MULTI.legacy, MULTI.production]);
  });

  it("holds the DMS replication task of the database tier (full load + CDC) in production", async () => {
    const t = await env.aws(MULTI.production, "dms", "DescribeReplicationTasks", {});
    const task = t.ReplicationTasks.find((x: any) => x.ReplicationTaskIdentifier === "payments-db-replication-live1");
    assert.ok(["ready", "starting", "running"].includes(task.Status), task.Status);
    assert.equal(task.MigrationType, "full-load-and-cdc");
  });

  it("keeps the SSM hierarchy and config authorizations in the registry", async () => {
    const params = await registryList(env.srv.url, "aws:ssm/parameter:Parameter", MULTI.central);
    const byName = Object.fromEntries(params.map((p: any) => [p.state.name, p.state.value]));
    assert.equal(byName["/migration/live1/tiers/payments-api/depends-on"], "payments-db");
    assert.equal(byName["/migration/live1/orchestrator/arn"], r.outputs.orchestratorArn);
    assert.equal(byName["/migration/live1/config/deployed-by"], `arn:aws:iam::${MULTI.legacy}:root`);
    const auths = await registryList(env.srv.url, "aws:cfg/aggregateAuthorization:AggregateAuthorization");
    assert.equal(auths.length, 8);
  });
});

describe("live: single-account mode, orchestrator executed in awssim", function () {
  let env: Awaited<ReturnType<typeof start>>;
  let r: RunResult;
  const acct = MULTI.legacy;
  before(async () => {
    env = await start();
    r = await runProgram({ ...multiAccountConfig({ environmentSuffix: "one" }), accounts: undefined, accountId: acct }, { endpoint: env.srv.url, progress: defaultProgressQuery });
  });
  after(async () => env && env.restore());

  it("progress is 0, then 100 once the orchestrator's execution succeeded", async () => {
    assert.equal(r.outputs.migrationProgress, 0);
    const exec = await env.aws(acct, "sfn", "StartExecution", { stateMachineArn: r.outputs.orchestratorArn, input: "{}" });
    const d = await runToEnd(env.aws, env.srv.url, acct, exec.executionArn);
    assert.equal(d.status, "SUCCEEDED", `${d.error}: ${d.cause}`);
    assert.equal(await defaultProgressQuery(r.outputs.orchestratorArn, r.outputs.roleArns.central, r.cfg, r.cfg.services.length), 100);
  });

  it("migrates only the services asked for (incremental rollout)", async () => {
    const exec = await env.aws(acct, "sfn", "StartExecution", { stateMachineArn: r.outputs.orchestratorArn, input: JSON.stringify({ services: ["network-core", "reporting"] }) });
    const d = await runToEnd(env.aws, env.srv.url, acct, exec.executionArn);
    assert.equal(d.status, "SUCCEEDED", `${d.error}: ${d.cause}`);
    const h = await env.aws(acct, "sfn", "GetExecutionHistory", { executionArn: exec.executionArn, maxResults: 1000 });
    const exited: string[] = h.events.filter((e: any) => e.stateExitedEventDetails).map((e: any) => e.stateExitedEventDetails.name);
    assert.deepEqual(exited.filter((n) => n.startsWith("Migrate-")).sort(), ["Migrate-network-core", "Migrate-reporting"]);
    assert.ok(exited.includes("Skip-Migrate-payments-api"));
    assert.equal(await defaultProgressQuery(r.outputs.orchestratorArn, r.outputs.roleArns.central, r.cfg, r.cfg.services.length), 40);
  });

  it("a failing tier rolls everything back and the progress counts what is still migrated", async () => {
    await env.aws(acct, "sfn", "DeleteStateMachine", { stateMachineArn: r.outputs.tierStateMachineArns["payments-api"] });
    await advanceClock(env.srv.url, 60);
    const exec = await env.aws(acct, "sfn", "StartExecution", { stateMachineArn: r.outputs.orchestratorArn, input: "{}" });
    const d = await runToEnd(env.aws, env.srv.url, acct, exec.executionArn);
    assert.equal(d.status, "FAILED");
    assert.equal(d.error, "MigrationRolledBack");
    const h = await env.aws(acct, "sfn", "GetExecutionHistory", { executionArn: exec.executionArn, maxResults: 1000 });
    const exited: string[] = h.events.filter((e: any) => e.stateExitedEventDetails).map((e: any) => e.stateExitedEventDetails.name);
    const migrated = exited.filter((n) => n.startsWith("Migrate-")).map((n) => n.slice(8)).sort();
    const rolledBack = exited.filter((n) => n.startsWith("Rollback-")).map((n) => n.slice(9)).sort();
    // Wave 1 went through before the failure; everything that migrated was rolled back.
    assert.ok(migrated.includes("network-core") && migrated.includes("sandbox-tools"), JSON.stringify(migrated));
    assert.ok(!migrated.includes("payments-api"));
    for (const t of migrated) assert.ok(rolledBack.includes(t), `rolled back ${t}`);
    assert.equal(await defaultProgressQuery(r.outputs.orchestratorArn, r.outputs.roleArns.central, r.cfg, r.cfg.services.length), 0);
  });
});

describe("live: traffic shifting in awssim (single-account)", function () {
  let env: Awaited<ReturnType<typeof start>>;
  let r: RunResult;
  const acct = MULTI.legacy;
  const weights = async () => {
    const rr = await env.aws(acct, "route53", "ListResourceRecordSets", { HostedZoneId: r.outputs.hostedZoneId });
    return Object.fromEntries(rr.ResourceRecordSets.filter((x: any) => x.SetIdentifier).map((x: any) => [x.SetIdentifier, x.Weight]));
  };
  before(async () => {
    env = await start();
    r = await runProgram({ ...multiAccountConfig({ environmentSuffix: "tr" }), accounts: undefined, accountId: acct }, { endpoint: env.srv.url, progress: defaultProgressQuery });
  });
  after(async () => env && env.restore());

  it("starts at 10 % and steps to 100 % while the new environment is healthy", async () => {
    assert.deepEqual(await weights(), { legacy: 90, new: 10 });
    const exec = await env.aws(acct, "sfn", "StartExecution", { stateMachineArn: r.outputs.trafficShiftStateMachineArn, input: "{}" });
    const d = await runToEnd(env.aws, env.srv.url, acct, exec.executionArn);
    assert.equal(d.status, "SUCCEEDED", `${d.error}: ${d.cause}`);
    assert.deepEqual(await weights(), { legacy: 0, new: 100 });
  });

  it("shifts everything back to legacy when the new environment's health check fails", async () => {
    const f = await fetch(`${env.srv.url}/_awssim/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "route53", healthCheckId: r.outputs.newHealthCheckId, status: "unhealthy" }),
    });
    assert.ok(f.ok, await f.text());
    for (let i = 0; i < 5; i++) await advanceClock(env.srv.url, 60);
    const exec = await env.aws(acct, "sfn", "StartExecution", { stateMachineArn: r.outputs.trafficShiftStateMachineArn, input: "{}" });
    const d = await runToEnd(env.aws, env.srv.url, acct, exec.executionArn);
    assert.equal(d.status, "FAILED");
    assert.equal(d.error, "HealthCheckFailed");
    assert.deepEqual(await weights(), { legacy: 100, new: 0 });
  });
});

describe("live: the deploy entry point runs the program against awssim", function () {
  let env: Awaited<ReturnType<typeof start>>;
  before(async () => (env = await start()));
  after(async () => env && env.restore());

  it("node mocks/typescript/dist/deploy.js --program pulumi/typescript writes flat outputs", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flat-")), "cfn-outputs", "flat-outputs.json");
    const root = path.resolve(__dirname, "../../..");
    await promisify(execFile)(
      process.execPath,
      [
        path.join(root, "mocks/typescript/dist/deploy.js"), "--program", path.join(root, "pulumi/typescript"), "--endpoint", env.srv.url,
        "--stack", "single-account", "--account", MULTI.legacy, "--config", "environmentSuffix=cli1", "--outputs", out,
      ],
      { env: process.env, maxBuffer: 16 * 1024 * 1024 },
    );
    const flat = JSON.parse(fs.readFileSync(out, "utf8"));
    assert.equal(flat.environmentSuffix, "cli1");
    assert.equal(flat.singleAccountMode, true);
    assert.equal(flat.migrationProgress, 0);
    assert.equal(flat.orchestratorArn, `arn:aws:states:us-east-1:${MULTI.legacy}:stateMachine:migration-orchestrator-cli1`);
    assert.deepEqual(JSON.parse(flat.migrationWaves), [["network-core"], ["payments-api", "reporting"]]);
    const d = await env.aws(MULTI.legacy, "sfn", "DescribeStateMachine", { stateMachineArn: flat.orchestratorArn });
    assert.equal(d.name, "migration-orchestrator-cli1");
  });
});

describe("live: dry-run against awssim", function () {
  let env: Awaited<ReturnType<typeof start>>;
  let r: RunResult;
  before(async () => {
    env = await start();
    await ensureBootstrapRoles(env.srv.url, [MULTI.production, MULTI.staging, MULTI.development, MULTI.central], MULTI.legacy);
    r = await runProgram(multiAccountConfig({ environmentSuffix: "dry", dryRun: true }), { endpoint: env.srv.url, progress: defaultProgressQuery });
  });
  after(async () => env && env.restore());

  it("creates no sharing, no records, no attachments", async () => {
    const shares = await env.aws(MULTI.central, "ram", "GetResourceShares", { resourceOwner: "SELF" });
    assert.deepEqual(shares.resourceShares, []);
    const rr = await env.aws(MULTI.legacy, "route53", "ListResourceRecordSets", { HostedZoneId: r.outputs.hostedZoneId });
    assert.ok(rr.ResourceRecordSets.every((x: any) => x.Type === "NS" || x.Type === "SOA"));
    assert.deepEqual(await registryList(env.srv.url, "aws:ec2transitgateway/vpcAttachment:VpcAttachment"), []);
    assert.deepEqual(await registryList(env.srv.url, "aws:ec2transitgateway/peeringAttachment:PeeringAttachment"), []);
  });

  it("the simulated orchestrator runs to success in awssim without touching anything", async () => {
    const exec = await env.aws(MULTI.central, "sfn", "StartExecution", { stateMachineArn: r.outputs.orchestratorArn, input: "{}" });
    const d = await runToEnd(env.aws, env.srv.url, MULTI.central, exec.executionArn);
    assert.equal(d.status, "SUCCEEDED", `${d.error}: ${d.cause}`);
    const t = await env.aws(MULTI.production, "dms", "DescribeReplicationTasks", {});
    assert.ok(t.ReplicationTasks.every((x: any) => x.Status === "ready"), "no replication started");
  });
});
