import type { CatalogReader, Row } from '../shared/catalog.js';
import type { JobCheckpointRow, JobRow } from '../catalog/tables.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import { failedPrecondition, invalidArgument, notFound } from '../shared/domain-error.js';
import type { NewEvent } from '../shared/event.js';
import { STREAM_TABLES, streamIdOf } from '../catalog/catalog.projection.js';
import type { CheckpointReport, JobLifecycleData, JobLifecycleEventType, JobRef, MetricPoint } from './job-lifecycle.events.js';
import { LIVE_STATUSES, nextStatus, type JobMachineEvent } from './job.machine.js';

/**
 * Deciders for everything that happens to a job after it is queued. Each one
 * steps the job machine from the stored status; a step the machine refuses is
 * either a FAILED_PRECONDITION (a user's request) or nothing at all (a
 * runner's observation that is already reflected: observations are idempotent).
 */

const NAMES: Record<JobRef['streamType'], string> = {
  fine_tuning_job: 'Fine Tuning Job',
  evaluation_job: 'Evaluation Job',
  adapter_comparison: 'Adapter comparison',
  model_export: 'Model export',
};

/** A job's status ('' for none: every job row the projection writes has one). */
const statusOf = (job: JobRow): string => job.status ?? '';

const isFiniteLoss = <C extends { eval_loss: number | null }>(c: C): c is C & { eval_loss: number } =>
  typeof c.eval_loss === 'number' && Number.isFinite(c.eval_loss);

/** The row of a job of any kind, typed as a job (undefined: no such job). */
export const readJob = (read: CatalogReader, ref: JobRef): JobRow | undefined => read.get(STREAM_TABLES[ref.streamType], ref.id);

export function loadJob(ref: JobRef, ctx: DecideContext): JobRow {
  if (!ref.id) throw invalidArgument('FIELD.REQUIRED', "Field 'id' is required.");
  if (ref.id.length > 512) throw invalidArgument('FIELD.TOO_LONG', "Field 'id' is too long.");
  const row = readJob(ctx.read, ref);
  if (!row) {
    throw notFound(`${ref.streamType.toUpperCase()}.NOT_FOUND`, `${NAMES[ref.streamType]} with ID '${ref.id}' does not exist.`);
  }
  return row;
}

/** A lifecycle event on the job's stream; its payload is checked against the event union. */
function event<T extends JobLifecycleEventType>(ref: JobRef, type: T, data: JobLifecycleData<T>, ctx: DecideContext): NewEvent<T> {
  const streamId = streamIdOf(ref.streamType, ref.id);
  return { type, streamId, streamType: ref.streamType, data: { id: ref.id, ...data }, expectedVersion: ctx.read.streamVersion(streamId) };
}

/** One machine step, or no events when the machine does not accept it (an observation already applied). */
function observe<T extends JobLifecycleEventType>(ref: JobRef, step: JobMachineEvent, type: T, data: JobLifecycleData<T>, ctx: DecideContext): Decision<JobRow> {
  const job = loadJob(ref, ctx);
  if (!nextStatus(statusOf(job), step)) return { events: [], result: job };
  return { events: [event(ref, type, data, ctx)], result: job };
}

/** The supervisor takes a queued job. */
export const dispatchJob = (ref: JobRef, runner: string, ctx: DecideContext) =>
  observe(ref, { type: 'DISPATCH' }, 'JobDispatched', { runner, message: `Starting on the ${runner} runner.` }, ctx);

/** The runner accepted the work; its handle is kept for reattaching after a restart. */
export const recordRunSubmitted = (ref: JobRef, handle: Record<string, unknown>, ctx: DecideContext) =>
  observe(
    ref,
    { type: 'SUBMITTED' },
    'JobRunSubmitted',
    { handle, message: 'Waiting for resources.', ...(handle.cmlJobId ? { cml_job_id: handle.cmlJobId as string } : {}) },
    ctx,
  );

export type ObservedPhase = 'scheduling' | 'running' | 'succeeded' | 'failed' | 'cancelled';

const PHASE_STEPS: Record<Exclude<ObservedPhase, 'scheduling'>, [JobMachineEvent, 'JobStarted' | 'JobSucceeded' | 'JobFailed' | 'JobCancelled']> = {
  running: [{ type: 'STARTED' }, 'JobStarted'],
  succeeded: [{ type: 'SUCCEEDED' }, 'JobSucceeded'],
  failed: [{ type: 'FAILED' }, 'JobFailed'],
  cancelled: [{ type: 'CANCELLED' }, 'JobCancelled'],
};

/** What the runner says the work is doing now. */
export function recordRunPhase(ref: JobRef, phase: ObservedPhase, message: string, ctx: DecideContext): Decision<JobRow> {
  if (phase === 'scheduling') return { events: [], result: loadJob(ref, ctx) };
  const [step, type] = PHASE_STEPS[phase];
  return observe(ref, step, type, { message: phase === 'running' ? 'Running.' : message }, ctx);
}

/** The job could not be started or was lost: failed with a reason a person can act on. */
export const failJob = (ref: JobRef, message: string, ctx: DecideContext) =>
  observe(ref, { type: 'FAILED' }, 'JobFailed', { message }, ctx);

/** A user asks to stop a job. A queued job is cancelled at once; a live one waits for the runner until the deadline. */
export function cancelJob(ref: JobRef, graceMs: number, ctx: DecideContext): Decision<JobRow> {
  const job = loadJob(ref, ctx);
  const status = statusOf(job);
  const next = nextStatus(status, { type: 'CANCEL' });
  if (!next) {
    throw failedPrecondition(
      'JOB.NOT_CANCELLABLE',
      status === 'cancelling'
        ? `${NAMES[ref.streamType]} '${ref.id}' is already being cancelled.`
        : `${NAMES[ref.streamType]} '${ref.id}' is ${status}; only a queued or running job can be cancelled.`,
    );
  }
  if (next === 'cancelled') {
    return { events: [event(ref, 'JobCancelled', { message: 'Cancelled before it started.' }, ctx)], result: job };
  }
  const deadline = new Date(Date.parse(ctx.now) + graceMs).toISOString();
  return { events: [event(ref, 'JobCancelRequested', { deadline_at: deadline, message: 'Stopping the run.' }, ctx)], result: job };
}

/** Refuses to remove a job the machine says is still live (a running job must be cancelled first). */
export function assertRemovable(ref: JobRef, ctx: DecideContext): JobRow {
  const job = loadJob(ref, ctx);
  const status = statusOf(job);
  if ((LIVE_STATUSES as readonly string[]).includes(status) && !nextStatus(status, { type: 'REMOVE' })) {
    throw failedPrecondition(
      'JOB.STILL_RUNNING',
      `${NAMES[ref.streamType]} '${ref.id}' is ${status}; cancel it and wait until it has stopped before removing it.`,
    );
  }
  return job;
}

/**
 * New metric points read from the run's events file, with how far the file was
 * read. Each point carries the attempt that reported it; a retried run's points
 * for steps an earlier attempt already recorded are left out (the run redoes
 * the steps after its checkpoint), so every step is recorded once.
 */
export function recordProgress(ref: JobRef, points: MetricPoint[], nextOffset: number, ctx: DecideContext): Decision<void> {
  const job = loadJob(ref, ctx);
  const run = ctx.read.get('job_runs', ref.id);
  const attempt = attemptOf(job);
  const replayed = attempt > 1 ? (job.replay_until_step ?? 0) : 0;
  const fresh = points.filter((p) => !(p.step <= replayed)).map((p) => ({ ...p, attempt }));
  if (fresh.length === 0 && (run?.outputs_offset ?? 0) === nextOffset) return { events: [], result: undefined };
  const firstSeq = ctx.read.find('job_metrics', { job_id: ref.id }).length + 1;
  return { events: [event(ref, 'JobProgressRecorded', { first_seq: firstSeq, points: fresh, next_offset: nextOffset }, ctx)], result: undefined };
}

/** The job's current attempt (1 for a job never retried). */
export const attemptOf = (job: Pick<JobRow, 'attempt'>) => (job.attempt && job.attempt > 0 ? job.attempt : 1);

/**
 * The runner's key for the job's current attempt (its run folder): the job id
 * for the first, `<id>.attempt-N` after, so each attempt's submit is
 * idempotent on its own and a retry never reuses a finished run's records.
 */
export function runKeyOf(job: Pick<JobRow, 'id' | 'attempt'>): string {
  const attempt = attemptOf(job);
  return attempt > 1 ? `${job.id}.attempt-${attempt}` : job.id;
}

/** How many runs a job may take in all when no limit was asked for. */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** The longest wait before a retry, however many attempts came before. */
const MAX_RETRY_DELAY_MS = 10 * 60_000;

/** Backoff before attempt `attempt` (≥ 2): base, 2×base, 4×base…, at most ten minutes. */
export const retryDelayMs = (attempt: number, baseMs: number) => Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 2));

/** A checkpoint the run reported; recorded once per attempt and step. */
export function recordCheckpoint(ref: JobRef, checkpoint: CheckpointReport, ctx: DecideContext): Decision<void> {
  const job = loadJob(ref, ctx);
  const attempt = attemptOf(job);
  if (ctx.read.get('job_checkpoints', checkpointId(ref.id, attempt, checkpoint.step))) return { events: [], result: undefined };
  return { events: [event(ref, 'JobCheckpointRecorded', { attempt, checkpoint }, ctx)], result: undefined };
}

export const checkpointId = (jobId: string, attempt: number, step: number) => `${jobId}:${attempt}:${step}`;

/**
 * The checkpoint to promote to the job's adapter: the lowest eval_loss among
 * those that report one (the earliest on a tie), or undefined when none does.
 */
export function bestCheckpoint<C extends Pick<JobCheckpointRow, 'eval_loss' | 'step'>>(checkpoints: C[]): C | undefined {
  let best: (C & { eval_loss: number }) | undefined;
  for (const c of checkpoints) {
    if (!isFiniteLoss(c)) continue;
    if (!best || c.eval_loss < best.eval_loss || (c.eval_loss === best.eval_loss && (c.step ?? 0) < (best.step ?? 0))) best = c;
  }
  return best;
}

/** The job's checkpoints, oldest (lowest step) first. */
export function checkpointsOf(jobId: string, ctx: Pick<DecideContext, 'read'>): JobCheckpointRow[] {
  return ctx.read
    .find('job_checkpoints', { job_id: jobId })
    .sort((a, b) => (a.step ?? 0) - (b.step ?? 0) || (a.attempt ?? 0) - (b.attempt ?? 0));
}

export interface RetryPolicy {
  /** Backoff base: the first retry waits this long, each later one twice as long as the one before. */
  backoffMs: number;
}

/**
 * A run ended for a reason outside the user's control (process gone, a signal
 * we did not send, the template's retryable exit code, engine or node lost).
 * A fine-tuning job with attempts left goes to `retrying`, to resume from its
 * newest checkpoint; anything else fails with the reason.
 */
export function retryOrFailJob(ref: JobRef, reason: string, policy: RetryPolicy, ctx: DecideContext): Decision<JobRow> {
  const job = loadJob(ref, ctx);
  if (ref.streamType !== 'fine_tuning_job' || !nextStatus(statusOf(job), { type: 'RETRY' })) return failJob(ref, reason, ctx);
  const attempt = attemptOf(job);
  const max = job.max_attempts && job.max_attempts > 0 ? job.max_attempts : DEFAULT_MAX_ATTEMPTS;
  if (attempt >= max) {
    return failJob(ref, `${reason} (attempt ${attempt} of ${max}: no retries left)`, ctx);
  }
  const newest = checkpointsOf(ref.id, ctx).at(-1);
  const next = attempt + 1;
  const retryAt = new Date(Date.parse(ctx.now) + retryDelayMs(next, policy.backoffMs)).toISOString();
  const from = newest ? `from the checkpoint at step ${newest.step}` : 'from the start (no checkpoint yet)';
  const message = `${reason} Retrying ${from}: attempt ${next} of ${max}.`;
  return { events: [retryEvent(ref, job, next, newest, retryAt, 'supervisor', message, ctx)], result: job };
}

/**
 * ResumeFineTuningJob: a failed or cancelled job runs again under the same id
 * from its newest checkpoint, or from the one at `step`.
 */
export function resumeJob(ref: JobRef, step: number | undefined, ctx: DecideContext): Decision<JobRow> {
  const job = loadJob(ref, ctx);
  const status = statusOf(job);
  if (!nextStatus(status, { type: 'RESUME' })) {
    throw failedPrecondition('JOB.NOT_RESUMABLE', `${NAMES[ref.streamType]} '${ref.id}' is ${status}; only a failed or cancelled job can be resumed.`);
  }
  const checkpoints = checkpointsOf(ref.id, ctx);
  if (checkpoints.length === 0) {
    throw failedPrecondition('JOB.NO_CHECKPOINT', `${NAMES[ref.streamType]} '${ref.id}' saved no checkpoint, so there is nothing to resume from; start a new job instead.`);
  }
  const chosen = step === undefined ? checkpoints.at(-1) : checkpoints.filter((c) => c.step === step).at(-1);
  if (!chosen) {
    const steps = checkpoints.map((c) => c.step).join(', ');
    throw invalidArgument('JOB.CHECKPOINT_NOT_FOUND', `${NAMES[ref.streamType]} '${ref.id}' has no checkpoint at step ${step}; its checkpoints are at steps ${steps}.`);
  }
  const next = attemptOf(job) + 1;
  const message = `Resuming from the checkpoint at step ${chosen.step} (attempt ${next}).`;
  return { events: [retryEvent(ref, job, next, chosen, ctx.now, 'user', message, ctx)], result: job };
}

function retryEvent(ref: JobRef, job: JobRow, attempt: number, from: JobCheckpointRow | undefined, retryAt: string, by: 'supervisor' | 'user', message: string, ctx: DecideContext): NewEvent {
  const steps = ctx.read.find('job_metrics', { job_id: ref.id }).map((m) => m.step ?? 0);
  const replayUntil = Math.max(job.replay_until_step ?? 0, ...steps, 0);
  return event(
    ref,
    'JobRetryScheduled',
    {
      attempt,
      resume_from: from ? from.path : null,
      resume_step: from ? from.step : null,
      replay_until_step: replayUntil,
      retry_at: retryAt,
      by,
      message,
    },
    ctx,
  );
}

/** The template's `result` line and artifacts; recorded once. */
export function recordResult(ref: JobRef, result: Record<string, unknown>, artifacts: Record<string, unknown>[], ctx: DecideContext): Decision<void> {
  loadJob(ref, ctx);
  if (ctx.read.get('job_results', ref.id)) return { events: [], result: undefined };
  return { events: [event(ref, 'JobResultRecorded', { result, artifacts }, ctx)], result: undefined };
}

export function recordAdapterRegistered(ref: JobRef, adapterId: string, ctx: DecideContext): Decision<void> {
  const job = loadJob(ref, ctx);
  if (job.adapter_id === adapterId) return { events: [], result: undefined };
  return { events: [event(ref, 'JobAdapterRegistered', { adapter_id: adapterId }, ctx)], result: undefined };
}

export function recordDetails(ref: JobRef, set: Record<string, string | number | null>, ctx: DecideContext): Decision<void> {
  const job: Row = loadJob(ref, ctx);
  if (Object.entries(set).every(([k, v]) => job[k] === v)) return { events: [], result: undefined };
  return { events: [event(ref, 'JobDetailsRecorded', { set }, ctx)], result: undefined };
}
