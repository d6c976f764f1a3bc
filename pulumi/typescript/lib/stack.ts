/**
 * stack.ts — composes the migration framework from the typed config.
 *
 * Order of work: plan the waves first (a circular dependency fails here, before any resource
 * exists), then roles and providers, one MigrationStateMachine per tier, the orchestrator,
 * network, monitoring, compliance, traffic shifting and the parameter hierarchy. The progress
 * output queries the orchestrator's latest execution (0 when there is none; not queried in
 * dry-run, where nothing is executed).
 */
import * as pulumi from "@pulumi/pulumi";
import { MigrationConfig } from "./config";
import { CrossAccountAccess } from "./access";
import { MigrationStateMachine } from "./migrationStateMachine";
import { MigrationOrchestrator } from "./orchestrator";
import { MigrationNetwork } from "./network";
import { MigrationMonitoring } from "./monitoring";
import { ComplianceAggregator } from "./compliance";
import { TrafficShifting } from "./traffic";
import { MigrationParameters, parameterPrefix } from "./parameters";
import { planWaves, waveOf } from "./topology";
import { progressClient, queryProgress } from "./progress";
import { resourceName } from "./naming";

/** How the progress output is computed (replaced in tests). */
export type ProgressQuery = (stateMachineArn: string, centralRoleArn: string, cfg: MigrationConfig, totalTiers: number) => Promise<number>;

export const defaultProgressQuery: ProgressQuery = async (arn, roleArn, cfg, total) => {
  const sfn = await progressClient({
    region: cfg.primaryRegion,
    roleArn,
    sessionName: resourceName("migration-progress", cfg.environmentSuffix),
    durationSeconds: cfg.sessionDurationSeconds,
    endpoint: process.env.AWS_ENDPOINT_URL,
  });
  return queryProgress(sfn, arn, total);
};

export interface MigrationStack {
  waves: string[][];
  access: CrossAccountAccess;
  tiers: Record<string, MigrationStateMachine>;
  orchestrator: MigrationOrchestrator;
  network: MigrationNetwork;
  monitoring: MigrationMonitoring;
  compliance: ComplianceAggregator;
  traffic: TrafficShifting;
  parameters: MigrationParameters;
  progress: pulumi.Output<number>;
}

export function buildMigration(cfg: MigrationConfig, progressQuery: ProgressQuery = defaultProgressQuery): MigrationStack {
  const waves = planWaves(cfg.services);
  const wave = waveOf(waves);
  pulumi.log.info(`migration ${cfg.migrationId}: waves ${JSON.stringify(waves)}${cfg.dryRun ? " (dry-run)" : ""}`);
  const access = new CrossAccountAccess(resourceName("migration-access", cfg.environmentSuffix), cfg);
  const tiers: Record<string, MigrationStateMachine> = {};
  const tierRoleArns: Record<string, pulumi.Output<string> | undefined> = {};
  for (const tier of cfg.services) {
    tiers[tier.name] = new MigrationStateMachine(resourceName(`tier-${tier.name}`, cfg.environmentSuffix), {
      config: cfg,
      tier,
      wave: wave[tier.name],
      provider: access.provider(tier.targetAccount),
    });
    tierRoleArns[tier.name] = cfg.accounts[tier.targetAccount] === cfg.accounts.central ? undefined : access.roles[tier.targetAccount].arn;
  }
  const orchestrator = new MigrationOrchestrator(resourceName("migration-orchestrator", cfg.environmentSuffix), {
    config: cfg,
    waves,
    tiers,
    tierRoleArns,
    provider: access.provider("central"),
  });
  const network = new MigrationNetwork(resourceName("migration-network", cfg.environmentSuffix), { config: cfg, access });
  const monitoring = new MigrationMonitoring(resourceName("migration-monitoring", cfg.environmentSuffix), { config: cfg, access });
  const compliance = new ComplianceAggregator(resourceName("migration-compliance", cfg.environmentSuffix), { config: cfg, access });
  const traffic = new TrafficShifting(resourceName("migration-traffic", cfg.environmentSuffix), { config: cfg, provider: access.provider("legacy") });
  const tierMachineArns: Record<string, pulumi.Output<string>> = {};
  for (const name of Object.keys(tiers)) tierMachineArns[name] = tiers[name].stateMachine.arn;
  const parameters = new MigrationParameters(resourceName("migration-parameters", cfg.environmentSuffix), {
    config: cfg,
    access,
    waves,
    tierMachineArns,
    orchestratorArn: orchestrator.stateMachine.arn,
    busArn: monitoring.bus.arn,
  });
  const progress = pulumi
    .all([orchestrator.stateMachine.arn, access.roles.central.arn])
    .apply(([arn, roleArn]): Promise<number> => (cfg.dryRun ? Promise.resolve(0) : progressQuery(arn, roleArn, cfg, cfg.services.length)));
  return { waves, access, tiers, orchestrator, network, monitoring, compliance, traffic, parameters, progress };
}

/** The stack outputs index.ts exports. */
export function stackOutputs(cfg: MigrationConfig, m: MigrationStack) {
  return {
    environmentSuffix: cfg.environmentSuffix,
    migrationId: cfg.migrationId,
    dryRun: cfg.dryRun,
    singleAccountMode: cfg.singleAccount,
    migrationWaves: m.waves,
    migrationProgress: m.progress,
    orchestratorArn: m.orchestrator.stateMachine.arn,
    tierStateMachineArns: pulumi.all(Object.fromEntries(Object.entries(m.tiers).map(([k, v]) => [k, v.stateMachine.arn]))),
    roleArns: m.access.roleArns(),
    transitGatewayId: m.network.transitGateway.id,
    secondaryTransitGatewayId: m.network.secondaryTransitGateway.id,
    resourceShareArn: m.network.share === undefined ? "" : m.network.share.arn,
    centralEventBusArn: m.monitoring.bus.arn,
    configAggregatorArn: m.compliance.aggregator.arn,
    hostedZoneId: m.traffic.zone.zoneId,
    trafficRecordName: m.traffic.recordName,
    legacyHealthCheckId: m.traffic.legacyHealthCheck.id,
    newHealthCheckId: m.traffic.newHealthCheck.id,
    trafficShiftStateMachineArn: m.traffic.shiftMachine.arn,
    rollbackStateMachineArn: m.traffic.rollbackMachine.arn,
    parameterPrefix: parameterPrefix(cfg),
  };
}
