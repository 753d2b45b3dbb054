import type { ClusterPlacement, RunState } from '../job-runner.js';

/** One job as squeue / sacct report it. */
export interface SlurmJobRow {
  jobId: string;
  state: string;
  reason: string;
  nodes: string;
}

/** The squeue output format the runner asks for: job id, state (long name), reason, node list. */
export const SQUEUE_FORMAT = '%i|%T|%r|%N';

/** Rows of `squeue -h -o SQUEUE_FORMAT` (or `sacct -n -P -o JobID,State,Reason,NodeList`). */
export function parseJobRows(stdout: string): Map<string, SlurmJobRow> {
  const rows = new Map<string, SlurmJobRow>();
  for (const line of stdout.split('\n')) {
    const [jobId, state, reason = '', nodes = ''] = line.trim().split('|');
    if (!jobId || !state) continue;
    // sacct's state can read "CANCELLED by 0"; squeue's "None" reason and "(null)" node list mean nothing.
    rows.set(jobId, {
      jobId,
      state: state.split(' ')[0]!.toUpperCase(),
      reason: reason === 'None' || reason === '(null)' ? '' : reason,
      nodes: nodes === '(null)' || nodes === 'None assigned' ? '' : nodes,
    });
  }
  return rows;
}

/** What a pending reason means, for people (the common ones; others are shown as Slurm names them). */
const PENDING_REASONS: Record<string, string> = {
  Resources: 'the nodes it needs are busy',
  Priority: 'jobs with a higher priority are ahead of it',
  Dependency: 'waiting for a job it depends on',
  BeginTime: 'its start time has not come yet',
  QOSMaxJobsPerUser: 'the QOS limits how many jobs one user runs at once',
  QOSMaxGRESPerUser: 'the QOS limits how many GPUs one user holds at once',
  QOSGrpGRES: 'the QOS group GPU limit is reached',
  AssocMaxJobsLimit: 'the account limits how many jobs run at once',
  AssocGrpGRES: 'the account GPU limit is reached',
  ReqNodeNotAvail: 'a node it needs is not available',
  PartitionDown: 'the partition is down',
  PartitionInactive: 'the partition is inactive',
  PartitionNodeLimit: 'it asks for more nodes than the partition allows',
  PartitionTimeLimit: 'its time limit is above the partition’s',
  JobHeldUser: 'held by its user',
  JobHeldAdmin: 'held by an administrator',
  NodeDown: 'a node it needs is down',
  BadConstraints: 'no node can satisfy its request',
};

/** The sentence for a job still waiting in Slurm's queue. */
export function pendingMessage(jobId: string, reason: string): string {
  const why = reason ? `${reason}${PENDING_REASONS[reason] ? ` (${PENDING_REASONS[reason]})` : ''}` : 'the scheduler has not looked at it yet';
  return `Queued on the Slurm cluster as job ${jobId}: ${why}.`;
}

const RETRY_HINT =
  'Retryable: the cause was the cluster’s, not the job’s.';

export type SlurmOutcome =
  | { kind: 'pending' }
  | { kind: 'running' }
  | { kind: 'succeeded' }
  | { kind: 'failed' }
  | { kind: 'cancelled' }
  | { kind: 'ended'; message: string; retryable?: boolean }
  | { kind: 'unknown' };

/**
 * Every Slurm job state, as what it means for the job. 'failed' means the
 * program's exit code tells the story; 'ended' carries Slurm's own reason.
 */
export function slurmOutcome(state: string, timeLimit?: string): SlurmOutcome {
  switch (state) {
    case 'PENDING':
    case 'CONFIGURING':
    case 'REQUEUED':
    case 'REQUEUE_HOLD':
    case 'REQUEUE_FED':
    case 'RESV_DEL_HOLD':
      return { kind: 'pending' };
    case 'RUNNING':
    case 'COMPLETING':
    case 'SUSPENDED':
    case 'STOPPED':
    case 'SIGNALING':
    case 'STAGE_OUT':
    case 'RESIZING':
      return { kind: 'running' };
    case 'COMPLETED':
      return { kind: 'succeeded' };
    case 'FAILED':
      return { kind: 'failed' };
    case 'CANCELLED':
      return { kind: 'cancelled' };
    case 'TIMEOUT':
      return { kind: 'ended', message: `Slurm stopped the job at its time limit${timeLimit ? ` (${timeLimit})` : ''} (TIMEOUT).` };
    case 'NODE_FAIL':
      return { kind: 'ended', message: `A node of the job’s allocation failed (NODE_FAIL). ${RETRY_HINT}`, retryable: true };
    case 'PREEMPTED':
      return { kind: 'ended', message: `A job with a higher priority preempted it (PREEMPTED). ${RETRY_HINT}`, retryable: true };
    case 'OUT_OF_MEMORY':
      return { kind: 'ended', message: 'The job used more memory than it asked for and Slurm stopped it (OUT_OF_MEMORY): ask for more memory.' };
    case 'BOOT_FAIL':
      return { kind: 'ended', message: 'The nodes allocated to the job failed to boot (BOOT_FAIL).' };
    case 'DEADLINE':
      return { kind: 'ended', message: 'The job’s deadline passed before it could finish (DEADLINE).' };
    case 'REVOKED':
      return { kind: 'ended', message: 'Slurm revoked the job: it ran on another cluster of the federation (REVOKED).' };
    case 'SPECIAL_EXIT':
      return { kind: 'ended', message: 'The job ended in SPECIAL_EXIT (held by an epilog for a requeue).' };
    default:
      return { kind: 'unknown' };
  }
}

export interface ExitFacts {
  /** exit.json's code, when the wrapper wrote one. */
  code?: number | null;
  signal?: string | null;
  /** The line that best says why the program failed. */
  errorLine?: string;
}

/**
 * The job's state from Slurm's state and the run folder's exit record. A
 * cancel the studio asked for ends `cancelled` only once Slurm says the job
 * has left the running states.
 */
export function slurmRunState(
  row: SlurmJobRow,
  facts: { exit?: ExitFacts; cancelRequested: boolean; timeLimit?: string },
): RunState {
  const cluster: ClusterPlacement = { jobId: row.jobId, state: row.state, nodes: row.nodes, ...(row.reason ? { reason: row.reason } : {}) };
  const outcome = slurmOutcome(row.state, facts.timeLimit);
  const exitCode = facts.exit?.code ?? null;
  switch (outcome.kind) {
    case 'pending':
      return { phase: 'pending', message: pendingMessage(row.jobId, row.reason), cluster, ...(facts.cancelRequested ? { cancelling: true } : {}) };
    case 'running':
      return { phase: 'running', cluster, ...(facts.cancelRequested ? { cancelling: true } : {}) };
    case 'unknown':
      return { phase: 'unknown', message: `Slurm reports job ${row.jobId} in state ${row.state}, which the studio does not know.`, transient: true, cluster };
    default:
  }
  // Slurm has finished with the job. Exit 0 is a real result even when a cancel raced with the end.
  if (outcome.kind === 'succeeded' || (exitCode === 0 && outcome.kind !== 'ended')) return { phase: 'succeeded', exitCode: 0, cluster };
  if (facts.cancelRequested) return { phase: 'cancelled', message: 'Cancelled.', exitCode, cluster };
  if (outcome.kind === 'cancelled') {
    return { phase: 'cancelled', message: `Cancelled on the cluster, outside the studio (Slurm job ${row.jobId}).`, exitCode, cluster };
  }
  if (outcome.kind === 'ended') {
    return { phase: 'failed', message: outcome.message, exitCode, cluster, ...(outcome.retryable ? { retryable: true } : {}) };
  }
  return { phase: 'failed', message: exitMessage(facts.exit, row.reason), exitCode, cluster };
}

/** Why a finished program failed, from its exit record (or Slurm's reason when it left none). */
export function exitMessage(exit: ExitFacts | undefined, slurmReason = ''): string {
  if (!exit || exit.code === undefined) {
    return slurmReason ? `Slurm could not run the job (${slurmReason}).` : 'The job ended without an exit record.';
  }
  const how =
    exit.code === null
      ? `was killed${exit.signal ? ` by ${exit.signal}` : ''}`
      : `exited with code ${exit.code}${exit.signal ? ` (${exit.signal})` : ''}`;
  return exit.errorLine ? `${how}: ${exit.errorLine}` : how;
}

/** One partition as `sinfo` reports it. */
export interface SlurmPartition {
  name: string;
  default: boolean;
  available: string;
  nodes: { allocated: number; idle: number; other: number; total: number };
  cpus: { allocated: number; idle: number; other: number; total: number };
  timeLimit: string;
  gres: string;
}

/** The sinfo output format: partition, availability, nodes A/I/O/T, CPUs A/I/O/T, time limit, GRES. */
export const SINFO_FORMAT = '%P|%a|%F|%C|%l|%G';

export function parseSinfo(stdout: string): SlurmPartition[] {
  const counts = (s = '') => {
    const [allocated = 0, idle = 0, other = 0, total = 0] = s.split('/').map((n) => Number(n) || 0);
    return { allocated, idle, other, total };
  };
  const out: SlurmPartition[] = [];
  for (const line of stdout.split('\n')) {
    const [p, available = '', nodes, cpus, timeLimit = '', gres = ''] = line.trim().split('|');
    if (!p) continue;
    out.push({
      name: p.replace(/\*$/, ''),
      default: p.endsWith('*'),
      available,
      nodes: counts(nodes),
      cpus: counts(cpus),
      timeLimit,
      gres: gres === '(null)' ? '' : gres,
    });
  }
  return out;
}
