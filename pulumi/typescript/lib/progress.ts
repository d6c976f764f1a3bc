/**
 * progress.ts — migration percentage complete, from the orchestrator's latest execution.
 *
 * The execution history says which tiers finished migrating (a `Migrate-<tier>` state exited)
 * and which were rolled back (`Rollback-<tier>` exited); the percentage is
 * (migrated − rolled back) / all tiers, whatever the status: a full successful run is 100 %, a
 * run of some services (incremental rollout) their share, a rolled-back run what is left.
 * No execution yet is 0 %.
 * Queried with the AWS SDK for JavaScript v3, which honours AWS_ENDPOINT_URL.
 */
import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from "@aws-sdk/client-sfn";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

export interface HistoryEvent {
  type?: string;
  stateExitedEventDetails?: { name?: string };
}

/** Percentage (0-100, whole) for an execution's history events. */
export function progressFromHistory(events: HistoryEvent[], totalTiers: number): number {
  const exited = (prefix: string) =>
    new Set(
      events
        .filter((e) => e.stateExitedEventDetails !== undefined && String(e.stateExitedEventDetails.name).startsWith(prefix))
        .map((e) => e.stateExitedEventDetails!.name),
    ).size;
  const done = exited("Migrate-") - exited("Rollback-");
  return Math.max(0, Math.min(100, Math.round((100 * done) / Math.max(1, totalTiers))));
}

/** Anything with the SDK v3 `send` (SFNClient, or a stand-in in tests). */
export interface Sendable {
  send(command: any): Promise<any>;
}

/** Progress of the latest execution of `stateMachineArn`; 0 when it has never run. */
export async function queryProgress(sfn: Sendable, stateMachineArn: string, totalTiers: number): Promise<number> {
  const executions: any[] = [];
  let token: string | undefined;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 100, nextToken: token }));
    executions.push(...(page.executions || []));
    token = page.nextToken;
  } while (token);
  if (executions.length === 0) return 0;
  const latest = executions.reduce((a, b) => (new Date(b.startDate).getTime() > new Date(a.startDate).getTime() ? b : a));
  const events: HistoryEvent[] = [];
  token = undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: latest.executionArn, maxResults: 1000, nextToken: token }));
    events.push(...(page.events || []));
    token = page.nextToken;
  } while (token);
  return progressFromHistory(events, totalTiers);
}

export interface ProgressClientArgs {
  region: string;
  /** The role in the orchestrator's account to read it with (1-hour session at most). */
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  endpoint?: string;
}

/** An SFN client with temporary credentials of `roleArn` (STS AssumeRole, ≤ 1 h). */
export async function progressClient(a: ProgressClientArgs, sts: Sendable = new STSClient({ region: a.region, endpoint: a.endpoint })): Promise<SFNClient> {
  const r = await sts.send(new AssumeRoleCommand({ RoleArn: a.roleArn, RoleSessionName: a.sessionName, DurationSeconds: a.durationSeconds }));
  return new SFNClient({
    region: a.region,
    endpoint: a.endpoint,
    credentials: { accessKeyId: r.Credentials.AccessKeyId, secretAccessKey: r.Credentials.SecretAccessKey, sessionToken: r.Credentials.SessionToken },
  });
}
