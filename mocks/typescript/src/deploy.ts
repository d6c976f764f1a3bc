/**
 * deploy.ts — run a Pulumi program in mock mode against awssim and write its stack outputs.
 *
 *   node mocks/typescript/dist/deploy.js --program pulumi/typescript --endpoint URL --stack dev \
 *        --config environmentSuffix=pr1 --outputs cfn-outputs/flat-outputs.json
 *
 * The program's own @pulumi/pulumi is used (so its resources register with the mocks installed
 * here); TypeScript programs run from their JavaScript transpiled once (precompile.ts), or through
 * the program's ts-node when that cannot be done or --precompile false says so. Config comes from the
 * program's Pulumi.<stack>.yaml when present, overridden by --config k=v (k without a namespace
 * gets the project's). Outputs are written flat: one key per stack output, objects as JSON text.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { AwssimMocks, AwssimMocksOptions } from "./mocks";
import { AwsApiError, Sender, resolveEndpoint, sdkSender } from "./awssim";
import { rootCredentials } from "./credentials";
import { compiledEntry } from "./precompile";

export interface DeployOptions extends AwssimMocksOptions {
  program: string;
  stack: string;
  config?: Record<string, string>;
  outputs?: string;
  /** false: run a TypeScript program through ts-node even when it could run precompiled */
  precompile?: boolean;
}

export interface DeployResult {
  outputs: Record<string, any>;
  mocks: AwssimMocks;
}

/** argv (after the script) → options; repeated --config k=v accumulate. */
export function parseArgs(argv: string[]): DeployOptions & { bootstrapRole?: string; bootstrapAccounts?: string[] } {
  const o: any = { config: {} };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value for ${flag}`);
    i++;
    switch (flag) {
      case "--program": o.program = value; break;
      case "--endpoint": o.endpoint = value; break;
      case "--stack": o.stack = value; break;
      case "--outputs": o.outputs = value; break;
      case "--account": o.account = value; break;
      case "--region": o.region = value; break;
      case "--preview": o.preview = value === "true"; break;
      case "--precompile": o.precompile = value !== "false"; break;
      case "--bootstrap-role": o.bootstrapRole = value; break;
      case "--bootstrap-accounts": o.bootstrapAccounts = value.split(","); break;
      case "--config": {
        const eq = value.indexOf("=");
        if (eq <= 0) throw new Error(`--config wants key=value, got ${value}`);
        o.config[value.slice(0, eq)] = value.slice(eq + 1);
        break;
      }
      default:
        throw new Error(`unknown flag ${flag}`);
    }
  }
  if (!o.program || !o.stack) throw new Error("--program and --stack are required");
  return o;
}

/** The `name:` of a Pulumi.yaml. */
export function projectName(programDir: string): string {
  const text = fs.readFileSync(path.join(programDir, "Pulumi.yaml"), "utf8");
  const m = /^name:\s*["']?([^"'\s#]+)/m.exec(text);
  if (!m) throw new Error(`no name in ${programDir}/Pulumi.yaml`);
  return m[1];
}

/** Pulumi.<stack>.yaml's config (values as Pulumi stores them: objects become JSON text) + overrides. */
export function stackConfig(programDir: string, project: string, stack: string, overrides: Record<string, string>) {
  const out: Record<string, string> = {};
  const file = path.join(programDir, `Pulumi.${stack}.yaml`);
  if (fs.existsSync(file)) {
    const doc: any = yaml.load(fs.readFileSync(file, "utf8"));
    for (const [k, v] of Object.entries((doc && doc.config) || {})) {
      out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
  }
  for (const [k, v] of Object.entries(overrides)) out[k.includes(":") ? k : `${project}:${k}`] = v;
  return out;
}

/** Flatten stack outputs: scalars as they are, objects and arrays as JSON text. */
export function flatten(outputs: Record<string, any>): Record<string, any> {
  const flat: Record<string, any> = {};
  for (const [k, v] of Object.entries(outputs)) flat[k] = v !== null && typeof v === "object" ? JSON.stringify(v) : v;
  return flat;
}

/**
 * Create `roleName` in each account (as the account's root) trusting `trustedAccount` — the
 * role AWS Organizations creates in member accounts — unless it already exists.
 */
export async function ensureBootstrapRoles(
  endpoint: string,
  accounts: string[],
  trustedAccount: string,
  roleName = "OrganizationAccountAccessRole",
  sender: Sender = sdkSender(endpoint),
): Promise<string[]> {
  const arns: string[] = [];
  for (const account of [...new Set(accounts)]) {
    const ctx = { account, region: "us-east-1", credentials: rootCredentials(account) };
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${trustedAccount}:root` }, Action: "sts:AssumeRole" }],
    };
    try {
      const r = await sender("iam", "CreateRole", { RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(policy), MaxSessionDuration: 3600 }, ctx);
      arns.push(r.Role.Arn);
    } catch (e) {
      if (!(e instanceof AwsApiError && e.code === "EntityAlreadyExists")) throw e;
      arns.push(`arn:aws:iam::${account}:role/${roleName}`);
    }
  }
  return arns;
}

/**
 * The value of stack outputs, deeply; an output still unknown (preview) becomes null instead of
 * never resolving.
 */
export async function settle(pulumi: any, value: any): Promise<any> {
  if (pulumi.Output.isInstance(value)) {
    if (!(await value.isKnown)) return null;
    return settle(pulumi, await value.promise());
  }
  if (Array.isArray(value)) return Promise.all(value.map((x) => settle(pulumi, x)));
  if (value !== null && typeof value === "object") {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await settle(pulumi, v);
    return out;
  }
  return value;
}

/** Run the program in mock mode; resolve its stack outputs; optionally write them flat. */
export async function deploy(opts: DeployOptions): Promise<DeployResult> {
  const programDir = path.resolve(opts.program);
  const pulumiPath = require.resolve("@pulumi/pulumi", { paths: [programDir] });
  const pulumi = require(pulumiPath);
  const project = projectName(programDir);
  const mocks = new AwssimMocks({ ...opts, endpoint: resolveEndpoint(opts.endpoint) });
  pulumi.runtime.setAllConfig(stackConfig(programDir, project, opts.stack, opts.config || {}));
  await pulumi.runtime.setMocks(mocks, project, opts.stack, opts.preview === true);
  const entry = require.resolve(programDir);
  const compiled = opts.precompile === false ? null : compiledEntry(programDir, entry, opts.log);
  const main = compiled || entry;
  if (main.endsWith(".ts")) {
    require(require.resolve("ts-node", { paths: [programDir] })).register({
      transpileOnly: true,
      project: path.join(programDir, "tsconfig.json"),
    });
  }
  // A program runs once per deploy: forget its own modules from an earlier deploy in this process.
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(programDir + path.sep) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
  }
  const stack = require(path.join(path.dirname(pulumiPath), "runtime", "stack"));
  // The program's exports are its stack outputs; settle them one by one (in preview the stack's
  // combined output is unknown as soon as one of them is).
  let raw: Record<string, any> = {};
  await Promise.race([stack.runInPulumiStack(async () => (raw = require(main))), mocks.failed]);
  const outputs = (await Promise.race([settle(pulumi, raw), mocks.failed])) as Record<string, any>;
  const flat = flatten(outputs);
  if (opts.outputs) {
    fs.mkdirSync(path.dirname(path.resolve(opts.outputs)), { recursive: true });
    fs.writeFileSync(opts.outputs, JSON.stringify(flat, null, 2) + "\n");
  }
  return { outputs, mocks };
}

/* c8 ignore start */
if (require.main === module) {
  // stdout carries only the outputs JSON: the program's console output (Pulumi's log) goes to stderr.
  console.log = (...a: any[]) => process.stderr.write(require("util").format(...a) + "\n");
  console.info = console.log;
  (async () => {
    const o = parseArgs(process.argv.slice(2));
    if (o.bootstrapAccounts) {
      await ensureBootstrapRoles(resolveEndpoint(o.endpoint), o.bootstrapAccounts, o.account || "123456789012", o.bootstrapRole);
    }
    const r = await deploy({ ...o, log: (l) => process.stderr.write(l + "\n") });
    process.stdout.write(JSON.stringify(flatten(r.outputs), null, 2) + "\n");
  })().catch((e) => {
    process.stderr.write(`deploy failed: ${e && e.message ? e.message : e}\n`);
    process.exit(1);
  });
}
/* c8 ignore stop */
