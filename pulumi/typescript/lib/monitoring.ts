/**
 * monitoring.ts — MigrationMonitoring: EventBridge forwarding of migration events from every
 * account to one event bus in the central account, logged to CloudWatch there.
 *
 * Central account: the bus, a bus policy letting the member accounts put events, a log group
 * (+ resource policy for EventBridge) and a rule delivering every event on the bus to it.
 * Every other account: a rule on its default bus matching Step Functions execution status
 * changes and the framework's own events, targeting the central bus through a role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ROLES, AccountRole, MigrationConfig } from "./config";
import { CrossAccountAccess } from "./access";
import { serviceRole } from "./common";
import { mergeTags, migrationTags, resourceName } from "./naming";

/** The events forwarded to the central account. */
export const MIGRATION_EVENT_PATTERN = {
  source: ["aws.states", "migration.framework"],
  "detail-type": ["Step Functions Execution Status Change", "Migration Progress"],
};

export interface MonitoringArgs {
  config: MigrationConfig;
  access: CrossAccountAccess;
}

export class MigrationMonitoring extends pulumi.ComponentResource {
  readonly bus: aws.cloudwatch.EventBus;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly forwardingRules: Partial<Record<AccountRole, aws.cloudwatch.EventRule>> = {};

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("migration:index:MigrationMonitoring", name, {}, opts);
    const { config: cfg, access } = args;
    const sfx = cfg.environmentSuffix;
    const tags = mergeTags({}, migrationTags(cfg, { component: "monitoring" }));
    const central = { parent: this, provider: access.provider("central") };
    const busName = resourceName("migration-central-bus", sfx);
    this.bus = new aws.cloudwatch.EventBus(busName, { name: busName, tags }, central);
    const members = [...new Set(ACCOUNT_ROLES.map((r) => cfg.accounts[r]))].sort();
    new aws.cloudwatch.EventBusPolicy(
      resourceName("migration-central-bus-policy", sfx),
      {
        eventBusName: this.bus.name,
        policy: this.bus.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Sid: "MigrationAccountsPutEvents", Effect: "Allow", Principal: { AWS: members.map((a) => `arn:aws:iam::${a}:root`) }, Action: "events:PutEvents", Resource: arn },
            ],
          }),
        ),
      },
      central,
    );
    this.logGroup = new aws.cloudwatch.LogGroup(
      resourceName("migration-events-logs", sfx),
      { name: `/aws/events/${resourceName("migration", sfx)}`, retentionInDays: cfg.logRetentionDays, tags },
      central,
    );
    new aws.cloudwatch.LogResourcePolicy(
      resourceName("migration-events-logs-policy", sfx),
      {
        policyName: resourceName("migration-events-to-logs", sfx),
        policyDocument: this.logGroup.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] }, Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arn}:*` },
            ],
          }),
        ),
      },
      central,
    );
    const all = new aws.cloudwatch.EventRule(
      resourceName("migration-central-all", sfx),
      { name: resourceName("migration-central-all", sfx), eventBusName: this.bus.name, eventPattern: JSON.stringify({ source: MIGRATION_EVENT_PATTERN.source }), tags },
      central,
    );
    new aws.cloudwatch.EventTarget(
      resourceName("migration-central-all-logs", sfx),
      { rule: all.name, eventBusName: this.bus.name, targetId: "central-log-group", arn: this.logGroup.arn },
      central,
    );

    for (const role of ACCOUNT_ROLES.filter((r) => r !== "central")) {
      const o = { parent: this, provider: access.provider(role) };
      const forwarder = serviceRole(
        resourceName(`migration-events-${role}`, sfx),
        "events.amazonaws.com",
        this.bus.arn.apply((arn) => [{ Effect: "Allow", Action: "events:PutEvents", Resource: arn }]),
        cfg,
        tags,
        o,
      );
      const rule = new aws.cloudwatch.EventRule(
        resourceName(`migration-forward-${role}`, sfx),
        { name: resourceName(`migration-forward-${role}`, sfx), description: `Forward migration events of ${role} to the central account`, eventPattern: JSON.stringify(MIGRATION_EVENT_PATTERN), tags },
        o,
      );
      new aws.cloudwatch.EventTarget(
        resourceName(`migration-forward-${role}-central`, sfx),
        { rule: rule.name, targetId: "central-bus", arn: this.bus.arn, roleArn: forwarder.arn },
        o,
      );
      this.forwardingRules[role] = rule;
    }
    this.registerOutputs({ busArn: this.bus.arn });
  }
}
