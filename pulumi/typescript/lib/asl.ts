/**
 * asl.ts — the Amazon States Language definitions the framework deploys, as plain functions.
 *
 * - tierDefinition: one service tier's migration (start DMS replication, verify) and rollback.
 * - orchestratorDefinition: waves of tiers in dependency order, tiers of a wave in parallel
 *   (startExecution.sync of each tier machine); a failure rolls back every started wave in
 *   reverse order and ends in MigrationFailed. Input {"services": [...]} migrates only those
 *   tiers (incremental rollout); without it every tier is migrated.
 * - trafficShiftDefinition: Route 53 weights stepped 10 → 25 → 50 → 100 % (configurable), each
 *   step gated on the new endpoint's health check; an unhealthy check shifts back to legacy.
 * In simulation (dry-run) every Task becomes a Pass state with the same name, so the structure
 * and the execution history look the same while nothing is changed.
 */

export type State = Record<string, any>;
export interface Definition {
  Comment: string;
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
}

const RETRY = [{ ErrorEquals: ["States.TaskFailed", "States.Timeout"], IntervalSeconds: 5, MaxAttempts: 2, BackoffRate: 2 }];

/** A Task, or in simulation a Pass state standing in for it. */
function task(simulate: boolean, resource: string, parameters: Record<string, any>, rest: State, simulated: any): State {
  if (simulate) {
    const pass: State = { Type: "Pass", Result: simulated, ...rest };
    delete pass.Retry;
    delete pass.Catch;
    delete pass.ResultSelector;
    delete pass.Credentials;
    return pass;
  }
  return { Type: "Task", Resource: resource, Parameters: parameters, ...rest };
}

export interface TierDefinitionArgs {
  tier: string;
  wave: number;
  targetAccount: string;
  replicationTaskArn?: string;
  simulate: boolean;
}

export function tierDefinition(a: TierDefinitionArgs): Definition {
  const dms = a.replicationTaskArn;
  const states: Record<string, State> = {
    Route: {
      Type: "Choice",
      Choices: [{ Variable: "$.action", IsPresent: true, Next: "CheckAction" }],
      Default: "Preflight",
    },
    CheckAction: {
      Type: "Choice",
      Choices: [{ Variable: "$.action", StringEquals: "rollback", Next: "Rollback" }],
      Default: "Preflight",
    },
    Preflight: { Type: "Pass", Result: { tier: a.tier, wave: a.wave, targetAccount: a.targetAccount }, ResultPath: "$.tier", Next: "Replicate" },
    Replicate:
      dms === undefined
        ? { Type: "Pass", Result: { replication: "none" }, ResultPath: "$.replication", Next: "Verify" }
        : task(
            a.simulate,
            "arn:aws:states:::aws-sdk:databasemigration:startReplicationTask",
            { ReplicationTaskArn: dms, StartReplicationTaskType: "start-replication" },
            { ResultPath: null, Retry: RETRY, Next: "Verify" },
            { simulated: true },
          ),
    Verify:
      dms === undefined
        ? { Type: "Pass", Result: { verified: true }, ResultPath: "$.verification", Next: "Migrated" }
        : task(
            a.simulate,
            "arn:aws:states:::aws-sdk:databasemigration:describeReplicationTasks",
            { Filters: [{ Name: "replication-task-arn", Values: [dms] }] },
            { ResultSelector: { "status.$": "$.ReplicationTasks[0].Status" }, ResultPath: "$.verification", Next: "Migrated" },
            { status: "simulated" },
          ),
    Migrated: { Type: "Succeed" },
    Rollback:
      dms === undefined
        ? { Type: "Pass", Result: { rolledBack: true }, ResultPath: "$.rollback", Next: "RolledBack" }
        : task(
            a.simulate,
            "arn:aws:states:::aws-sdk:databasemigration:stopReplicationTask",
            { ReplicationTaskArn: dms },
            { ResultPath: null, Retry: RETRY, Next: "RolledBack" },
            { simulated: true },
          ),
    RolledBack: { Type: "Succeed" },
  };
  return { Comment: `Migration of service tier ${a.tier} (wave ${a.wave})`, StartAt: "Route", States: states };
}

export interface TierRef {
  stateMachineArn: string;
  /** Role in the tier's account the orchestrator uses (cross-account task credentials), if any. */
  roleArn?: string;
}

export interface OrchestratorArgs {
  migrationId: string;
  waves: string[][];
  tiers: Record<string, TierRef>;
  simulate: boolean;
}

function startTier(a: OrchestratorArgs, tier: string, action: "migrate" | "rollback", next: State): State {
  const ref = a.tiers[tier];
  const rest: State = { ...next, Retry: RETRY };
  if (ref.roleArn !== undefined) rest.Credentials = { RoleArn: ref.roleArn };
  return task(
    a.simulate,
    "arn:aws:states:::states:startExecution.sync:2",
    {
      StateMachineArn: ref.stateMachineArn,
      Input: { action, tier, migrationId: a.migrationId, "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id" },
    },
    rest,
    { tier, action, simulated: true },
  );
}

/**
 * The Parallel state of a wave: per tier a branch that runs the tier's task when the tier is in
 * $.services (States.ArrayContains) and otherwise skips it.
 */
function waveState(a: OrchestratorArgs, wave: string[], prefix: "Migrate" | "Rollback", rest: State): State {
  return {
    Type: "Parallel",
    Branches: wave.map((tier) => ({
      StartAt: `Select-${prefix}-${tier}`,
      States: {
        [`Select-${prefix}-${tier}`]: {
          Type: "Pass",
          Parameters: { "selected.$": `States.ArrayContains($.services, '${tier}')` },
          ResultPath: "$.selection",
          Next: `IsSelected-${prefix}-${tier}`,
        },
        [`IsSelected-${prefix}-${tier}`]: {
          Type: "Choice",
          Choices: [{ Variable: "$.selection.selected", BooleanEquals: true, Next: `${prefix}-${tier}` }],
          Default: `Skip-${prefix}-${tier}`,
        },
        [`${prefix}-${tier}`]: startTier(a, tier, prefix === "Migrate" ? "migrate" : "rollback", { ResultPath: null, End: true }),
        [`Skip-${prefix}-${tier}`]: { Type: "Pass", ResultPath: null, End: true },
      },
    })),
    ResultPath: null,
    ...rest,
  };
}

export function orchestratorDefinition(a: OrchestratorArgs): Definition {
  const all = a.waves.flat().sort();
  const states: Record<string, State> = {
    Start: {
      Type: "Pass",
      Result: { migrationId: a.migrationId, waves: a.waves, simulated: a.simulate },
      ResultPath: "$.migration",
      Next: "HasSelection",
    },
    // Incremental rollout: {"services": [...]} picks tiers; no selection means all of them.
    HasSelection: { Type: "Choice", Choices: [{ Variable: "$.services", IsPresent: true, Next: "Wave1" }], Default: "AllServices" },
    AllServices: { Type: "Pass", Result: all, ResultPath: "$.services", Next: "Wave1" },
  };
  a.waves.forEach((wave, i) => {
    const n = i + 1;
    states[`Wave${n}`] = waveState(a, wave, "Migrate", {
      Next: n === a.waves.length ? "MigrationSucceeded" : `Wave${n + 1}`,
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: `RollbackWave${n}` }],
    });
    // Rollback is best effort: a failed rollback of one wave still rolls back the earlier ones.
    const after = n === 1 ? "MigrationFailed" : `RollbackWave${n - 1}`;
    states[`RollbackWave${n}`] = waveState(a, wave, "Rollback", {
      Next: after,
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.rollbackError", Next: after }],
    });
  });
  states.MigrationSucceeded = { Type: "Succeed" };
  states.MigrationFailed = { Type: "Fail", Error: "MigrationRolledBack", Cause: "A service tier failed; completed tiers were rolled back" };
  return { Comment: `Migration orchestrator ${a.migrationId}${a.simulate ? " (simulation)" : ""}`, StartAt: "Start", States: states };
}

export interface TrafficShiftArgs {
  hostedZoneId: string;
  recordName: string;
  recordType: string;
  ttl: number;
  legacyTarget: string;
  newTarget: string;
  legacyHealthCheckId: string;
  newHealthCheckId: string;
  steps: number[];
  waitSeconds: number;
  simulate: boolean;
}

/** The ChangeResourceRecordSets request that sets the new environment to `percent`. */
export function weightChange(a: TrafficShiftArgs, percent: number): Record<string, any> {
  const record = (id: string, target: string, weight: number, hc: string) => ({
    Action: "UPSERT",
    ResourceRecordSet: {
      Name: a.recordName,
      Type: a.recordType,
      SetIdentifier: id,
      Weight: weight,
      TTL: a.ttl,
      ResourceRecords: [{ Value: target }],
      HealthCheckId: hc,
    },
  });
  return {
    HostedZoneId: a.hostedZoneId,
    ChangeBatch: {
      Comment: `migration traffic: ${percent}% new`,
      Changes: [record("legacy", a.legacyTarget, 100 - percent, a.legacyHealthCheckId), record("new", a.newTarget, percent, a.newHealthCheckId)],
    },
  };
}

const CHANGE_RRS = "arn:aws:states:::aws-sdk:route53:changeResourceRecordSets";

export function shiftBackState(a: TrafficShiftArgs, next: State): State {
  return task(a.simulate, CHANGE_RRS, weightChange(a, 0), { ResultPath: null, Retry: RETRY, ...next }, { simulated: true });
}

export function trafficShiftDefinition(a: TrafficShiftArgs): Definition {
  const states: Record<string, State> = {};
  const fail = [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "ShiftBackToLegacy" }];
  a.steps.forEach((p, i) => {
    const next = i === a.steps.length - 1 ? "TrafficShiftComplete" : `Shift${a.steps[i + 1]}`;
    states[`Shift${p}`] = task(a.simulate, CHANGE_RRS, weightChange(a, p), { ResultPath: null, Catch: fail, Next: `Wait${p}` }, { percent: p });
    states[`Wait${p}`] = { Type: "Wait", Seconds: a.waitSeconds, Next: `CheckHealth${p}` };
    states[`CheckHealth${p}`] = task(
      a.simulate,
      "arn:aws:states:::aws-sdk:route53:getHealthCheckStatus",
      { HealthCheckId: a.newHealthCheckId },
      { ResultSelector: { "status.$": "$.HealthCheckObservations[0].StatusReport.Status" }, ResultPath: "$.health", Catch: fail, Next: `Healthy${p}` },
      { status: "Success: simulated" },
    );
    states[`Healthy${p}`] = {
      Type: "Choice",
      Choices: [{ Variable: "$.health.status", StringMatches: "Success*", Next: next }],
      Default: "ShiftBackToLegacy",
    };
  });
  states.ShiftBackToLegacy = shiftBackState(a, { Next: "TrafficShiftRolledBack" });
  states.TrafficShiftComplete = { Type: "Succeed" };
  states.TrafficShiftRolledBack = { Type: "Fail", Error: "HealthCheckFailed", Cause: "The new environment was unhealthy; traffic was shifted back to legacy" };
  return { Comment: `Traffic shift ${a.steps.join(" -> ")} %${a.simulate ? " (simulation)" : ""}`, StartAt: `Shift${a.steps[0]}`, States: states };
}

/** A one-step machine that sends all traffic back to legacy (run by the health alarm). */
export function rollbackDefinition(a: TrafficShiftArgs): Definition {
  return {
    Comment: `Traffic rollback to legacy${a.simulate ? " (simulation)" : ""}`,
    StartAt: "ShiftBackToLegacy",
    States: { ShiftBackToLegacy: shiftBackState(a, { Next: "RolledBack" }), RolledBack: { Type: "Succeed" } },
  };
}
