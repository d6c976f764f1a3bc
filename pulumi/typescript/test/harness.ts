/**
 * harness.ts — run the migration program in Pulumi mock mode through the awssim bridge.
 * Unit tests hand the bridge a fake AWS (FakeAws from mocks/typescript); live tests a real awssim.
 */
import * as pulumi from "@pulumi/pulumi";
import { AwssimMocks, AwssimMocksOptions } from "../../../mocks/typescript/src/mocks";
import { loadConfig, MigrationConfig } from "../lib/config";
import { buildMigration, MigrationStack, ProgressQuery, stackOutputs } from "../lib/stack";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const settings = require("@pulumi/pulumi/runtime/settings");

export const PROJECT = "migration-framework";
export const MULTI = { legacy: "111111111111", production: "222222222222", staging: "333333333333", development: "444444444444", central: "555555555555" };

export const SERVICES = [
  { name: "network-core", targetAccount: "production", tags: { CostCenter: "payments", Owner: "netops" } },
  {
    name: "payments-db",
    targetAccount: "production",
    dependsOn: ["network-core"],
    tags: { CostCenter: "payments", DataClass: "pci" },
    database: { engine: "aurora", sourceServer: "legacy-db.example.com", targetServer: "new-db.example.com", databaseName: "payments", username: "migrator" },
  },
  { name: "payments-api", targetAccount: "production", dependsOn: ["payments-db"], tags: { Service: "api" } },
  { name: "reporting", targetAccount: "staging", dependsOn: ["network-core"], tags: { CostCenter: "analytics" } },
  { name: "sandbox-tools", targetAccount: "development", tags: { CostCenter: "engineering" } },
];

export function multiAccountConfig(extra: Record<string, any> = {}): Record<string, any> {
  return {
    environmentSuffix: "t1",
    accounts: MULTI,
    services: SERVICES,
    dbPassword: "s3cret-pw",
    vpcs: { legacy: { vpcId: "vpc-legacy", subnetIds: ["subnet-l1"] }, production: { vpcId: "vpc-prod", subnetIds: ["subnet-p1", "subnet-p2"] } },
    traffic: { domainName: "payments.example.com", legacyEndpoint: "legacy.example.com", newEndpoint: "new.example.com", stepWaitSeconds: 5 },
    ...extra,
  };
}

export interface RunOptions extends AwssimMocksOptions {
  progress?: ProgressQuery;
}

export interface RunResult {
  cfg: MigrationConfig;
  stack: MigrationStack;
  outputs: Record<string, any>;
  mocks: AwssimMocks;
}

/** Pulumi config values: strings as they are, anything else as JSON (as the CLI stores it). */
export function setConfig(values: Record<string, any>): void {
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) all[`${PROJECT}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  pulumi.runtime.setAllConfig(all, values.dbPassword === undefined ? [] : [`${PROJECT}:dbPassword`]);
}

export function resolve<T>(o: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((r) => pulumi.output(o).apply((v) => r(v as any)));
}

/**
 * Pulumi's runtime also reports a failed registration as unhandled rejections of every dependent
 * output; mocha would turn those into a hung hook. The failure itself arrives through
 * mocks.failed, so they are silenced while the program runs.
 */
export async function runProgram(values: Record<string, any>, opts: RunOptions): Promise<RunResult> {
  const listeners = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", () => undefined);
  try {
    return await runProgramInner(values, opts);
  } finally {
    process.removeAllListeners("unhandledRejection");
    for (const l of listeners) process.on("unhandledRejection", l);
  }
}

async function runProgramInner(values: Record<string, any>, opts: RunOptions): Promise<RunResult> {
  setConfig(values);
  const mocks = new AwssimMocks({ endpoint: "http://127.0.0.1:1", account: MULTI.legacy, ...opts });
  await pulumi.runtime.setMocks(mocks, PROJECT, "test", opts.preview === true);
  const cfg = loadConfig(new pulumi.Config(PROJECT), pulumi.runtime.isDryRun());
  const stack = buildMigration(cfg, opts.progress || (async () => 42));
  // In preview, outputs of resources are unknown and never resolve: only wait for registrations.
  const all = stackOutputs(cfg, stack);
  // A resource that fails never resolves its outputs: the failure itself arrives through mocks.failed.
  const outputs = opts.preview ? { dryRun: all.dryRun } : ((await Promise.race([resolve(all as any), mocks.failed])) as Record<string, any>);
  await settings.waitForRPCs();
  return { cfg, stack, outputs, mocks };
}
