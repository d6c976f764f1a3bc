#!/usr/bin/env node
/**
 * progress.js — print the TypeScript program's migration progress ("progress N%") using the
 * program's own lib/progress.ts (queryProgress over ListExecutions/GetExecutionHistory) against
 * awssim. Used by `run` steps of the scenarios:
 *   node scenarios/bin/progress.js ORCHESTRATOR_ARN MIGRATION_WAVES_JSON
 * The caller is the orchestrator's account root (awssim: a 12-digit access key is that account).
 */
const path = require("path");
const root = process.env.AWSSIM_ROOT || path.resolve(__dirname, "..", "..");
const prog = path.join(root, "pulumi", "typescript");
require(require.resolve("ts-node", { paths: [prog] })).register({ transpileOnly: true, project: path.join(prog, "tsconfig.json") });
const { queryProgress } = require(path.join(prog, "lib", "progress.ts"));
const { SFNClient } = require(require.resolve("@aws-sdk/client-sfn", { paths: [prog] }));

async function main() {
  const [arn, wavesText] = process.argv.slice(2);
  if (!arn || !wavesText) throw new Error("usage: progress.js ORCHESTRATOR_ARN MIGRATION_WAVES_JSON");
  const waves = JSON.parse(wavesText);
  const tiers = waves.reduce((n, w) => n + w.length, 0);
  const account = arn.split(":")[4];
  const region = arn.split(":")[3];
  const sfn = new SFNClient({
    region,
    endpoint: process.env.AWS_ENDPOINT_URL,
    credentials: { accessKeyId: account, secretAccessKey: "test" },
  });
  const pct = await queryProgress(sfn, arn, tiers);
  process.stdout.write(`progress ${pct}%\n`);
}

main().catch((e) => {
  process.stderr.write(`progress failed: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
});
