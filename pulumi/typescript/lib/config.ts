/**
 * config.ts — the typed configuration of the migration framework, read from Pulumi config.
 *
 * Account ids are configuration, never constants: `accounts` names the legacy account and the
 * production, staging, development and central accounts; `accountId` alone is single-account
 * mode (every role in one account). Validation runs before any resource exists, so a bad plan
 * (2-hour sessions, unknown target accounts, a traffic plan that never reaches 100 %) fails early.
 */
import * as pulumi from "@pulumi/pulumi";

export const ACCOUNT_ROLES = ["legacy", "production", "staging", "development", "central"] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export type TargetAccount = "production" | "staging" | "development";
export const TARGET_ACCOUNTS: TargetAccount[] = ["production", "staging", "development"];

/** STS and IAM: every cross-account session is at most one hour. */
export const MAX_SESSION_SECONDS = 3600;

export interface DatabaseMigration {
  engine: "mysql" | "aurora";
  sourceServer: string;
  targetServer: string;
  databaseName: string;
  username: string;
  port: number;
}

export interface ServiceTier {
  name: string;
  targetAccount: TargetAccount;
  dependsOn: string[];
  /** The service's original tags, kept on everything migrated for it. */
  tags: Record<string, string>;
  database?: DatabaseMigration;
}

export interface VpcConfig {
  vpcId: string;
  subnetIds: string[];
}

export interface TrafficConfig {
  domainName: string;
  recordName: string;
  legacyEndpoint: string;
  newEndpoint: string;
  healthCheckPath: string;
  steps: number[];
  stepWaitSeconds: number;
  ttl: number;
}

export interface MigrationConfig {
  environmentSuffix: string;
  migrationId: string;
  accounts: Record<AccountRole, string>;
  singleAccount: boolean;
  primaryRegion: string;
  secondaryRegion: string;
  /** Config flag or `pulumi preview`: nothing that moves traffic or shares resources is created. */
  dryRun: boolean;
  sessionDurationSeconds: number;
  bootstrapRoleName: string;
  allowExternalPrincipals: boolean;
  /**
   * With external principals, the program accepts each account's RAM invitation itself
   * (ResourceShareAccepter as that account). false: the receiving accounts accept out of band
   * (another team owns them); their VPC attachments still wait for the principal association.
   */
  ramAcceptInvitations: boolean;
  logRetentionDays: number;
  services: ServiceTier[];
  vpcs: Partial<Record<AccountRole, VpcConfig>>;
  traffic: TrafficConfig;
  dbPassword?: pulumi.Output<string>;
}

/** The subset of pulumi.Config the loader uses (so tests can hand in plain objects). */
export interface ConfigSource {
  get(key: string): string | undefined;
  getObject<T>(key: string): T | undefined;
  getBoolean(key: string): boolean | undefined;
  getNumber(key: string): number | undefined;
  getSecret(key: string): pulumi.Output<string> | undefined;
}

const ACCOUNT_RE = /^\d{12}$/;
const SUFFIX_RE = /^[a-z0-9][a-z0-9-]{0,19}$/;

function required(src: ConfigSource, key: string): string {
  const v = src.get(key);
  if (v === undefined || v === "") throw new Error(`missing required configuration "${key}"`);
  return v;
}

/** Accounts from `accounts` (multi-account) or `accountId` (single-account mode). */
export function loadAccounts(src: ConfigSource): { accounts: Record<AccountRole, string>; singleAccount: boolean } {
  const single = src.get("accountId");
  const multi = src.getObject<Partial<Record<AccountRole, string>>>("accounts");
  if (multi === undefined && single === undefined) {
    throw new Error('configure "accounts" (legacy, production, staging, development, central) or "accountId" for single-account mode');
  }
  const accounts = {} as Record<AccountRole, string>;
  for (const role of ACCOUNT_ROLES) {
    const id = multi !== undefined && multi[role] !== undefined ? String(multi[role]) : single;
    if (id === undefined || !ACCOUNT_RE.test(id)) throw new Error(`account id for "${role}" must be 12 digits, got ${JSON.stringify(id)}`);
    accounts[role] = id;
  }
  return { accounts, singleAccount: new Set(Object.values(accounts)).size === 1 };
}

function normalizeTier(raw: any): ServiceTier {
  if (!raw || typeof raw.name !== "string" || !/^[a-z0-9-]{1,30}$/.test(raw.name)) {
    throw new Error(`service name must be 1-30 lower-case letters, digits or '-', got ${JSON.stringify(raw && raw.name)}`);
  }
  const target = raw.targetAccount || "production";
  if (!TARGET_ACCOUNTS.includes(target)) throw new Error(`service ${raw.name}: targetAccount must be one of ${TARGET_ACCOUNTS.join(", ")}`);
  const tier: ServiceTier = { name: raw.name, targetAccount: target, dependsOn: raw.dependsOn || [], tags: raw.tags || {} };
  if (raw.database) {
    const d = raw.database;
    for (const k of ["sourceServer", "targetServer", "databaseName", "username"]) {
      if (!d[k]) throw new Error(`service ${raw.name}: database.${k} is required`);
    }
    tier.database = { engine: d.engine || "mysql", sourceServer: d.sourceServer, targetServer: d.targetServer, databaseName: d.databaseName, username: d.username, port: d.port || 3306 };
  }
  return tier;
}

/** Traffic plan: strictly increasing percentages in (0, 100], ending at 100. */
export function validateSteps(steps: number[]): number[] {
  const ok = steps.length > 0 && steps.every((s, i) => Number.isInteger(s) && s > 0 && s <= 100 && (i === 0 || s > steps[i - 1]));
  if (!ok || steps[steps.length - 1] !== 100) {
    throw new Error(`traffic steps must be increasing percentages ending at 100, got ${JSON.stringify(steps)}`);
  }
  return steps;
}

export function loadConfig(src: ConfigSource, previewing: boolean): MigrationConfig {
  const environmentSuffix = required(src, "environmentSuffix");
  if (!SUFFIX_RE.test(environmentSuffix)) throw new Error(`environmentSuffix must match ${SUFFIX_RE}, got "${environmentSuffix}"`);
  const { accounts, singleAccount } = loadAccounts(src);
  const session = src.getNumber("sessionDurationSeconds") || MAX_SESSION_SECONDS;
  // IAM MaxSessionDuration / STS DurationSeconds: the spec caps cross-account sessions at 1 hour.
  if (session < 900 || session > MAX_SESSION_SECONDS) {
    throw new Error(`sessionDurationSeconds must be between 900 and ${MAX_SESSION_SECONDS} (1 hour), got ${session}`);
  }
  const services = (src.getObject<any[]>("services") || []).map(normalizeTier);
  if (services.length === 0) throw new Error('configure at least one entry in "services"');
  const seen = new Set<string>();
  for (const s of services) {
    if (seen.has(s.name)) throw new Error(`service ${s.name} is configured twice`);
    seen.add(s.name);
  }
  const t = src.getObject<Partial<TrafficConfig>>("traffic") || {};
  const traffic: TrafficConfig = {
    domainName: t.domainName || "payments.example.com",
    recordName: t.recordName || "api",
    legacyEndpoint: t.legacyEndpoint || "legacy-alb.payments.example.com",
    newEndpoint: t.newEndpoint || "new-alb.payments.example.com",
    healthCheckPath: t.healthCheckPath || "/health",
    steps: validateSteps(t.steps || [10, 25, 50, 100]),
    stepWaitSeconds: t.stepWaitSeconds || 300,
    ttl: t.ttl || 60,
  };
  const needsPassword = services.some((s) => s.database !== undefined);
  const dbPassword = src.getSecret("dbPassword");
  if (needsPassword && dbPassword === undefined) throw new Error('a service migrates a database: configure the secret "dbPassword"');
  return {
    environmentSuffix,
    migrationId: src.get("migrationId") || `migration-${environmentSuffix}`,
    accounts,
    singleAccount,
    primaryRegion: src.get("primaryRegion") || "us-east-1",
    secondaryRegion: src.get("secondaryRegion") || "us-east-2",
    dryRun: previewing || src.getBoolean("dryRun") === true,
    sessionDurationSeconds: session,
    bootstrapRoleName: src.get("bootstrapRoleName") || "OrganizationAccountAccessRole",
    allowExternalPrincipals: src.getBoolean("allowExternalPrincipals") !== false,
    ramAcceptInvitations: src.getBoolean("ramAcceptInvitations") !== false,
    logRetentionDays: src.getNumber("logRetentionDays") || 30,
    services,
    vpcs: src.getObject<Partial<Record<AccountRole, VpcConfig>>>("vpcs") || {},
    traffic,
    dbPassword,
  };
}
