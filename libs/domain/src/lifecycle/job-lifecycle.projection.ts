import type { Mutation, Row } from '../shared/catalog.js';
import type { RecordedEvent } from '../shared/event.js';
import { STREAM_TABLES } from '../catalog/catalog.projection.js';
import type { JobLifecycleEvent, JobStatusRecorded } from './job-lifecycle.events.js';
import { projectionHandlers } from '../shared/projection.js';

const tableOf = (e: RecordedEvent) => STREAM_TABLES[e.streamType];

const status = (to: string, message: (e: RecordedEvent) => string | null) => (e: RecordedEvent): Mutation[] => [
  {
    op: 'update',
    table: tableOf(e),
    id: (e.data as { id: string }).id,
    set: { status: to, status_message: message(e), updated_at: e.recordedAt },
  },
];
const messageOf = (e: RecordedEvent) => (e.data as JobStatusRecorded).message ?? null;
const clearDeadline = (e: RecordedEvent): Mutation => ({
  op: 'update',
  table: 'job_runs',
  id: (e.data as { id: string }).id,
  set: { deadline_kind: null, deadline_at: null, updated_at: e.recordedAt },
});

const optional = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Every lifecycle event's effect on the tables; each handler gets its own event's payload. */
export const jobLifecycleProjection = projectionHandlers<JobLifecycleEvent>({
  JobDispatched: (e) => {
    const d = e.data;
    return [
      ...status('dispatching', (ev) => messageOf(ev) ?? `Starting on the ${d.runner} runner.`)(e),
      {
        op: 'insert',
        table: 'job_runs',
        row: { id: d.id, job_type: e.streamType, runner: d.runner, handle: null, outputs_offset: 0, deadline_kind: null, deadline_at: null, updated_at: e.recordedAt },
      },
    ];
  },
  JobRunSubmitted: (e) => {
    const d = e.data;
    const out = status('scheduling', (ev) => messageOf(ev) ?? 'Waiting for resources.')(e);
    out.push({ op: 'update', table: 'job_runs', id: d.id, set: { handle: JSON.stringify(d.handle), updated_at: e.recordedAt } });
    if (d.cml_job_id && e.streamType !== 'adapter_comparison') {
      out.push({ op: 'update', table: tableOf(e), id: d.id, set: { cml_job_id: d.cml_job_id } });
    }
    return out;
  },
  JobStarted: status('running', (ev) => messageOf(ev) ?? 'Running.'),
  JobSucceeded: (e) => [...status('succeeded', messageOf)(e), clearDeadline(e)],
  JobFailed: (e) => [...status('failed', messageOf)(e), clearDeadline(e)],
  JobCancelled: (e) => [...status('cancelled', messageOf)(e), clearDeadline(e)],
  JobCancelRequested: (e) => {
    const d = e.data;
    return [
      ...status('cancelling', (ev) => messageOf(ev) ?? 'Stopping the run.')(e),
      { op: 'update', table: 'job_runs', id: d.id, set: { deadline_kind: 'cancel', deadline_at: d.deadline_at, updated_at: e.recordedAt } },
    ];
  },
  JobProgressRecorded: (e) => {
    const d = e.data;
    const out: Mutation[] = d.points.map((p, i): Mutation => {
      const seq = d.first_seq + i;
      const row: Row = {
        id: `${d.id}:${seq}`,
        job_id: d.id,
        seq,
        step: p.step,
        total_steps: optional(p.total_steps),
        epoch: optional(p.epoch),
        loss: optional(p.loss),
        eval_loss: optional(p.eval_loss),
        learning_rate: optional(p.learning_rate),
        grad_norm: optional(p.grad_norm),
        at: p.at,
        attempt: optional(p.attempt) ?? 1,
      };
      return { op: 'insert', table: 'job_metrics', row };
    });
    out.push({ op: 'update', table: 'job_runs', id: d.id, set: { outputs_offset: d.next_offset, updated_at: e.recordedAt } });
    return out;
  },
  JobResultRecorded: (e) => {
    const d = e.data;
    return [
      {
        op: 'insert',
        table: 'job_results',
        row: { id: d.id, job_type: e.streamType, result: JSON.stringify(d.result), artifacts: JSON.stringify(d.artifacts), recorded_at: e.recordedAt },
      },
    ];
  },
  JobAdapterRegistered: (e) => {
    const d = e.data;
    return [{ op: 'update', table: tableOf(e), id: d.id, set: { adapter_id: d.adapter_id, updated_at: e.recordedAt } }];
  },
  JobCheckpointRecorded: (e) => {
    const d = e.data;
    const c = d.checkpoint;
    return [
      {
        op: 'insert',
        table: 'job_checkpoints',
        row: {
          id: `${d.id}:${d.attempt}:${c.step}`,
          job_id: d.id,
          attempt: d.attempt,
          step: c.step,
          epoch: optional(c.epoch),
          loss: optional(c.loss),
          eval_loss: optional(c.eval_loss),
          path: c.path,
          at: c.at,
        },
      },
    ];
  },
  JobRetryScheduled: (e) => {
    const d = e.data;
    return [
      ...status('retrying', messageOf)(e),
      {
        op: 'update',
        table: tableOf(e),
        id: d.id,
        set: { attempt: d.attempt, resume_from: d.resume_from, replay_until_step: d.replay_until_step, retry_at: d.retry_at },
      },
      // The next dispatch records the new run afresh (its handle, and its own events file read from 0).
      { op: 'delete', table: 'job_runs', id: d.id },
    ];
  },
  JobDetailsRecorded: (e) => {
    const d = e.data;
    return [{ op: 'update', table: tableOf(e), id: d.id, set: { ...d.set, updated_at: e.recordedAt } }];
  },
});
