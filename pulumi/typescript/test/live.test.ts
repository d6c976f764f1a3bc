/**
 * Live: the whole program deployed in mock mode against a real awssim (AWSSIM_BIN), then what
 * awssim holds is checked with the AWS SDK, and the orchestrator is executed for real to check
 * the progress output.
 */
import { strict as assert } from "assert";
import * as path from "path";
import { AwssimServer, ServiceKey, ensureBootstrapRoles, registryList, sdkSender, startAwssim } from "../../../mocks/typescript/src/index";
import { MULTI, multiAccountConfig, runProgram, RunResult } from "./harness";
import { defaultProgressQuery } from "../lib/stack";

const BIN = process.env.AWSSIM_BIN || path.resolve(__dirname, "../../../build/release/awssim");
let aws: (account: string, service: ServiceKey, op: string, input: any, region?: string) => Promise<any>;

async function control(url: string, method: string, p: string, body?: any): Promise<any> {
  const r = await fetch(`${url}/_awssim/${p}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return r.json();
}

describe("live: whole program against awssim (multi-account)", function () {
  let srv: AwssimServer;
  let r: RunResult;
  const saved = { ...process.env };
  before(async () => {
    srv = await startAwssim(BIN);
    const send = sdkSender(srv.url);
    aws = (account, service, op, input, region = "us-east-1") =>
      send(service, op, input, { account, region, credentials: { accessKeyId: account, secretAccessKey: "test" } });
    process.env.AWS_ENDPOINT_URL = srv.url;
    process.env.AWS_ACCESS_KEY_ID = MULTI.legacy;
    process.env.AWS_SECRET_ACCESS_KEY = "test";
    process.env.AWS_REGION = "us-east-1";
    await ensureBootstrapRoles(srv.url, [MULTI.production, MULTI.staging, MULTI.development, MULTI.central], MULTI.legacy);
    r = await runProgram(multiAccountConfig({ environmentSuffix: "live1" }), { endpoint: srv.url, progress: defaultProgressQuery, log: (l) => process.env.AWSSIM_TEST_LOG && console.log(l) });
  });
  after(async () => {
    process.env = saved;
    await srv.stop();
  });

  it("reports 0 % before any execution", () => {
    assert.equal(r.outputs.migrationProgress, 0);
  });

  it("holds the migration roles in their accounts with 1 h sessions", async () => {
    for (const [role, account] of Object.entries(MULTI)) {
      const roles: any[] = (await aws(account, "iam", "ListRoles", {})).Roles;
      const mine = roles.find((x) => x.RoleName === `migration-${role}-live1`);
      assert.ok(mine, `migration-${role}-live1 in ${account}`);
      assert.equal(mine!.MaxSessionDuration, 3600);
    }
  });

  it("holds the orchestrator in the central account and runs it to completion", async () => {
    const machines = (await aws(MULTI.central, "sfn", "ListStateMachines", {})).stateMachines.map((m: any) => m.name);
    assert.ok(machines.includes("migration-orchestrator-live1"), JSON.stringify(machines));
    const exec = await aws(MULTI.central, "sfn", "StartExecution", { stateMachineArn: r.outputs.orchestratorArn, input: "{}" });
    for (let i = 0; i < 20; i++) await control(srv.url, "POST", "clock", { advance: 60 });
    const d = await aws(MULTI.central, "sfn", "DescribeExecution", { executionArn: exec.executionArn });
    console.log(d.status, d.error, d.cause);
    const pct = await defaultProgressQuery(r.outputs.orchestratorArn, r.outputs.roleArns.central, r.cfg, 5);
    console.log("progress", pct);
  });

  it("registry", async () => {
    const tgws = await registryList(srv.url, "aws:ec2transitgateway/transitGateway:TransitGateway", MULTI.central);
    console.log(JSON.stringify(tgws).slice(0, 300));
  });
});
