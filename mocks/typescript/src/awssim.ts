/**
 * awssim.ts — talking to an awssim server: start one for tests, call its AWS APIs with the
 * AWS SDK for JavaScript v3, and use its generic resource registry (/_awssim/resources) for
 * services awssim does not emulate.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CallContext } from "./credentials";

export type ServiceKey = "iam" | "sts" | "sfn" | "route53" | "dms" | "ram";

/** Sends one AWS API operation ("CreateRole") with input shaped like the SDK's, as ctx. */
export type Sender = (service: ServiceKey, operation: string, input: any, ctx: CallContext) => Promise<any>;

const SDK: Record<ServiceKey, [string, string]> = {
  iam: ["@aws-sdk/client-iam", "IAMClient"],
  sts: ["@aws-sdk/client-sts", "STSClient"],
  sfn: ["@aws-sdk/client-sfn", "SFNClient"],
  route53: ["@aws-sdk/client-route-53", "Route53Client"],
  dms: ["@aws-sdk/client-database-migration-service", "DatabaseMigrationServiceClient"],
  ram: ["@aws-sdk/client-ram", "RAMClient"],
};

/** An AWS error answered by awssim, keeping AWS's code and message. */
export class AwsApiError extends Error {
  constructor(
    readonly service: string,
    readonly operation: string,
    readonly code: string,
    readonly awsMessage: string,
  ) {
    super(`${service}:${operation} failed: ${code}: ${awsMessage}`);
  }
}

/** The endpoint from an argument, AWSSIM_URL or AWS_ENDPOINT_URL. */
export function resolveEndpoint(arg?: string): string {
  const e = arg || process.env.AWSSIM_URL || process.env.AWS_ENDPOINT_URL;
  if (!e) throw new Error("no awssim endpoint: pass one or set AWSSIM_URL / AWS_ENDPOINT_URL");
  return e.replace(/\/+$/, "");
}

/** A Sender using real AWS SDK v3 clients pointed at the endpoint (one client per service/region/key). */
export function sdkSender(endpoint: string): Sender {
  const clients = new Map<string, any>();
  return async (service, operation, input, ctx) => {
    const [pkg, clientName] = SDK[service];
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(pkg);
    const key = `${service}|${ctx.region}|${ctx.credentials.accessKeyId}`;
    let client = clients.get(key);
    if (client === undefined) {
      client = new mod[clientName]({ endpoint, region: ctx.region, credentials: ctx.credentials, maxAttempts: 1 });
      clients.set(key, client);
    }
    try {
      return await client.send(new mod[`${operation}Command`](input));
    } catch (e: any) {
      throw new AwsApiError(service, operation, e.name, e.message);
    }
  };
}

/** What the generic registry answers for one resource. */
export interface RegistryResource {
  id: string;
  arn?: string;
  state?: Record<string, any>;
}

/** POST /_awssim/resources. Throws with awssim's message on any non-2xx answer. */
export async function registryCreate(endpoint: string, body: Record<string, any>): Promise<RegistryResource> {
  const res = await fetch(`${endpoint}/_awssim/resources`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`awssim registry ${res.status} for ${body.type} ${body.name}: ${text}`);
  return JSON.parse(text);
}

/** GET /_awssim/resources?type=&account= → the resources awssim holds. */
export async function registryList(endpoint: string, type?: string, account?: string): Promise<any[]> {
  const q = new URLSearchParams();
  if (type) q.set("type", type);
  if (account) q.set("account", account);
  const res = await fetch(`${endpoint}/_awssim/resources?${q.toString()}`);
  const text = await res.text();
  if (!res.ok) throw new Error(`awssim registry ${res.status}: ${text}`);
  const body = JSON.parse(text);
  return Array.isArray(body) ? body : body.resources;
}

/**
 * GET /_awssim/ram/visible?account=&arn= → whether the account can use the resource: it owns it,
 * or a RAM share gives it (invitation accepted, or sharing within the organization).
 */
export async function ramVisible(endpoint: string, account: string, arn: string): Promise<boolean> {
  const q = new URLSearchParams({ account, arn });
  const res = await fetch(`${endpoint}/_awssim/ram/visible?${q.toString()}`);
  const text = await res.text();
  if (!res.ok) throw new Error(`awssim ram/visible ${res.status}: ${text}`);
  return JSON.parse(text).visible === true;
}

/**
 * Let `seconds` pass in awssim: POST /_awssim/clock {"advance": seconds} on a virtual clock; on a
 * real clock (the endpoint refuses) wait a moment of wall time instead.
 */
export async function advanceClock(endpoint: string, seconds: number): Promise<void> {
  const res = await fetch(`${endpoint}/_awssim/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advance: seconds }),
  });
  await res.text();
  if (!res.ok) await new Promise((r) => setTimeout(r, 200));
}

/** A running awssim started by a test. */
export interface AwssimServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Start `AWSSIM_BIN serve --port 0 --ready-file F` and wait until F holds the URL.
 * Rejects if the binary exits first or nothing is ready in timeoutMs.
 */
export async function startAwssim(bin = process.env.AWSSIM_BIN, timeoutMs = 15000): Promise<AwssimServer> {
  if (!bin) throw new Error("AWSSIM_BIN is not set");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "awssim-"));
  const ready = path.join(dir, "ready");
  const proc = spawn(bin, ["serve", "--port", "0", "--ready-file", ready], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  let spawnError = false;
  proc.stderr!.on("data", (d) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => {
    proc.once("exit", () => resolve());
    proc.once("error", (e) => {
      stderr += e.message;
      spawnError = true;
      resolve();
    });
  });
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null && !spawnError) proc.kill("SIGTERM");
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = fs.existsSync(ready) ? fs.readFileSync(ready, "utf8").trim() : "";
    if (url !== "") return { url: url.replace(/\/+$/, ""), process: proc, stop };
    if (proc.exitCode !== null || spawnError || Date.now() > deadline) {
      await stop();
      throw new Error(`awssim did not become ready (${bin}): ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
