import { EventRecord, FineTuningJob, METRIC_NAMES, MetricPoint, entityIdOf } from '../../../core/models';

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
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  return pts.map((p) => ({
    step: Number(p['step']),
    total_steps: finite(p['total_steps']) ? p['total_steps'] : 0,
    at: String(p['at'] ?? e.recorded_at),
    // Only the metrics the template reported, as GET /jobs/{id}/metrics sends them.
    values: Object.fromEntries(METRIC_NAMES.filter((m) => finite(p[m])).map((m) => [m, p[m] as number])),
    attempt: typeof p['attempt'] === 'number' ? p['attempt'] : 1,
  }));
}
