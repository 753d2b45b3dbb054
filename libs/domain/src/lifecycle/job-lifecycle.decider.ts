import type { Row } from '../shared/catalog.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import { failedPrecondition, invalidArgument, notFound } from '../shared/domain-error.js';
import type { NewEvent } from '../shared/event.js';
import { STREAM_TABLES, streamIdOf } from '../catalog/catalog.projection.js';
import type { JobLifecycleEventType, JobRef, MetricPoint } from './job-lifecycle.events.js';
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

export function loadJob(ref: JobRef, ctx: DecideContext): Row {
  if (!ref.id) throw invalidArgument('FIELD.REQUIRED', "Field 'id' is required.");
  if (ref.id.length > 512) throw invalidArgument('FIELD.TOO_LONG', "Field 'id' is too long.");
  const row = ctx.read.get(STREAM_TABLES[ref.streamType], ref.id);
  if (!row) {
    throw notFound(`${ref.streamType.toUpperCase()}.NOT_FOUND`, `${NAMES[ref.streamType]} with ID '${ref.id}' does not exist.`);
  }
  return row;
}

const event = (ref: JobRef, type: JobLifecycleEventType, data: Record<string, unknown>, ctx: DecideContext): NewEvent => {
  const streamId = streamIdOf(ref.streamType, ref.id);
  return { type, streamId, streamType: ref.streamType, data: { id: ref.id, ...data }, expectedVersion: ctx.read.streamVersion(streamId) };
};

/** One machine step, or no events when the machine does not accept it (an observation already applied). */
function observe(ref: JobRef, step: JobMachineEvent, type: JobLifecycleEventType, data: Record<string, unknown>, ctx: DecideContext): Decision<Row> {
  const job = loadJob(ref, ctx);
  if (!nextStatus(String(job.status), step)) return { events: [], result: job };
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
    { handle, message: 'Waiting for resources.', ...(handle.cmlJobId ? { cml_job_id: handle.cmlJobId } : {}) },
    ctx,
  );

export type ObservedPhase = 'scheduling' | 'running' | 'succeeded' | 'failed' | 'cancelled';

const PHASE_STEPS: Record<Exclude<ObservedPhase, 'scheduling'>, [JobMachineEvent, JobLifecycleEventType]> = {
  running: [{ type: 'STARTED' }, 'JobStarted'],
  succeeded: [{ type: 'SUCCEEDED' }, 'JobSucceeded'],
  failed: [{ type: 'FAILED' }, 'JobFailed'],
  cancelled: [{ type: 'CANCELLED' }, 'JobCancelled'],
};

/** What the runner says the work is doing now. */
export function recordRunPhase(ref: JobRef, phase: ObservedPhase, message: string, ctx: DecideContext): Decision<Row> {
  if (phase === 'scheduling') return { events: [], result: loadJob(ref, ctx) };
  const [step, type] = PHASE_STEPS[phase];
  return observe(ref, step, type, { message: phase === 'running' ? 'Running.' : message }, ctx);
}

/** The job could not be started or was lost: failed with a reason a person can act on. */
export const failJob = (ref: JobRef, message: string, ctx: DecideContext) =>
  observe(ref, { type: 'FAILED' }, 'JobFailed', { message }, ctx);

/** A user asks to stop a job. A queued job is cancelled at once; a live one waits for the runner until the deadline. */
export function cancelJob(ref: JobRef, graceMs: number, ctx: DecideContext): Decision<Row> {
  const job = loadJob(ref, ctx);
  const status = String(job.status);
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
export function assertRemovable(ref: JobRef, ctx: DecideContext): Row {
  const job = loadJob(ref, ctx);
  const status = String(job.status ?? '');
  if ((LIVE_STATUSES as readonly string[]).includes(status) && !nextStatus(status, { type: 'REMOVE' })) {
    throw failedPrecondition(
      'JOB.STILL_RUNNING',
      `${NAMES[ref.streamType]} '${ref.id}' is ${status}; cancel it and wait until it has stopped before removing it.`,
    );
  }
  return job;
}

/** New metric points read from the run's events file, with how far the file was read. */
export function recordProgress(ref: JobRef, points: MetricPoint[], nextOffset: number, ctx: DecideContext): Decision<void> {
  loadJob(ref, ctx);
  const run = ctx.read.get('job_runs', ref.id);
  if (points.length === 0 && Number(run?.outputs_offset ?? 0) === nextOffset) return { events: [], result: undefined };
  const firstSeq = ctx.read.find('job_metrics', { job_id: ref.id }).length + 1;
  return { events: [event(ref, 'JobProgressRecorded', { first_seq: firstSeq, points, next_offset: nextOffset }, ctx)], result: undefined };
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
  const job = loadJob(ref, ctx);
  if (Object.entries(set).every(([k, v]) => job[k] === v)) return { events: [], result: undefined };
  return { events: [event(ref, 'JobDetailsRecorded', { set }, ctx)], result: undefined };
}
