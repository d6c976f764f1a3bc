/**
 * parameters.ts — MigrationParameters: the SSM Parameter Store hierarchy that shares migration
 * metadata between accounts without coupling them:
 *   /migration/<suffix>/config/{migration-id,dry-run,regions,session-seconds,deployed-by}
 *   /migration/<suffix>/accounts/<role>
 *   /migration/<suffix>/plan/waves
 *   /migration/<suffix>/tiers/<tier>/{wave,depends-on,target-account,state-machine-arn}
 *   /migration/<suffix>/orchestrator/arn, /migration/<suffix>/monitoring/bus-arn
 * in the central account, and in every other account /migration/<suffix>/central/* pointers.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ROLES, MigrationConfig } from "./config";
import { CrossAccountAccess } from "./access";
import { mergeTags, migrationTags, resourceName } from "./naming";

export interface ParametersArgs {
  config: MigrationConfig;
  access: CrossAccountAccess;
  waves: string[][];
  tierMachineArns: Record<string, pulumi.Output<string>>;
  orchestratorArn: pulumi.Output<string>;
  busArn: pulumi.Output<string>;
}

export function parameterPrefix(cfg: MigrationConfig): string {
  return `/migration/${cfg.environmentSuffix}`;
}

export class MigrationParameters extends pulumi.ComponentResource {
  /** Parameter name → resource, for the central account's hierarchy. */
  readonly parameters: Record<string, aws.ssm.Parameter> = {};

  constructor(name: string, args: ParametersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("migration:index:MigrationParameters", name, {}, opts);
    const { config: cfg, access } = args;
    const prefix = parameterPrefix(cfg);
    const tags = mergeTags({}, migrationTags(cfg, { component: "parameters" }));
    const put = (path: string, value: pulumi.Input<string>, provider: aws.Provider, logical: string) =>
      new aws.ssm.Parameter(
        resourceName(`migration-param-${logical}`, cfg.environmentSuffix),
        { name: path, type: "String", value, tier: "Standard", description: `Migration metadata (${cfg.migrationId})`, tags },
        { parent: this, provider },
      );
    const central = access.provider("central");
    // Who deployed (the legacy account's identity, through the default provider).
    const caller = aws.getCallerIdentityOutput({}, { parent: this });
    const values: Record<string, pulumi.Input<string>> = {
      "config/deployed-by": caller.arn,
      "config/migration-id": cfg.migrationId,
      "config/dry-run": String(cfg.dryRun),
      "config/regions": `${cfg.primaryRegion},${cfg.secondaryRegion}`,
      "config/session-seconds": String(cfg.sessionDurationSeconds),
      "plan/waves": JSON.stringify(args.waves),
      "orchestrator/arn": args.orchestratorArn,
      "monitoring/bus-arn": args.busArn,
    };
    for (const role of ACCOUNT_ROLES) values[`accounts/${role}`] = cfg.accounts[role];
    args.waves.forEach((wave, i) =>
      wave.forEach((tierName) => {
        const tier = cfg.services.find((s) => s.name === tierName)!;
        values[`tiers/${tierName}/wave`] = String(i + 1);
        values[`tiers/${tierName}/depends-on`] = tier.dependsOn.join(",") || "none";
        values[`tiers/${tierName}/target-account`] = cfg.accounts[tier.targetAccount];
        values[`tiers/${tierName}/state-machine-arn`] = args.tierMachineArns[tierName];
      }),
    );
    for (const key of Object.keys(values).sort()) {
      this.parameters[`${prefix}/${key}`] = put(`${prefix}/${key}`, values[key], central, `central-${key.replace(/\//g, "-")}`);
    }
    for (const role of ACCOUNT_ROLES.filter((r) => r !== "central")) {
      const p = access.provider(role);
      put(`${prefix}/central/${role}/orchestrator-arn`, args.orchestratorArn, p, `${role}-orchestrator-arn`);
      put(`${prefix}/central/${role}/bus-arn`, args.busArn, p, `${role}-bus-arn`);
    }
    this.registerOutputs({ prefix });
  }
}
