/**
 * traffic.ts — TrafficShifting: Route 53 weighted records (legacy / new) with health checks in
 * the legacy account, the traffic-shift state machine (10 → 25 → 50 → 100 %, gated on health,
 * shifting back to legacy when health fails), and automated rollback: a CloudWatch alarm on the
 * new endpoint's health check whose ALARM state starts a rollback machine through EventBridge.
 * The records start at the first step. Dry-run creates no records and no alarm-to-rollback rule,
 * and both machines run in simulation.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MigrationConfig } from "./config";
import { TrafficShiftArgs, rollbackDefinition, trafficShiftDefinition } from "./asl";
import { SFN_LOG_DELIVERY, loggingConfiguration, serviceRole, stateMachineLogGroup } from "./common";
import { mergeTags, migrationTags, resourceName } from "./naming";

export interface TrafficArgs {
  config: MigrationConfig;
  provider: aws.Provider;
}

export class TrafficShifting extends pulumi.ComponentResource {
  readonly zone: aws.route53.Zone;
  readonly recordName: string;
  readonly legacyHealthCheck: aws.route53.HealthCheck;
  readonly newHealthCheck: aws.route53.HealthCheck;
  readonly records: aws.route53.Record[] = [];
  readonly shiftMachine: aws.sfn.StateMachine;
  readonly rollbackMachine: aws.sfn.StateMachine;
  readonly alarm: aws.cloudwatch.MetricAlarm;

  constructor(name: string, args: TrafficArgs, opts?: pulumi.ComponentResourceOptions) {
    super("migration:index:TrafficShifting", name, {}, opts);
    const { config: cfg } = args;
    const t = cfg.traffic;
    const sfx = cfg.environmentSuffix;
    const tags = mergeTags({}, migrationTags(cfg, { component: "traffic" }));
    const o = { parent: this, provider: args.provider };
    const zoneName = `${sfx}.${t.domainName}`;
    this.recordName = `${t.recordName}.${zoneName}`;
    this.zone = new aws.route53.Zone(resourceName("migration-zone", sfx), { name: zoneName, comment: `Migration ${cfg.migrationId}`, forceDestroy: true, tags }, o);
    const healthCheck = (env: "legacy" | "new", fqdn: string) =>
      new aws.route53.HealthCheck(
        resourceName(`migration-health-${env}`, sfx),
        {
          type: "HTTPS",
          fqdn,
          port: 443,
          resourcePath: t.healthCheckPath,
          requestInterval: 30,
          failureThreshold: 3,
          tags: { ...tags, Name: resourceName(`migration-health-${env}`, sfx) },
        },
        o,
      );
    this.legacyHealthCheck = healthCheck("legacy", t.legacyEndpoint);
    this.newHealthCheck = healthCheck("new", t.newEndpoint);
    const first = t.steps[0];
    if (!cfg.dryRun) {
      const record = (env: "legacy" | "new", target: string, weight: number, hc: aws.route53.HealthCheck) =>
        new aws.route53.Record(
          resourceName(`migration-record-${env}`, sfx),
          {
            zoneId: this.zone.zoneId,
            name: this.recordName,
            type: "CNAME",
            ttl: t.ttl,
            records: [target],
            setIdentifier: env,
            weightedRoutingPolicies: [{ weight }],
            healthCheckId: hc.id,
          },
          // The traffic-shift machine owns the weights after creation.
          { ...o, ignoreChanges: ["weightedRoutingPolicies"] },
        );
      this.records.push(record("legacy", t.legacyEndpoint, 100 - first, this.legacyHealthCheck), record("new", t.newEndpoint, first, this.newHealthCheck));
    }

    const shiftArgs = pulumi.all([this.zone.zoneId, this.legacyHealthCheck.id, this.newHealthCheck.id]).apply(
      ([zoneId, legacyHc, newHc]): TrafficShiftArgs => ({
        hostedZoneId: zoneId,
        recordName: this.recordName,
        recordType: "CNAME",
        ttl: t.ttl,
        legacyTarget: t.legacyEndpoint,
        newTarget: t.newEndpoint,
        legacyHealthCheckId: legacyHc,
        newHealthCheckId: newHc,
        steps: t.steps,
        waitSeconds: t.stepWaitSeconds,
        simulate: cfg.dryRun,
      }),
    );
    const role = serviceRole(
      resourceName("migration-traffic-sfn", sfx),
      "states.amazonaws.com",
      this.zone.zoneId.apply((z) => [
        SFN_LOG_DELIVERY,
        { Effect: "Allow", Action: ["route53:ChangeResourceRecordSets"], Resource: `arn:aws:route53:::hostedzone/${z}` },
        { Effect: "Allow", Action: ["route53:GetHealthCheckStatus"], Resource: "*" },
      ]),
      cfg,
      tags,
      o,
    );
    const machine = (n: string, def: (a: TrafficShiftArgs) => object) => {
      const base = resourceName(n, sfx);
      return new aws.sfn.StateMachine(
        base,
        { name: base, roleArn: role.arn, definition: shiftArgs.apply((a) => JSON.stringify(def(a))), loggingConfiguration: loggingConfiguration(stateMachineLogGroup(base, cfg, tags, o)), tags },
        o,
      );
    };
    this.shiftMachine = machine("migration-traffic-shift", trafficShiftDefinition);
    this.rollbackMachine = machine("migration-traffic-rollback", rollbackDefinition);

    this.alarm = new aws.cloudwatch.MetricAlarm(
      resourceName("migration-new-unhealthy", sfx),
      {
        name: resourceName("migration-new-unhealthy", sfx),
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: { HealthCheckId: this.newHealthCheck.id },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 2,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
        alarmDescription: "New environment unhealthy: traffic is shifted back to legacy",
        tags,
      },
      o,
    );
    if (!cfg.dryRun) {
      const rule = new aws.cloudwatch.EventRule(
        resourceName("migration-rollback-on-alarm", sfx),
        {
          name: resourceName("migration-rollback-on-alarm", sfx),
          eventPattern: this.alarm.arn.apply((arn) =>
            JSON.stringify({ source: ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"], resources: [arn], detail: { state: { value: ["ALARM"] } } }),
          ),
          tags,
        },
        o,
      );
      const invoker = serviceRole(
        resourceName("migration-rollback-invoker", sfx),
        "events.amazonaws.com",
        this.rollbackMachine.arn.apply((arn) => [{ Effect: "Allow", Action: "states:StartExecution", Resource: arn }]),
        cfg,
        tags,
        o,
      );
      new aws.cloudwatch.EventTarget(
        resourceName("migration-rollback-on-alarm-target", sfx),
        { rule: rule.name, targetId: "traffic-rollback", arn: this.rollbackMachine.arn, roleArn: invoker.arn },
        o,
      );
    }
    this.registerOutputs({ shiftMachineArn: this.shiftMachine.arn, rollbackMachineArn: this.rollbackMachine.arn });
  }
}
