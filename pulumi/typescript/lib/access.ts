/**
 * access.ts — cross-account IAM roles and the providers that assume them.
 *
 * One migration role per account role (legacy, production, staging, development, central),
 * trusted by the legacy (deploying) and central (orchestrating) accounts, MaxSessionDuration
 * ≤ 3600 s. Roles in accounts other than the deploying one are created through a bootstrap
 * provider that assumes the Organizations access role there; everything else is created through
 * providers that assume the migration roles, always for at most one hour. In single-account mode
 * all five roles live in one account and no bootstrap role is needed.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ROLES, AccountRole, MigrationConfig } from "./config";
import { mergeTags, migrationTags, resourceName } from "./naming";

/** The trust policy of a role assumed by principals of the given accounts. */
export function accountTrustPolicy(accountIds: string[]): string {
  const ids = [...new Set(accountIds)].sort();
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: ids.map((a) => `arn:aws:iam::${a}:root`) },
        Action: ["sts:AssumeRole", "sts:TagSession"],
      },
    ],
  });
}

/** What the migration role may do in its account. */
export const MIGRATION_ACTIONS = [
  "states:*",
  "dms:*",
  "ec2:*TransitGateway*",
  "ram:*",
  "route53:*",
  "ssm:*Parameter*",
  "events:*",
  "config:*",
  "logs:*",
  "cloudwatch:*",
  "iam:PassRole",
  "iam:GetRole",
];

export class CrossAccountAccess extends pulumi.ComponentResource {
  readonly roles = {} as Record<AccountRole, aws.iam.Role>;
  private readonly providers = new Map<string, aws.Provider>();
  private readonly bootstrap = new Map<string, aws.Provider | undefined>();

  constructor(
    name: string,
    private readonly cfg: MigrationConfig,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("migration:access:CrossAccountAccess", name, {}, opts);
    const trusted = [cfg.accounts.legacy, cfg.accounts.central];
    for (const role of ACCOUNT_ROLES) {
      const roleName = resourceName(`migration-${role}`, cfg.environmentSuffix);
      const r = new aws.iam.Role(
        roleName,
        {
          name: roleName,
          description: `Cross-account migration role (${role}) for ${cfg.migrationId}`,
          assumeRolePolicy: accountTrustPolicy(trusted),
          maxSessionDuration: cfg.sessionDurationSeconds,
          tags: mergeTags({}, migrationTags(cfg, { "account-role": role, "target-account": cfg.accounts[role] })),
        },
        { parent: this, provider: this.bootstrapProvider(role) },
      );
      new aws.iam.RolePolicy(
        resourceName(`migration-${role}-policy`, cfg.environmentSuffix),
        {
          name: resourceName("migration-operations", cfg.environmentSuffix),
          role: r.name,
          policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: MIGRATION_ACTIONS, Resource: "*" }] }),
        },
        { parent: this, provider: this.bootstrapProvider(role) },
      );
      this.roles[role] = r;
    }
    this.registerOutputs({ roleArns: this.roleArns() });
  }

  /** Provider creating the migration role in an account: none (default) for the deploying account. */
  bootstrapProvider(role: AccountRole): aws.Provider | undefined {
    const account = this.cfg.accounts[role];
    if (!this.bootstrap.has(account)) {
      this.bootstrap.set(
        account,
        account === this.cfg.accounts.legacy
          ? undefined
          : new aws.Provider(
              resourceName(`bootstrap-${account}`, this.cfg.environmentSuffix),
              {
                region: this.cfg.primaryRegion,
                assumeRoles: [
                  {
                    roleArn: `arn:aws:iam::${account}:role/${this.cfg.bootstrapRoleName}`,
                    sessionName: resourceName("migration-bootstrap", this.cfg.environmentSuffix),
                    duration: `${this.cfg.sessionDurationSeconds}s`,
                  },
                ],
              },
              { parent: this },
            ),
      );
    }
    return this.bootstrap.get(account);
  }

  /** Provider acting as the migration role of `role` in `region` (≤ 1 h sessions). */
  provider(role: AccountRole, region: string = this.cfg.primaryRegion): aws.Provider {
    const key = `${role}/${region}`;
    let p = this.providers.get(key);
    if (p === undefined) {
      p = new aws.Provider(
        resourceName(`${role}-${region}`, this.cfg.environmentSuffix),
        {
          region,
          assumeRoles: [
            {
              roleArn: this.roles[role].arn,
              sessionName: resourceName(`migration-${role}`, this.cfg.environmentSuffix),
              duration: `${this.cfg.sessionDurationSeconds}s`,
            },
          ],
        },
        { parent: this },
      );
      this.providers.set(key, p);
    }
    return p;
  }

  roleArns(): Record<AccountRole, pulumi.Output<string>> {
    const out = {} as Record<AccountRole, pulumi.Output<string>>;
    for (const role of ACCOUNT_ROLES) out[role] = this.roles[role].arn;
    return out;
  }
}
