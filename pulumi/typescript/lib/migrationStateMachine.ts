/**
 * migrationStateMachine.ts — MigrationStateMachine, the ComponentResource of one service tier.
 *
 * In the tier's target account it owns: a CloudWatch log group, the Step Functions execution
 * role, for database tiers the DMS replication instance, endpoints and replication task, and the
 * tier's state machine (migrate / rollback, see asl.ts). Every resource keeps the service's
 * original tags plus migration metadata tags and is named with environmentSuffix.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MigrationConfig, ServiceTier } from "./config";
import { tierDefinition } from "./asl";
import { SFN_LOG_DELIVERY, loggingConfiguration, serviceRole, stateMachineLogGroup } from "./common";
import { mergeTags, migrationTags, resourceName } from "./naming";

export interface MigrationStateMachineArgs {
  config: MigrationConfig;
  tier: ServiceTier;
  wave: number;
  /** Provider acting in the tier's target account. */
  provider: aws.Provider;
}

export class MigrationStateMachine extends pulumi.ComponentResource {
  readonly stateMachine: aws.sfn.StateMachine;
  readonly executionRole: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly replicationTask?: aws.dms.ReplicationTask;
  readonly tags: Record<string, string>;

  constructor(name: string, args: MigrationStateMachineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("migration:index:MigrationStateMachine", name, {}, opts);
    const { config: cfg, tier } = args;
    const sfx = cfg.environmentSuffix;
    const targetAccount = cfg.accounts[tier.targetAccount];
    this.tags = mergeTags(
      tier.tags,
      migrationTags(cfg, { tier: tier.name, wave: String(args.wave), "target-account": targetAccount, "depends-on": tier.dependsOn.join("/") || "none" }),
    );
    const o: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };
    const base = resourceName(`migration-${tier.name}`, sfx);

    this.logGroup = stateMachineLogGroup(base, cfg, this.tags, o);

    if (tier.database !== undefined) {
      const db = tier.database;
      const instance = new aws.dms.ReplicationInstance(
        resourceName(`${tier.name}-dms`, sfx),
        {
          replicationInstanceId: resourceName(`${tier.name}-dms`, sfx),
          replicationInstanceClass: "dms.t3.medium",
          allocatedStorage: 50,
          publiclyAccessible: false,
          multiAz: false,
          tags: this.tags,
        },
        o,
      );
      const endpoint = (kind: "source" | "target", server: string) =>
        new aws.dms.Endpoint(
          resourceName(`${tier.name}-${kind}`, sfx),
          {
            endpointId: resourceName(`${tier.name}-${kind}`, sfx),
            endpointType: kind,
            engineName: kind === "target" && db.engine === "aurora" ? "aurora" : "mysql",
            serverName: server,
            port: db.port,
            databaseName: db.databaseName,
            username: db.username,
            password: cfg.dbPassword,
            sslMode: "none",
            tags: this.tags,
          },
          o,
        );
      const source = endpoint("source", db.sourceServer);
      const target = endpoint("target", db.targetServer);
      this.replicationTask = new aws.dms.ReplicationTask(
        resourceName(`${tier.name}-replication`, sfx),
        {
          replicationTaskId: resourceName(`${tier.name}-replication`, sfx),
          migrationType: "full-load-and-cdc",
          replicationInstanceArn: instance.replicationInstanceArn,
          sourceEndpointArn: source.endpointArn,
          targetEndpointArn: target.endpointArn,
          tableMappings: JSON.stringify({
            rules: [
              { "rule-type": "selection", "rule-id": "1", "rule-name": "all-tables", "object-locator": { "schema-name": db.databaseName, "table-name": "%" }, "rule-action": "include" },
            ],
          }),
          tags: this.tags,
        },
        o,
      );
    }

    const taskArn = this.replicationTask === undefined ? pulumi.output<string | undefined>(undefined) : this.replicationTask.replicationTaskArn;
    this.executionRole = serviceRole(
      resourceName(`migration-${tier.name}-sfn`, sfx),
      "states.amazonaws.com",
      [SFN_LOG_DELIVERY, { Effect: "Allow", Action: ["dms:StartReplicationTask", "dms:StopReplicationTask", "dms:DescribeReplicationTasks"], Resource: "*" }],
      cfg,
      this.tags,
      o,
    );
    this.stateMachine = new aws.sfn.StateMachine(
      base,
      {
        name: base,
        roleArn: this.executionRole.arn,
        definition: taskArn.apply((arn) =>
          JSON.stringify(tierDefinition({ tier: tier.name, wave: args.wave, targetAccount, replicationTaskArn: arn, simulate: cfg.dryRun })),
        ),
        loggingConfiguration: loggingConfiguration(this.logGroup),
        tags: this.tags,
      },
      o,
    );
    this.registerOutputs({ stateMachineArn: this.stateMachine.arn, executionRoleArn: this.executionRole.arn });
  }
}
