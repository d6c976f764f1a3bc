/**
 * orchestrator.ts — MigrationOrchestrator: the Step Functions machine in the central account
 * that migrates tiers wave by wave (see asl.ts) and rolls back on failure. Tier machines in other
 * accounts are started with task Credentials (the target account's migration role, ≤ 1 h).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MigrationConfig } from "./config";
import { TierRef, orchestratorDefinition } from "./asl";
import { SFN_LOG_DELIVERY, loggingConfiguration, serviceRole, stateMachineLogGroup } from "./common";
import { MigrationStateMachine } from "./migrationStateMachine";
import { mergeTags, migrationTags, resourceName } from "./naming";

export interface OrchestratorArgs {
  config: MigrationConfig;
  waves: string[][];
  tiers: Record<string, MigrationStateMachine>;
  /** Migration role ARN of each tier's account, used when that account is not the central one. */
  tierRoleArns: Record<string, pulumi.Output<string> | undefined>;
  provider: aws.Provider;
}

export class MigrationOrchestrator extends pulumi.ComponentResource {
  readonly stateMachine: aws.sfn.StateMachine;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly failureAlarm: aws.cloudwatch.MetricAlarm;

  constructor(name: string, args: OrchestratorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("migration:index:MigrationOrchestrator", name, {}, opts);
    const cfg = args.config;
    const tags = mergeTags({}, migrationTags(cfg, { component: "orchestrator" }));
    const o = { parent: this, provider: args.provider };
    const base = resourceName("migration-orchestrator", cfg.environmentSuffix);
    this.logGroup = stateMachineLogGroup(base, cfg, tags, o);
    const names = Object.keys(args.tiers).sort();
    const refs = pulumi
      .all(names.map((n) => pulumi.all([args.tiers[n].stateMachine.arn, args.tierRoleArns[n]])))
      .apply((pairs) => {
        const out: Record<string, TierRef> = {};
        pairs.forEach(([arn, role], i) => (out[names[i]] = role === undefined ? { stateMachineArn: arn } : { stateMachineArn: arn, roleArn: role }));
        return out;
      });
    const roleArns = names.map((n) => args.tierRoleArns[n]).filter((r) => r !== undefined);
    this.role = serviceRole(
      resourceName("migration-orchestrator-sfn", cfg.environmentSuffix),
      "states.amazonaws.com",
      pulumi.all(roleArns).apply((assumable) => [
        SFN_LOG_DELIVERY,
        { Effect: "Allow", Action: ["states:StartExecution", "states:DescribeExecution", "states:StopExecution"], Resource: "*" },
        {
          Effect: "Allow",
          Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
          Resource: `arn:aws:events:*:${cfg.accounts.central}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`,
        },
        ...(assumable.length === 0 ? [] : [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: [...new Set(assumable)].sort() }]),
      ]),
      cfg,
      tags,
      o,
    );
    this.stateMachine = new aws.sfn.StateMachine(
      base,
      {
        name: base,
        roleArn: this.role.arn,
        definition: refs.apply((tiers) =>
          JSON.stringify(orchestratorDefinition({ migrationId: cfg.migrationId, waves: args.waves, tiers, simulate: cfg.dryRun })),
        ),
        loggingConfiguration: loggingConfiguration(this.logGroup),
        tags,
      },
      o,
    );
    // A failed (rolled back) migration run raises an alarm in the central account.
    this.failureAlarm = new aws.cloudwatch.MetricAlarm(
      resourceName("migration-orchestrator-failed", cfg.environmentSuffix),
      {
        name: resourceName("migration-orchestrator-failed", cfg.environmentSuffix),
        namespace: "AWS/States",
        metricName: "ExecutionsFailed",
        dimensions: { StateMachineArn: this.stateMachine.arn },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmDescription: `Migration ${cfg.migrationId} failed and was rolled back`,
        tags,
      },
      o,
    );
    this.registerOutputs({ stateMachineArn: this.stateMachine.arn });
  }
}
