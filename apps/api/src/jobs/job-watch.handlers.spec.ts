import type { JobUpdate } from '@fts/proto';
import { JobWatchHandlers } from './job-watch.handlers.js';
import { errorOf, lifecycle, openKit, point, progress, queued, type Kit } from '../../test/support/job-test-kit.js';

const FT = 'fine_tuning_job' as const;

/** Subscribes and collects; `done` resolves when the stream completes. */
function collect(handlers: JobWatchHandlers, jobId: string) {
  const updates: JobUpdate[] = [];
  let completed = false;
  let sub: { unsubscribe(): void } | undefined;
  const done = new Promise<JobUpdate[]>((resolve, reject) => {
    sub = handlers.watch(jobId).subscribe({
      next: (u) => updates.push(u),
      error: reject,
      complete: () => {
        completed = true;
        resolve(updates);
      },
    });
  });
  return { updates, done, completed: () => completed, unsubscribe: () => sub?.unsubscribe() };
}

const brief = (u: JobUpdate) => (u.kind === 'status' ? `${u.kind}:${u.status}` : `${u.kind}:${u.metric?.step}`);

describe('JobWatchHandlers', () => {
  let kit: Kit;
  let handlers: JobWatchHandlers;

  beforeEach(async () => {
    kit = await openKit();
    handlers = new JobWatchHandlers(kit.reader, kit.store, kit.bus);
  });
  afterEach(() => kit.close());

  describe('GetJobMetrics', () => {
    it('answers [] for a job with no progress yet, then every point in order with only the metrics reported', () => {
      kit.append(queued(FT, 'j1'));
      expect(handlers.metrics('j1')).toEqual([]);
      kit.append(
        lifecycle(FT, 'j1', 'JobDispatched', { runner: 'local' }),
        lifecycle(FT, 'j1', 'JobStarted'),
        progress(FT, 'j1', 1, [point(1, { epoch: 0.5, learning_rate: 0.0002 }), point(2, { total_steps: undefined, eval_loss: 1.5, grad_norm: 0.3 })]),
        progress(FT, 'j1', 3, [point(3)]),
      );
      expect(handlers.metrics('j1')).toEqual([
        { step: 1, total_steps: 10, values: { epoch: 0.5, loss: 1.9, learning_rate: 0.0002 }, at: '2026-01-01T00:00:01.000Z', attempt: 1 },
        { step: 2, total_steps: 0, values: { loss: 1.8, eval_loss: 1.5, grad_norm: 0.3 }, at: '2026-01-01T00:00:02.000Z', attempt: 1 },
        { step: 3, total_steps: 10, values: { loss: 1.7 }, at: '2026-01-01T00:00:03.000Z', attempt: 1 },
      ]);
    });

    it('finds jobs of every kind, and refuses unknown and missing ids', () => {
      kit.append(queued('evaluation_job', 'e1'), queued('adapter_comparison', 'c1'), queued('model_export', 'x1'));
      for (const id of ['e1', 'c1', 'x1']) expect(handlers.metrics(id)).toEqual([]);
      expect(errorOf(() => handlers.metrics('ghost'))).toMatchObject({ kind: 'not_found', code: 'JOB.NOT_FOUND' });
      expect(errorOf(() => handlers.metrics(''))).toMatchObject({ kind: 'invalid_argument', message: "Field 'job_id' is required in GetJobMetricsRequest." });
      expect(errorOf(() => handlers.metrics('x'.repeat(600)))).toMatchObject({ kind: 'invalid_argument', code: 'FIELD.TOO_LONG' });
    });
  });

  describe('WatchJob', () => {
    it('refuses an unknown job before streaming', () => {
      expect(errorOf(() => handlers.watch('ghost'))).toMatchObject({ kind: 'not_found', code: 'JOB.NOT_FOUND' });
      expect(errorOf(() => handlers.watch(''))).toMatchObject({ kind: 'invalid_argument', message: "Field 'job_id' is required in WatchJobRequest." });
    });

    it('sends the status, the history, then every live change at once, and ends on the terminal status', async () => {
      kit.append(queued(FT, 'j1'), lifecycle(FT, 'j1', 'JobDispatched', { runner: 'local' }), lifecycle(FT, 'j1', 'JobStarted'));
      const [p] = kit.append(progress(FT, 'j1', 1, [point(1), point(2)]));
      const w = collect(handlers, 'j1');
      expect(w.updates.map(brief)).toEqual(['status:running', 'metric:1', 'metric:2']);
      expect(w.updates[0]).toMatchObject({ job_id: 'j1', status_message: 'Running.', position: p.position });
      expect(w.updates[1].metric).toEqual({ step: 1, total_steps: 10, values: { loss: 1.9 }, at: '2026-01-01T00:00:01.000Z', attempt: 1 });

      // Live: delivered synchronously with the publication (no polling), one update per point.
      const [live] = kit.append(progress(FT, 'j1', 3, [point(3), point(4)]));
      expect(w.updates.map(brief).slice(3)).toEqual(['metric:3', 'metric:4']);
      expect(w.updates[3]).toMatchObject({ position: live.position, recorded_at: live.recordedAt });

      kit.append(lifecycle(FT, 'j1', 'JobSucceeded', { message: 'Finished.' }));
      expect(w.updates.at(-1)).toMatchObject({ kind: 'status', status: 'succeeded', status_message: 'Finished.' });
      await w.done;
      expect(w.updates.map(brief)).toEqual(['status:running', 'metric:1', 'metric:2', 'metric:3', 'metric:4', 'status:succeeded']);
    });

    it('follows every status of the machine, from queued to cancelled', async () => {
      kit.append(queued(FT, 'j1'));
      const w = collect(handlers, 'j1');
      kit.append(lifecycle(FT, 'j1', 'JobDispatched', { runner: 'local' }));
      kit.append(lifecycle(FT, 'j1', 'JobRunSubmitted', { handle: { runner: 'local', jobId: 'j1', runDir: '/x' } }));
      kit.append(lifecycle(FT, 'j1', 'JobStarted'));
      kit.append(lifecycle(FT, 'j1', 'JobCancelRequested', { deadline_at: '2026-01-01T00:00:05.000Z' }));
      kit.append(lifecycle(FT, 'j1', 'JobCancelled', { message: 'Cancelled.' }));
      await w.done;
      expect(w.updates.map((u) => [u.status, u.status_message])).toEqual([
        ['queued', 'Waiting for a runner.'],
        ['dispatching', 'Starting on the local runner.'],
        ['scheduling', 'Waiting for resources.'],
        ['running', 'Running.'],
        ['cancelling', 'Stopping the run.'],
        ['cancelled', 'Cancelled.'],
      ]);
    });

    it('sends the history of a finished job and ends', async () => {
      kit.append(queued(FT, 'j1'), lifecycle(FT, 'j1', 'JobDispatched', { runner: 'local' }), progress(FT, 'j1', 1, [point(1)]));
      kit.append(lifecycle(FT, 'j1', 'JobFailed', { message: 'CUDA out of memory.' }));
      const updates = await collect(handlers, 'j1').done;
      expect(updates.map(brief)).toEqual(['status:failed', 'metric:1']);
      expect(updates[0].status_message).toBe('CUDA out of memory.');
    });

    it('still sends what was committed together with the final status (a message set after success)', async () => {
      kit.append(queued(FT, 'j1'), lifecycle(FT, 'j1', 'JobDispatched', { runner: 'local' }), lifecycle(FT, 'j1', 'JobStarted'));
      const w = collect(handlers, 'j1');
      kit.append(
        lifecycle(FT, 'j1', 'JobSucceeded', { message: 'Finished.' }),
        lifecycle(FT, 'j1', 'JobDetailsRecorded', { set: { status_message: 'Finished, but the adapter could not be registered: taken.' } }),
      );
      await w.done;
      expect(w.updates.slice(1).map((u) => [u.status, u.status_message])).toEqual([
        ['succeeded', 'Finished.'],
        ['succeeded', 'Finished, but the adapter could not be registered: taken.'],
      ]);
    });

    it('skips events it has already sent (a position at or before the last one), and other jobs', () => {
      kit.append(queued(FT, 'j1'), queued(FT, 'j2'), lifecycle(FT, 'j1', 'JobDispatched', { runner: 'local' }));
      const w = collect(handlers, 'j1');
      const [p] = kit.append(progress(FT, 'j1', 1, [point(1)]));
      kit.bus.publish([p]); // the same event again
      kit.append(lifecycle(FT, 'j2', 'JobDispatched', { runner: 'local' }), progress(FT, 'j2', 1, [point(1)]));
      expect(w.updates.map(brief)).toEqual(['status:dispatching', 'metric:1']);
      w.unsubscribe();
    });

    it('ends with `removed` when a queued job is removed while watched', async () => {
      kit.append(queued(FT, 'j1'));
      const w = collect(handlers, 'j1');
      kit.append({ type: 'FineTuningJobRemoved', streamId: 'fine_tuning_job-j1', streamType: FT, data: { id: 'j1' } });
      await w.done;
      expect(w.updates.map(brief)).toEqual(['status:queued', 'status:removed']);
    });

    it('stops listening when the client goes away', () => {
      kit.append(queued(FT, 'j1'));
      const w = collect(handlers, 'j1');
      w.unsubscribe();
      kit.append(lifecycle(FT, 'j1', 'JobDispatched', { runner: 'local' }));
      expect(w.updates).toHaveLength(1);
    });
  });
});
