/**
 * common.ts — building blocks every component uses: CloudWatch log groups for state machines
 * and service roles (Step Functions, EventBridge) with ≤ 1 h sessions and inline policies.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MigrationConfig } from "./config";

/** A state machine's log group: /aws/vendedlogs/states/<name>, retained cfg.logRetentionDays. */
export function stateMachineLogGroup(
  name: string,
  cfg: MigrationConfig,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/vendedlogs/states/${name}`, retentionInDays: cfg.logRetentionDays, tags }, opts);
}

/** Step Functions wants the log group ARN with the ":*" stream wildcard. */
export function logDestination(group: aws.cloudwatch.LogGroup): pulumi.Output<string> {
  return group.arn.apply((a) => (a.endsWith(":*") ? a : `${a}:*`));
}

/** Step Functions logging: everything, with execution data. */
export function loggingConfiguration(group: aws.cloudwatch.LogGroup) {
  return { level: "ALL", includeExecutionData: true, logDestination: logDestination(group) };
}

/** A role a service principal assumes, with one inline policy. */
export function serviceRole(
  name: string,
  servicePrincipal: string,
  statements: pulumi.Input<any[]>,
  cfg: MigrationConfig,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): aws.iam.Role {
  const trust = aws.iam.getPolicyDocumentOutput(
    { statements: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: [servicePrincipal] }] }] },
    { parent: opts.parent, provider: opts.provider },
  );
  const role = new aws.iam.Role(
    name,
    { name, assumeRolePolicy: trust.json, maxSessionDuration: cfg.sessionDurationSeconds, description: `Service role for ${servicePrincipal}`, tags },
    opts,
  );
  new aws.iam.RolePolicy(
    `${name}-policy`,
    { name: `${name}-policy`, role: role.name, policy: pulumi.output(statements).apply((s) => JSON.stringify({ Version: "2012-10-17", Statement: s })) },
    opts,
  );
  return role;
}

/** Logging permissions a Step Functions execution role needs for CloudWatch Logs delivery. */
export const SFN_LOG_DELIVERY = {
  Effect: "Allow",
  Action: [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
  ],
  Resource: "*",
};
