import { projectEvent } from '../projections.js';
import { given } from '../../test/support/testing.js';
import type { NewEvent } from '../shared/event.js';
import {
  assertRemovable,
  cancelJob,
  dispatchJob,
  failJob,
  recordAdapterRegistered,
  recordProgress,
  recordResult,
  recordRunPhase,
  recordRunSubmitted,
} from './job-lifecycle.decider.js';
import type { JobRef } from './job-lifecycle.events.js';

const ref: JobRef = { streamType: 'fine_tuning_job', id: 'j1' };
const queued: NewEvent = {
  type: 'FineTuningJobQueued',
  streamId: 'fine_tuning_job-j1',
  streamType: 'fine_tuning_job',
  data: { row: { id: 'j1', status: 'queued', adapter_name: 'a' } },
};
const on = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
  type,
  streamId: 'fine_tuning_job-j1',
  streamType: 'fine_tuning_job',
  data: { id: 'j1', ...data },
});
const dispatched = on('JobDispatched', { runner: 'local' });
const submitted = on('JobRunSubmitted', { handle: { runner: 'local', pid: 42 } });
const started = on('JobStarted');

describe('a queued job', () => {
  it('is dispatched, and records the runner’s handle', () => {
    const g = given(projectEvent, [queued]);
    expect(g.run((ctx) => dispatchJob(ref, 'local', ctx)).events.map((e) => e.type)).toEqual(['JobDispatched']);
    expect(g.catalog.get('fine_tuning_jobs', 'j1')).toMatchObject({ status: 'dispatching' });
    g.run((ctx) => recordRunSubmitted(ref, { runner: 'local', pid: 42 }, ctx));
    expect(g.catalog.get('fine_tuning_jobs', 'j1')).toMatchObject({ status: 'scheduling' });
    expect(JSON.parse(String(g.catalog.get('job_runs', 'j1')?.handle))).toEqual({ runner: 'local', pid: 42 });
  });

  it('is cancelled at once (nothing runs yet) and may be removed', () => {
    const g = given(projectEvent, [queued]);
    expect(g.run((ctx) => cancelJob(ref, 5000, ctx)).events.map((e) => e.type)).toEqual(['JobCancelled']);
    expect(g.catalog.get('fine_tuning_jobs', 'j1')).toMatchObject({ status: 'cancelled' });
  });

  it('ignores an observation that does not apply (idempotent)', () => {
    const g = given(projectEvent, [queued]);
    g.attempt((ctx) => recordRunPhase(ref, 'succeeded', 'done', ctx)).then([]);
  });
});

describe('a running job', () => {
  const history = [queued, dispatched, submitted, started];

  it('records progress points with per-job sequence numbers and the read offset', () => {
    const g = given(projectEvent, history);
    g.run((ctx) => recordProgress(ref, [{ step: 1, loss: 2, at: 't1' }, { step: 2, loss: 1.5, eval_loss: 1.7, at: 't2' }], 120, ctx));
    g.run((ctx) => recordProgress(ref, [{ step: 3, loss: 1.2, at: 't3' }], 180, ctx));
    expect(g.catalog.find('job_metrics', { job_id: 'j1' }).map((r) => [r.seq, r.step, r.loss, r.eval_loss])).toEqual([
      [1, 1, 2, null],
      [2, 2, 1.5, 1.7],
      [3, 3, 1.2, null],
    ]);
    expect(g.catalog.get('job_runs', 'j1')).toMatchObject({ outputs_offset: 180 });
    g.attempt((ctx) => recordProgress(ref, [], 180, ctx)).then([]);
  });

  it('asks the runner to stop with a deadline, then records the confirmation', () => {
    const g = given(projectEvent, history);
    const d = g.run((ctx) => cancelJob(ref, 5000, ctx));
    expect(d.events[0]).toMatchObject({ type: 'JobCancelRequested', data: { deadline_at: '2026-01-01T00:00:05.000Z' } });
    expect(g.catalog.get('job_runs', 'j1')).toMatchObject({ deadline_kind: 'cancel' });
    g.attempt((ctx) => cancelJob(ref, 5000, ctx)).thenThrows('JOB.NOT_CANCELLABLE');
    g.run((ctx) => recordRunPhase(ref, 'cancelled', 'Cancelled.', ctx));
    expect(g.catalog.get('fine_tuning_jobs', 'j1')).toMatchObject({ status: 'cancelled', status_message: 'Cancelled.' });
    expect(g.catalog.get('job_runs', 'j1')).toMatchObject({ deadline_kind: null });
  });

  it('records what really happened when the run finished before the stop landed', () => {
    const g = given(projectEvent, [...history, on('JobCancelRequested', { deadline_at: 'x' })]);
    g.run((ctx) => recordRunPhase(ref, 'succeeded', 'Finished.', ctx));
    expect(g.catalog.get('fine_tuning_jobs', 'j1')).toMatchObject({ status: 'succeeded' });
  });

  it('cannot be removed until it has stopped', () => {
    const g = given(projectEvent, history);
    g.attempt((ctx) => assertRemovable(ref, ctx)).thenThrows('JOB.STILL_RUNNING');
  });

  it('fails with a reason, records its result once and the adapter it produced', () => {
    const g = given(projectEvent, history);
    g.run((ctx) => recordResult(ref, { final_loss: 0.5 }, [{ kind: 'adapter', path: 'p' }], ctx));
    g.attempt((ctx) => recordResult(ref, { final_loss: 0.1 }, [], ctx)).then([]);
    g.run((ctx) => recordRunPhase(ref, 'succeeded', 'Finished.', ctx));
    g.run((ctx) => recordAdapterRegistered(ref, 'ad1', ctx));
    expect(g.catalog.get('fine_tuning_jobs', 'j1')).toMatchObject({ status: 'succeeded', adapter_id: 'ad1' });
    expect(JSON.parse(String(g.catalog.get('job_results', 'j1')?.result))).toEqual({ final_loss: 0.5 });
  });
});

describe('a finished job', () => {
  it('refuses cancel with FAILED_PRECONDITION and a sentence', () => {
    const g = given(projectEvent, [queued, dispatched, submitted, started, on('JobFailed', { message: 'exited with code 1' })]);
    expect(() => g.when((ctx) => cancelJob(ref, 5000, ctx))).toThrow("Fine Tuning Job 'j1' is failed; only a queued or running job can be cancelled.");
    g.attempt((ctx) => failJob(ref, 'again', ctx)).then([]);
    expect(g.when((ctx) => assertRemovable(ref, ctx))).toMatchObject({ id: 'j1' });
  });

  it('says NOT_FOUND for an unknown job', () => {
    given(projectEvent, []).attempt((ctx) => cancelJob(ref, 1, ctx)).thenThrows('FINE_TUNING_JOB.NOT_FOUND');
  });
});
