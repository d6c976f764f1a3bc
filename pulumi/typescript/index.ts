/**
 * index.ts — entry point: read the config, compose the migration framework, export outputs.
 * Dry-run: `pulumi preview`, or `pulumi config set dryRun true`.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./lib/config";
import { buildMigration, stackOutputs } from "./lib/stack";

const config = loadConfig(new pulumi.Config(), pulumi.runtime.isDryRun());
const outputs = stackOutputs(config, buildMigration(config));

export const environmentSuffix = outputs.environmentSuffix;
export const migrationId = outputs.migrationId;
export const dryRun = outputs.dryRun;
export const singleAccountMode = outputs.singleAccountMode;
export const migrationWaves = outputs.migrationWaves;
export const migrationProgress = outputs.migrationProgress;
export const orchestratorArn = outputs.orchestratorArn;
export const tierStateMachineArns = outputs.tierStateMachineArns;
export const roleArns = outputs.roleArns;
export const transitGatewayId = outputs.transitGatewayId;
export const secondaryTransitGatewayId = outputs.secondaryTransitGatewayId;
export const resourceShareArn = outputs.resourceShareArn;
export const centralEventBusArn = outputs.centralEventBusArn;
export const configAggregatorArn = outputs.configAggregatorArn;
export const hostedZoneId = outputs.hostedZoneId;
export const trafficRecordName = outputs.trafficRecordName;
export const legacyHealthCheckId = outputs.legacyHealthCheckId;
export const newHealthCheckId = outputs.newHealthCheckId;
export const trafficShiftStateMachineArn = outputs.trafficShiftStateMachineArn;
export const rollbackStateMachineArn = outputs.rollbackStateMachineArn;
export const parameterPrefix = outputs.parameterPrefix;
