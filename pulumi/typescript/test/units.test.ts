import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigSource, loadAccounts, loadConfig, validateSteps } from "../lib/config";
import { CircularDependencyError, findCycle, planWaves, waveOf } from "../lib/topology";
import { mergeTags, migrationTags, resourceName } from "../lib/naming";
import { orchestratorDefinition, rollbackDefinition, tierDefinition, trafficShiftDefinition, weightChange, TrafficShiftArgs } from "../lib/asl";
import { progressClient, progressFromHistory, queryProgress } from "../lib/progress";
import { accountTrustPolicy } from "../lib/access";
import { logDestination } from "../lib/common";
import { MULTI, SERVICES } from "./harness";

/** A ConfigSource over plain values, like pulumi.Config over the stack file. */
function source(values: Record<string, any>): ConfigSource {
  return {
    get: (k) => (values[k] === undefined ? undefined : typeof values[k] === "string" ? values[k] : JSON.stringify(values[k])),
    getObject: (k) => values[k],
    getBoolean: (k) => values[k],
    getNumber: (k) => values[k],
    getSecret: (k) => (values[k] === undefined ? undefined : pulumi.secret(String(values[k]))),
  };
}

const BASE = { environmentSuffix: "t1", accounts: MULTI, services: [{ name: "api" }] };

describe("config", () => {
  it("loads defaults: 1 h sessions, us-east-1/us-east-2, 10/25/50/100 %, production target", () => {
    const c = loadConfig(source(BASE), false);
    assert.equal(c.sessionDurationSeconds, 3600);
    assert.equal(c.primaryRegion, "us-east-1");
    assert.equal(c.secondaryRegion, "us-east-2");
    assert.deepEqual(c.traffic.steps, [10, 25, 50, 100]);
    assert.equal(c.services[0].targetAccount, "production");
    assert.deepEqual(c.services[0].dependsOn, []);
    assert.equal(c.migrationId, "migration-t1");
    assert.equal(c.dryRun, false);
    assert.equal(c.singleAccount, false);
    assert.equal(c.allowExternalPrincipals, true);
    assert.equal(c.ramAcceptInvitations, true);
    assert.equal(c.bootstrapRoleName, "OrganizationAccountAccessRole");
    assert.equal(c.dbPassword, undefined);
  });
  it("dry-run comes from preview or the dryRun flag", () => {
    assert.equal(loadConfig(source(BASE), true).dryRun, true);
    assert.equal(loadConfig(source({ ...BASE, dryRun: true }), false).dryRun, true);
  });
  it("single-account mode puts every role in one account; accounts override per role", () => {
    const s = loadAccounts(source({ accountId: "999999999999" }));
    assert.equal(s.singleAccount, true);
    assert.deepEqual(Object.values(s.accounts), Array(5).fill("999999999999"));
    const mixed = loadAccounts(source({ accountId: "999999999999", accounts: { central: "555555555555" } }));
    assert.equal(mixed.accounts.central, "555555555555");
    assert.equal(mixed.accounts.legacy, "999999999999");
    assert.equal(mixed.singleAccount, false);
  });
  it("rejects missing or malformed accounts", () => {
    assert.throws(() => loadAccounts(source({})), /configure "accounts"/);
    assert.throws(() => loadAccounts(source({ accounts: { legacy: "1" } })), /account id for "legacy" must be 12 digits, got "1"/);
    assert.throws(() => loadAccounts(source({ accounts: { ...MULTI, central: undefined } })), /account id for "central"/);
  });
  it("rejects sessions longer than one hour (and shorter than STS allows)", () => {
    assert.throws(() => loadConfig(source({ ...BASE, sessionDurationSeconds: 7200 }), false), /sessionDurationSeconds must be between 900 and 3600 \(1 hour\), got 7200/);
    assert.throws(() => loadConfig(source({ ...BASE, sessionDurationSeconds: 600 }), false), /got 600/);
    assert.equal(loadConfig(source({ ...BASE, sessionDurationSeconds: 1800 }), false).sessionDurationSeconds, 1800);
  });
  it("validates suffix, services and the database password", () => {
    assert.throws(() => loadConfig(source({ ...BASE, environmentSuffix: undefined }), false), /missing required configuration "environmentSuffix"/);
    assert.throws(() => loadConfig(source({ ...BASE, environmentSuffix: "Bad_Suffix" }), false), /environmentSuffix must match/);
    assert.throws(() => loadConfig(source({ ...BASE, services: [] }), false), /at least one entry/);
    assert.throws(() => loadConfig(source({ ...BASE, services: undefined }), false), /at least one entry/);
    assert.throws(() => loadConfig(source({ ...BASE, services: [{ name: "A B" }] }), false), /service name must be/);
    assert.throws(() => loadConfig(source({ ...BASE, services: [null] }), false), /service name must be/);
    assert.throws(() => loadConfig(source({ ...BASE, services: [{ name: "a", targetAccount: "legacy" }] }), false), /targetAccount must be one of production, staging, development/);
    assert.throws(() => loadConfig(source({ ...BASE, services: [{ name: "a" }, { name: "a" }] }), false), /configured twice/);
    assert.throws(() => loadConfig(source({ ...BASE, services: [{ name: "db", database: { sourceServer: "s" } }] }), false), /database.targetServer is required/);
    assert.throws(() => loadConfig(source({ ...BASE, services: [SERVICES[1]].map((s) => ({ ...s, dependsOn: [] })) }), false), /configure the secret "dbPassword"/);
    const c = loadConfig(source({ ...BASE, services: [{ ...SERVICES[1], dependsOn: [] }], dbPassword: "pw", migrationId: "m1", primaryRegion: "eu-west-1", secondaryRegion: "eu-central-1", bootstrapRoleName: "Boot", allowExternalPrincipals: false, ramAcceptInvitations: false, logRetentionDays: 7, traffic: { steps: [50, 100], domainName: "d.example", recordName: "www", legacyEndpoint: "l", newEndpoint: "n", healthCheckPath: "/hc", stepWaitSeconds: 1, ttl: 5 } }), false);
    assert.deepEqual(c.services[0].database, { engine: "aurora", sourceServer: "legacy-db.example.com", targetServer: "new-db.example.com", databaseName: "payments", username: "migrator", port: 3306 });
    assert.equal(c.migrationId, "m1");
    assert.equal(c.allowExternalPrincipals, false);
    assert.equal(c.ramAcceptInvitations, false);
    assert.deepEqual(c.traffic, { steps: [50, 100], domainName: "d.example", recordName: "www", legacyEndpoint: "l", newEndpoint: "n", healthCheckPath: "/hc", stepWaitSeconds: 1, ttl: 5 });
    const d = loadConfig(source({ ...BASE, services: [{ name: "db", database: { sourceServer: "s", targetServer: "t", databaseName: "d", username: "u", port: 3307 } }], dbPassword: "pw" }), false);
    assert.equal(d.services[0].database!.port, 3307);
    assert.equal(d.services[0].database!.engine, "mysql");
  });
  it("traffic steps must increase and end at 100", () => {
    assert.deepEqual(validateSteps([10, 25, 50, 100]), [10, 25, 50, 100]);
    for (const bad of [[], [10, 50], [50, 25, 100], [0, 100], [10, 10, 100], [10.5, 100], [10, 150]]) {
      assert.throws(() => validateSteps(bad), /traffic steps must be increasing percentages ending at 100/);
    }
  });
});

describe("topology", () => {
  const n = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });
  it("orders tiers in waves; independent tiers share a wave", () => {
    const waves = planWaves([n("api", "db"), n("db", "net"), n("net"), n("reports", "net"), n("tools")]);
    assert.deepEqual(waves, [["net", "tools"], ["db", "reports"], ["api"]]);
    assert.deepEqual(waveOf(waves), { net: 1, tools: 1, db: 2, reports: 2, api: 3 });
  });
  it("names the cycle", () => {
    assert.deepEqual(findCycle([n("a", "b"), n("b", "c"), n("c", "a"), n("d")]), ["a", "b", "c", "a"]);
    assert.deepEqual(findCycle([n("x"), n("y", "x", "y")]), ["y", "y"]);
    assert.equal(findCycle([n("a", "b"), n("b"), n("c", "b", "a")]), undefined);
    assert.throws(
      () => planWaves([n("api", "db"), n("db", "cache"), n("cache", "api"), n("net")]),
      (e: any) => e instanceof CircularDependencyError && e.message === "circular dependency between services: api -> db -> cache -> api" && e.cycle.length === 4,
    );
  });
  it("rejects unknown dependencies", () => {
    assert.throws(() => planWaves([n("api", "ghost")]), /service api depends on unknown service ghost/);
  });
});

describe("naming and tags", () => {
  const cfg = loadConfig(source(BASE), false);
  it("suffixes names", () => assert.equal(resourceName("migration-tgw", "t1"), "migration-tgw-t1"));
  it("keeps original tags and adds migration metadata under migration:", () => {
    const meta = migrationTags(cfg, { tier: "api" });
    assert.deepEqual(meta, {
      "migration:id": "migration-t1",
      "migration:environment-suffix": "t1",
      "migration:source-account": MULTI.legacy,
      "migration:managed-by": "pulumi",
      "migration:mode": "live",
      "migration:tier": "api",
    });
    assert.equal(migrationTags(loadConfig(source(BASE), true))["migration:mode"], "dry-run");
    assert.deepEqual(mergeTags({ Owner: "a", "migration:id": "orig" }, meta)["migration:id"], "orig");
  });
  it("log destinations carry the :* stream wildcard exactly once", async () => {
    const dest = (arn: string) => new Promise((r) => logDestination({ arn: pulumi.output(arn) } as any).apply(r));
    assert.equal(await dest("arn:aws:logs:us-east-1:1:log-group:/g"), "arn:aws:logs:us-east-1:1:log-group:/g:*");
    assert.equal(await dest("arn:aws:logs:us-east-1:1:log-group:/g:*"), "arn:aws:logs:us-east-1:1:log-group:/g:*");
  });
  it("trust policy lists each account once, sorted", () => {
    const doc = JSON.parse(accountTrustPolicy(["555555555555", "111111111111", "111111111111"]));
    assert.deepEqual(doc.Statement[0].Principal.AWS, ["arn:aws:iam::111111111111:root", "arn:aws:iam::555555555555:root"]);
    assert.deepEqual(doc.Statement[0].Action, ["sts:AssumeRole", "sts:TagSession"]);
  });
});

/** Every Next/Default/Catch target names a state of the same States map (or a branch's). */
function checkTransitions(def: { StartAt: string; States: Record<string, any> }): void {
  assert.ok(def.States[def.StartAt], `StartAt ${def.StartAt} exists`);
  for (const [name, s] of Object.entries(def.States)) {
    const targets = [s.Next, s.Default, ...(s.Choices || []).map((c: any) => c.Next), ...(s.Catch || []).map((c: any) => c.Next)].filter(Boolean);
    for (const t of targets) assert.ok(def.States[t], `${name} -> ${t} exists`);
    if (!["Succeed", "Fail", "Choice"].includes(s.Type)) assert.ok(s.Next || s.End, `${name} has Next or End`);
    for (const b of s.Branches || []) checkTransitions(b);
  }
}

describe("ASL", () => {
  const tiers = {
    net: { stateMachineArn: "arn:aws:states:us-east-1:222222222222:stateMachine:net" },
    db: { stateMachineArn: "arn:aws:states:us-east-1:222222222222:stateMachine:db", roleArn: "arn:aws:iam::222222222222:role/m" },
    tools: { stateMachineArn: "arn:aws:states:us-east-1:444444444444:stateMachine:tools" },
  };
  it("orchestrator: waves in order, tiers of a wave in parallel, rollback of started waves in reverse", () => {
    const def = JSON.parse(JSON.stringify(orchestratorDefinition({ migrationId: "m", waves: [["net", "tools"], ["db"]], tiers, simulate: false })));
    checkTransitions(def);
    assert.equal(def.StartAt, "Start");
    assert.equal(def.States.Start.Next, "HasSelection");
    assert.equal(def.States.HasSelection.Choices[0].Next, "Wave1");
    assert.deepEqual(def.States.AllServices.Result, ["db", "net", "tools"]);
    assert.equal(def.States.Wave1.Type, "Parallel");
    assert.deepEqual(def.States.Wave1.Branches.map((b: any) => b.StartAt), ["Select-Migrate-net", "Select-Migrate-tools"]);
    const sel = def.States.Wave1.Branches[0].States;
    assert.deepEqual(sel["Select-Migrate-net"].Parameters, { "selected.$": "States.ArrayContains($.services, 'net')" });
    assert.equal(sel["IsSelected-Migrate-net"].Choices[0].Next, "Migrate-net");
    assert.equal(sel["IsSelected-Migrate-net"].Default, "Skip-Migrate-net");
    assert.equal(def.States.Wave1.Next, "Wave2");
    assert.equal(def.States.Wave2.Next, "MigrationSucceeded");
    assert.equal(def.States.Wave2.Catch[0].Next, "RollbackWave2");
    assert.equal(def.States.RollbackWave2.Next, "RollbackWave1");
    assert.equal(def.States.RollbackWave1.Next, "MigrationFailed");
    assert.equal(def.States.RollbackWave1.Catch[0].Next, "MigrationFailed");
    const db = def.States.Wave2.Branches[0].States["Migrate-db"];
    assert.equal(db.Type, "Task");
    assert.equal(db.Resource, "arn:aws:states:::states:startExecution.sync:2");
    assert.equal(db.Parameters.StateMachineArn, tiers.db.stateMachineArn);
    assert.deepEqual(db.Credentials, { RoleArn: "arn:aws:iam::222222222222:role/m" });
    assert.equal(db.Parameters.Input.action, "migrate");
    assert.equal(def.States.RollbackWave2.Branches[0].StartAt, "Select-Rollback-db");
    const rb = def.States.RollbackWave2.Branches[0].States["Rollback-db"];
    assert.equal(rb.Parameters.Input.action, "rollback");
    assert.equal(def.States.Wave1.Branches[0].States["Migrate-net"].Credentials, undefined);
    assert.equal(def.States.MigrationFailed.Type, "Fail");
  });
  it("orchestrator in simulation: same states, Pass instead of Task", () => {
    const def = orchestratorDefinition({ migrationId: "m", waves: [["net"], ["db"]], tiers, simulate: true });
    checkTransitions(def);
    const s = def.States.Wave2.Branches[0].States["Migrate-db"];
    assert.deepEqual(s, { Type: "Pass", Result: { tier: "db", action: "migrate", simulated: true }, ResultPath: null, End: true });
    assert.ok(!JSON.stringify(def).includes('"Type":"Task"'));
    assert.match(def.Comment, /simulation/);
  });
  it("tier machine: DMS replication when the tier has a database, rollback stops it", () => {
    const def = tierDefinition({ tier: "db", wave: 2, targetAccount: "222222222222", replicationTaskArn: "arn:dms:task", simulate: false });
    checkTransitions(def);
    assert.equal(def.States.Replicate.Resource, "arn:aws:states:::aws-sdk:databasemigration:startReplicationTask");
    assert.deepEqual(def.States.Replicate.Parameters, { ReplicationTaskArn: "arn:dms:task", StartReplicationTaskType: "start-replication" });
    assert.equal(def.States.Rollback.Resource, "arn:aws:states:::aws-sdk:databasemigration:stopReplicationTask");
    assert.equal(def.States.CheckAction.Choices[0].Next, "Rollback");
    const plain = tierDefinition({ tier: "api", wave: 1, targetAccount: "2", simulate: false });
    checkTransitions(plain);
    assert.ok(Object.values(plain.States).every((s) => s.Type !== "Task"));
    const sim = tierDefinition({ tier: "db", wave: 2, targetAccount: "2", replicationTaskArn: "arn", simulate: true });
    checkTransitions(sim);
    assert.equal(sim.States.Verify.Type, "Pass");
    assert.equal(sim.States.Verify.ResultPath, "$.verification");
    assert.equal(sim.States.Verify.ResultSelector, undefined);
  });
  const ta: TrafficShiftArgs = {
    hostedZoneId: "Z1", recordName: "api.t1.payments.example.com", recordType: "CNAME", ttl: 60, legacyTarget: "legacy.example.com", newTarget: "new.example.com",
    legacyHealthCheckId: "hc-l", newHealthCheckId: "hc-n", steps: [10, 25, 50, 100], waitSeconds: 30, simulate: false,
  };
  it("traffic shift: 10 → 25 → 50 → 100 gated on health, shift back to legacy when unhealthy", () => {
    const def = trafficShiftDefinition(ta);
    checkTransitions(def);
    assert.equal(def.StartAt, "Shift10");
    const order: string[] = [];
    let cur = def.StartAt;
    while (def.States[cur].Type !== "Succeed") {
      order.push(cur);
      const s = def.States[cur];
      cur = s.Type === "Choice" ? s.Choices[0].Next : s.Next;
    }
    assert.deepEqual(order.filter((x) => x.startsWith("Shift")), ["Shift10", "Shift25", "Shift50", "Shift100"]);
    const weights = (p: number) => def.States[`Shift${p}`].Parameters.ChangeBatch.Changes.map((c: any) => [c.ResourceRecordSet.SetIdentifier, c.ResourceRecordSet.Weight]);
    assert.deepEqual(weights(10), [["legacy", 90], ["new", 10]]);
    assert.deepEqual(weights(100), [["legacy", 0], ["new", 100]]);
    assert.equal(def.States.Healthy50.Default, "ShiftBackToLegacy");
    assert.equal(def.States.CheckHealth25.Parameters.HealthCheckId, "hc-n");
    assert.equal(def.States.Wait10.Seconds, 30);
    assert.deepEqual(def.States.ShiftBackToLegacy.Parameters.ChangeBatch.Changes.map((c: any) => c.ResourceRecordSet.Weight), [100, 0]);
    assert.equal(def.States.ShiftBackToLegacy.Next, "TrafficShiftRolledBack");
    assert.equal(def.States.TrafficShiftRolledBack.Type, "Fail");
    assert.equal(weightChange(ta, 25).ChangeBatch.Changes[1].ResourceRecordSet.HealthCheckId, "hc-n");
  });
  it("traffic shift in simulation passes health and touches no record", () => {
    const def = trafficShiftDefinition({ ...ta, simulate: true });
    checkTransitions(def);
    assert.ok(Object.values(def.States).every((s) => s.Type !== "Task"));
    assert.deepEqual(def.States.CheckHealth10.Result, { status: "Success: simulated" });
    const rb = rollbackDefinition(ta);
    checkTransitions(rb);
    assert.equal(rb.States.ShiftBackToLegacy.Type, "Task");
    assert.match(rollbackDefinition({ ...ta, simulate: true }).Comment, /simulation/);
  });
});

describe("progress", () => {
  const exit = (name: string) => ({ type: "TaskStateExited", stateExitedEventDetails: { name } });
  it("computes percentage from execution history", () => {
    assert.equal(progressFromHistory(["a", "b", "c", "d"].map((t) => exit(`Migrate-${t}`)), 4), 100);
    assert.equal(progressFromHistory([], 4), 0);
    assert.equal(progressFromHistory([exit("Start"), exit("Migrate-a"), exit("Migrate-b"), exit("Migrate-a"), exit("Skip-Migrate-c"), { type: "ExecutionStarted" }], 4), 50);
    assert.equal(progressFromHistory([exit("Migrate-a"), exit("Migrate-b"), exit("Rollback-b"), exit("Rollback-a")], 3), 0);
    assert.equal(progressFromHistory([exit("Migrate-a"), exit("Migrate-b"), exit("Rollback-b")], 3), 33);
    assert.equal(progressFromHistory([exit("Rollback-x")], 0), 0);
  });
  it("queries the latest execution, paging, and 0 when none exists", async () => {
    const sent: any[] = [];
    const pages: Record<string, any> = {
      ListExecutionsCommand: [
        { executions: [{ executionArn: "e1", startDate: new Date(1000), status: "SUCCEEDED" }], nextToken: "p2" },
        { executions: [{ executionArn: "e2", startDate: new Date(2000), status: "RUNNING" }, { executionArn: "e0", startDate: new Date(10), status: "FAILED" }] },
      ],
      GetExecutionHistoryCommand: [{ events: [exit("Migrate-a")], nextToken: "h2" }, {}],
    };
    const sfn = { send: async (c: any) => (sent.push(c), pages[c.constructor.name].shift()) };
    assert.equal(await queryProgress(sfn, "arn:sm", 4), 25);
    assert.deepEqual(sent.map((c) => [c.constructor.name, c.input.nextToken]), [["ListExecutionsCommand", undefined], ["ListExecutionsCommand", "p2"], ["GetExecutionHistoryCommand", undefined], ["GetExecutionHistoryCommand", "h2"]]);
    assert.equal(sent[2].input.executionArn, "e2");
    assert.equal(await queryProgress({ send: async () => ({}) }, "arn:sm", 4), 0);
    const done = { send: async (c: any) => (c.constructor.name === "ListExecutionsCommand" ? { executions: [{ executionArn: "e", startDate: new Date(), status: "SUCCEEDED" }] } : { events: ["a", "b"].map((t) => exit(`Migrate-${t}`)) }) };
    assert.equal(await queryProgress(done, "arn:sm", 2), 100);
  });
  it("reads with a 1-hour assumed-role session", async () => {
    const sent: any[] = [];
    const sts = { send: async (c: any) => (sent.push(c.input), { Credentials: { AccessKeyId: "ASIA1", SecretAccessKey: "s", SessionToken: "t" } }) };
    const client = await progressClient({ region: "us-east-1", roleArn: "arn:aws:iam::555555555555:role/m", sessionName: "p", durationSeconds: 3600, endpoint: "http://127.0.0.1:1" }, sts);
    assert.deepEqual(sent[0], { RoleArn: "arn:aws:iam::555555555555:role/m", RoleSessionName: "p", DurationSeconds: 3600 });
    const creds = await (client.config.credentials as any)();
    assert.equal(creds.accessKeyId, "ASIA1");
  });
});
