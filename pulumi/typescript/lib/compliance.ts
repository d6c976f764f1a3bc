/**
 * compliance.ts — ComplianceAggregator: an AWS Config aggregator in the central account over
 * every account and both regions, and the aggregate authorizations each source account grants
 * it in each region (the central account needs none for itself).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ROLES, AccountRole, MigrationConfig } from "./config";
import { CrossAccountAccess } from "./access";
import { mergeTags, migrationTags, resourceName } from "./naming";

export interface ComplianceArgs {
  config: MigrationConfig;
  access: CrossAccountAccess;
}

export class ComplianceAggregator extends pulumi.ComponentResource {
  readonly aggregator: aws.cfg.ConfigurationAggregator;
  readonly authorizations: aws.cfg.AggregateAuthorization[] = [];

  constructor(name: string, args: ComplianceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("migration:index:ComplianceAggregator", name, {}, opts);
    const { config: cfg, access } = args;
    const tags = mergeTags({}, migrationTags(cfg, { component: "compliance" }));
    const regions = [cfg.primaryRegion, cfg.secondaryRegion];
    const accounts = [...new Set(ACCOUNT_ROLES.map((r) => cfg.accounts[r]))].sort();
    this.aggregator = new aws.cfg.ConfigurationAggregator(
      resourceName("migration-config-aggregator", cfg.environmentSuffix),
      {
        name: resourceName("migration-config-aggregator", cfg.environmentSuffix),
        accountAggregationSource: { accountIds: accounts, regions },
        tags,
      },
      { parent: this, provider: access.provider("central") },
    );
    // One authorization per distinct source account (first role naming it) and region.
    const sources = new Map<string, AccountRole>();
    for (const role of ACCOUNT_ROLES) {
      if (cfg.accounts[role] !== cfg.accounts.central && !sources.has(cfg.accounts[role])) sources.set(cfg.accounts[role], role);
    }
    for (const [account, role] of sources) {
      for (const region of regions) {
        this.authorizations.push(
          new aws.cfg.AggregateAuthorization(
            resourceName(`migration-config-auth-${account}-${region}`, cfg.environmentSuffix),
            { accountId: cfg.accounts.central, authorizedAwsRegion: cfg.primaryRegion, tags },
            { parent: this, provider: access.provider(role, region) },
          ),
        );
      }
    }
    this.registerOutputs({ aggregatorArn: this.aggregator.arn });
  }
}
