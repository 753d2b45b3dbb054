import { EventRecord, FineTuningJob, MetricPoint, entityIdOf } from '../../../core/models';

/** Status a lifecycle event moves a job to (as the server's projection does). */
export const STATUS_BY_EVENT: Record<string, string> = {
  JobDispatched: 'dispatching',
  JobRunSubmitted: 'scheduling',
  JobStarted: 'running',
  JobSucceeded: 'succeeded',
  JobFailed: 'failed',
  JobCancelRequested: 'cancelling',
  JobCancelled: 'cancelled',
  JobRetryScheduled: 'retrying',
};

export interface JobPatch {
  /** The list after the event (same array when nothing changed). */
  jobs: FineTuningJob[];
  /** Id of a job to fetch again from the server (new, or details the event doesn't carry). */
  refetch?: string;
  removed?: boolean;
}

/**
 * Applies one live event to the jobs list without touching other rows:
 * the changed row gets a new object, every other row keeps its reference (OnPush rows skip).
 */
export function applyJobEvent(jobs: FineTuningJob[], e: EventRecord): JobPatch {
  if (e.stream_type !== 'fine_tuning_job') return { jobs };
  const id = entityIdOf(e);
  const idx = jobs.findIndex((j) => j.id === id);
  if (e.type === 'FineTuningJobRemoved') {
    return idx < 0 ? { jobs } : { jobs: jobs.filter((j) => j.id !== id), removed: true };
  }
  if (idx < 0 && (e.type === 'FineTuningJobQueued' || e.type === 'FineTuningJobAdded')) {
    const row = e.data?.['row'] as FineTuningJob | undefined;
    // The event carries the new row; add it now and fetch the projected row for the remaining columns.
    return { jobs: row?.id ? [...jobs, { ...row, status: row.status ?? 'queued' }] : jobs, refetch: id };
  }
  if (idx < 0) return { jobs, refetch: id };
  // The stream replays history on connect: never move a row back to an older state.
  const updated = jobs[idx].updated_at;
  if (updated && e.recorded_at && e.recorded_at < updated && e.type !== 'JobAdapterRegistered') return { jobs };
  const status = STATUS_BY_EVENT[e.type];
  if (status) {
    const msg = typeof e.data?.['message'] === 'string' ? (e.data['message'] as string) : jobs[idx].status_message;
    const next = jobs.slice();
    next[idx] = { ...jobs[idx], status, status_message: msg, updated_at: e.recorded_at };
    // A retry or resume starts the job's next attempt.
    if (e.type === 'JobRetryScheduled' && Number(e.data?.['attempt']) > 0) next[idx].attempt = Number(e.data?.['attempt']);
    return { jobs: next };
  }
  if (e.type === 'JobStatusRecorded' && typeof e.data?.['message'] === 'string') {
    const next = jobs.slice();
    next[idx] = { ...jobs[idx], status_message: e.data['message'] as string };
    return { jobs: next };
  }
  if (e.type === 'JobAdapterRegistered' || e.type === 'JobDetailsRecorded') return { jobs, refetch: id };
  return { jobs };
}

/** Metric points carried by a JobProgressRecorded event, in the HTTP API's shape. */
export function pointsFromEvent(e: EventRecord): MetricPoint[] {
  const pts = (e.data?.['points'] as Record<string, unknown>[] | undefined) ?? [];
  return pts.map((p) => ({
    step: Number(p['step']),
    total_steps: p['total_steps'] as number | undefined,
    at: String(p['at'] ?? e.recorded_at),
    values: {
      loss: p['loss'] as number | undefined,
      eval_loss: p['eval_loss'] as number | undefined,
      learning_rate: p['learning_rate'] as number | undefined,
      grad_norm: p['grad_norm'] as number | undefined,
      epoch: p['epoch'] as number | undefined,
    },
    attempt: typeof p['attempt'] === 'number' ? p['attempt'] : 1,
  }));
}
