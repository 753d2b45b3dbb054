import { projectEvent } from '../projections.js';
import { given } from '../../test/support/testing.js';
import type { NewEvent } from '../shared/event.js';
import {
  bestCheckpoint,
  cancelJob,
  checkpointsOf,
  dispatchJob,
  recordCheckpoint,
  recordProgress,
  recordRunSubmitted,
  resumeJob,
  retryDelayMs,
  retryOrFailJob,
} from './job-lifecycle.decider.js';
import type { JobRef } from './job-lifecycle.events.js';

const ref: JobRef = { streamType: 'fine_tuning_job', id: 'j1' };
const queued = (row: Record<string, unknown> = {}): NewEvent => ({
  type: 'FineTuningJobQueued',
  streamId: 'fine_tuning_job-j1',
  streamType: 'fine_tuning_job',
  data: { row: { id: 'j1', status: 'queued', adapter_name: 'a', attempt: 1, max_attempts: 3, ...row } },
});
const on = (type: string, data: Record<string, unknown> = {}): NewEvent => ({
  type,
  streamId: 'fine_tuning_job-j1',
  streamType: 'fine_tuning_job',
  data: { id: 'j1', ...data },
});
const running = (row: Record<string, unknown> = {}) => [
  queued(row),
  on('JobDispatched', { runner: 'local' }),
  on('JobRunSubmitted', { handle: { runner: 'local', pid: 42 } }),
  on('JobStarted'),
];
const policy = { backoffMs: 1000 };
const points = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ step: from + i, loss: 1 / (from + i), at: `t${from + i}` }));
const checkpoint = (step: number) => ({ step, epoch: step / 20, loss: 0.5, eval_loss: 0.6, path: `.app/job_runs/j1/checkpoints/checkpoint-${step}`, at: 't' });

describe('checkpoints', () => {
  it('are recorded once per attempt and step, and listed by step', () => {
    const g = given(projectEvent, running());
    g.run((ctx) => recordCheckpoint(ref, checkpoint(10), ctx));
    g.run((ctx) => recordCheckpoint(ref, checkpoint(5), ctx));
    g.attempt((ctx) => recordCheckpoint(ref, checkpoint(5), ctx)).then([]);
    expect(checkpointsOf('j1', { read: g.catalog }).map((c) => [c.step, c.attempt, c.eval_loss, c.path])).toEqual([
      [5, 1, 0.6, '.app/job_runs/j1/checkpoints/checkpoint-5'],
      [10, 1, 0.6, '.app/job_runs/j1/checkpoints/checkpoint-10'],
    ]);
  });
});

describe('bestCheckpoint', () => {
  it('is the lowest eval_loss, the earliest on a tie, ignoring checkpoints without one', () => {
    const c = (step: number, eval_loss: number | null) => ({ id: `j1:1:${step}`, step, eval_loss });
    expect(bestCheckpoint([c(2, 0.9), c(4, 0.5), c(6, null), c(8, 0.5), c(10, 0.7)])?.step).toBe(4);
    expect(bestCheckpoint([c(2, null)])).toBeUndefined();
    expect(bestCheckpoint([])).toBeUndefined();
  });
});

describe('a run that dies for a reason outside the user’s control', () => {
  it('is retried from the newest checkpoint after the backoff, and redone steps are recorded once', () => {
    const g = given(projectEvent, running());
    g.run((ctx) => recordProgress(ref, points(1, 5), 100, ctx));
    g.run((ctx) => recordCheckpoint(ref, checkpoint(5), ctx));
    g.run((ctx) => recordProgress(ref, points(6, 7), 140, ctx));
    const d = g.run((ctx) => retryOrFailJob(ref, 'The run was killed by SIGKILL.', policy, ctx));
    expect(d.events[0]).toMatchObject({
      type: 'JobRetryScheduled',
      data: { attempt: 2, resume_step: 5, replay_until_step: 7, retry_at: '2026-01-01T00:00:01.000Z', by: 'supervisor' },
    });
    expect(g.catalog.get('fine_tuning_jobs', 'j1')).toMatchObject({
      status: 'retrying',
      attempt: 2,
      resume_from: '.app/job_runs/j1/checkpoints/checkpoint-5',
      status_message: 'The run was killed by SIGKILL. Retrying from the checkpoint at step 5: attempt 2 of 3.',
    });
    // The next dispatch records the new run afresh, its events read from 0.
    expect(g.catalog.get('job_runs', 'j1')).toBeUndefined();
    g.run((ctx) => dispatchJob(ref, 'local', ctx));
    g.run((ctx) => recordRunSubmitted(ref, { runner: 'local', pid: 43 }, ctx));
    expect(g.catalog.get('job_runs', 'j1')).toMatchObject({ outputs_offset: 0 });
    g.run((ctx) => recordProgress(ref, points(6, 9), 90, ctx));
    const metrics = g.catalog.find('job_metrics', { job_id: 'j1' }).sort((a, b) => Number(a.seq) - Number(b.seq));
    expect(metrics.map((m) => [m.step, m.attempt])).toEqual([
      [1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1], [7, 1], [8, 2], [9, 2],
    ]);
    expect(g.catalog.get('job_runs', 'j1')).toMatchObject({ outputs_offset: 90 });
  });

  it('starts over when there is no checkpoint yet, and backs off twice as long each time', () => {
    const g = given(projectEvent, running({ max_attempts: 5 }));
    expect(g.run((ctx) => retryOrFailJob(ref, 'The run is gone.', policy, ctx)).events[0]).toMatchObject({
      data: { attempt: 2, resume_from: null, resume_step: null },
    });
    expect(g.catalog.get('fine_tuning_jobs', 'j1')?.status_message).toBe('The run is gone. Retrying from the start (no checkpoint yet): attempt 2 of 5.');
    expect([2, 3, 4, 20].map((a) => retryDelayMs(a, 1000))).toEqual([1000, 2000, 4000, 600_000]);
  });

  it('fails once its attempts are used up', () => {
    const g = given(projectEvent, running({ max_attempts: 2 }));
    g.run((ctx) => retryOrFailJob(ref, 'The run is gone.', policy, ctx));
    g.run((ctx) => dispatchJob(ref, 'local', ctx));
    expect(g.run((ctx) => retryOrFailJob(ref, 'The run is gone.', policy, ctx)).events.map((e) => e.type)).toEqual(['JobFailed']);
    expect(g.catalog.get('fine_tuning_jobs', 'j1')).toMatchObject({ status: 'failed', status_message: 'The run is gone. (attempt 2 of 2: no retries left)' });
  });

  it('is not retried while it is being cancelled (we sent the signal), nor is a job of another kind', () => {
    const g = given(projectEvent, [...running(), on('JobCancelRequested', { deadline_at: 'x' })]);
    expect(g.run((ctx) => retryOrFailJob(ref, 'The run was killed by SIGTERM.', policy, ctx)).events.map((e) => e.type)).toEqual(['JobFailed']);
    const evalRef: JobRef = { streamType: 'evaluation_job', id: 'e1' };
    const e = given(projectEvent, [
      { type: 'EvaluationJobQueued', streamId: 'evaluation_job-e1', streamType: 'evaluation_job', data: { row: { id: 'e1', status: 'queued' } } },
      { type: 'JobDispatched', streamId: 'evaluation_job-e1', streamType: 'evaluation_job', data: { id: 'e1', runner: 'local' } },
    ]);
    expect(e.run((ctx) => retryOrFailJob(evalRef, 'gone', policy, ctx)).events.map((x) => x.type)).toEqual(['JobFailed']);
  });

  it('can be cancelled while it waits for its retry', () => {
    const g = given(projectEvent, running());
    g.run((ctx) => retryOrFailJob(ref, 'The run is gone.', policy, ctx));
    expect(g.run((ctx) => cancelJob(ref, 5000, ctx)).events.map((e) => e.type)).toEqual(['JobCancelled']);
    expect(g.catalog.get('fine_tuning_jobs', 'j1')).toMatchObject({ status: 'cancelled' });
  });
});

describe('ResumeFineTuningJob', () => {
  const cancelled = () => [...running(), on('JobCancelRequested', { deadline_at: 'x' }), on('JobCancelled', { message: 'Cancelled.' })];

  it('runs a cancelled job again from its newest checkpoint, or a chosen one', () => {
    const g = given(projectEvent, cancelled());
    g.run((ctx) => recordCheckpoint(ref, checkpoint(5), ctx));
    g.run((ctx) => recordCheckpoint(ref, checkpoint(10), ctx));
    expect(g.when((ctx) => resumeJob(ref, undefined, ctx)).events[0]).toMatchObject({ data: { attempt: 2, resume_step: 10, by: 'user' } });
    g.run((ctx) => resumeJob(ref, 5, ctx));
    expect(g.catalog.get('fine_tuning_jobs', 'j1')).toMatchObject({
      status: 'retrying',
      resume_from: '.app/job_runs/j1/checkpoints/checkpoint-5',
      status_message: 'Resuming from the checkpoint at step 5 (attempt 2).',
    });
  });

  it('answers FAILED_PRECONDITION without a checkpoint or for a live job, INVALID_ARGUMENT for an unknown step', () => {
    const g = given(projectEvent, cancelled());
    expect(() => g.when((ctx) => resumeJob(ref, undefined, ctx))).toThrow(
      "Fine Tuning Job 'j1' saved no checkpoint, so there is nothing to resume from; start a new job instead.",
    );
    g.run((ctx) => recordCheckpoint(ref, checkpoint(5), ctx));
    g.attempt((ctx) => resumeJob(ref, 7, ctx)).thenThrows('JOB.CHECKPOINT_NOT_FOUND');
    given(projectEvent, running()).attempt((ctx) => resumeJob(ref, undefined, ctx)).thenThrows('JOB.NOT_RESUMABLE');
  });
});
