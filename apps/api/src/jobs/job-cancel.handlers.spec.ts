import { JobCancelHandlers } from './job-cancel.handlers.js';
import { JobWatchHandlers } from './job-watch.handlers.js';
import { CALL, errorOf, lifecycle, openKit, queued, type Kit } from '../../test/support/job-test-kit.js';
import { cancelGraceMs } from '../platform/config/app-config.js';

describe('JobCancelHandlers', () => {
  let kit: Kit;
  let cancels: JobCancelHandlers;

  beforeEach(async () => {
    kit = await openKit();
    cancels = new JobCancelHandlers(kit.commands, kit.reader, 7000);
  });
  afterEach(() => kit.close());

  it('cancels a queued fine-tuning job at once and answers with the job after the command', () => {
    kit.append(queued('fine_tuning_job', 'j1'));
    expect(cancels.cancelFineTuningJob('j1', CALL)).toMatchObject({ id: 'j1', status: 'cancelled', status_message: 'Cancelled before it started.' });
    expect(kit.store.read({ streamId: 'fine_tuning_job-j1' }).map((e) => e.type)).toEqual(['FineTuningJobQueued', 'JobCancelled']);
  });

  it('asks a running evaluation job to stop, with a deadline of now + the grace', () => {
    kit.append(queued('evaluation_job', 'e1'), lifecycle('evaluation_job', 'e1', 'JobDispatched', { runner: 'local' }), lifecycle('evaluation_job', 'e1', 'JobStarted'));
    const before = Date.now();
    const row = cancels.cancelEvaluationJob('e1', CALL);
    expect(row).toMatchObject({ id: 'e1', status: 'cancelling', status_message: 'Stopping the run.' });
    const run = kit.reader.get('job_runs', 'e1');
    expect(run?.deadline_kind).toBe('cancel');
    const deadline = Date.parse(String(run?.deadline_at));
    expect(deadline).toBeGreaterThanOrEqual(before + 7000 - 5);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 7000 + 5);
  });

  it('is seen live by a watcher: cancelling, then cancelled once the supervisor confirms', async () => {
    kit.append(queued('fine_tuning_job', 'j1'), lifecycle('fine_tuning_job', 'j1', 'JobDispatched', { runner: 'local' }));
    const statuses: string[] = [];
    const done = new Promise<void>((resolve) => new JobWatchHandlers(kit.reader, kit.store, kit.bus).watch('j1').subscribe({ next: (u) => statuses.push(u.status), complete: resolve }));
    cancels.cancelFineTuningJob('j1', CALL);
    kit.append(lifecycle('fine_tuning_job', 'j1', 'JobCancelled', { message: 'Cancelled.' }));
    await done;
    expect(statuses).toEqual(['dispatching', 'cancelling', 'cancelled']);
  });

  it('refuses a missing job (NOT_FOUND), an empty id (INVALID_ARGUMENT) and a finished or cancelling one (FAILED_PRECONDITION)', () => {
    expect(errorOf(() => cancels.cancelFineTuningJob('ghost', CALL))).toMatchObject({
      kind: 'not_found',
      message: "Fine Tuning Job with ID 'ghost' does not exist.",
    });
    expect(errorOf(() => cancels.cancelEvaluationJob('ghost', CALL))).toMatchObject({
      kind: 'not_found',
      message: "Evaluation Job with ID 'ghost' does not exist.",
    });
    expect(errorOf(() => cancels.cancelFineTuningJob('', CALL))).toMatchObject({ kind: 'invalid_argument' });
    kit.append(queued('fine_tuning_job', 'j1'), lifecycle('fine_tuning_job', 'j1', 'JobDispatched', { runner: 'local' }));
    cancels.cancelFineTuningJob('j1', CALL);
    expect(errorOf(() => cancels.cancelFineTuningJob('j1', CALL))).toMatchObject({
      kind: 'failed_precondition',
      message: "Fine Tuning Job 'j1' is already being cancelled.",
    });
    kit.append(lifecycle('fine_tuning_job', 'j1', 'JobSucceeded', { message: 'Finished.' }));
    expect(errorOf(() => cancels.cancelFineTuningJob('j1', CALL))).toMatchObject({
      kind: 'failed_precondition',
      message: "Fine Tuning Job 'j1' is succeeded; only a queued or running job can be cancelled.",
    });
    // A fine-tuning id is not an evaluation job.
    expect(errorOf(() => cancels.cancelEvaluationJob('j1', CALL))).toMatchObject({ kind: 'not_found' });
  });
});

describe('cancelGraceMs', () => {
  it('reads FTS_CANCEL_GRACE_MS, defaulting to 5000 for anything that is not a sane number of ms', () => {
    expect(cancelGraceMs({})).toBe(5000);
    expect(cancelGraceMs({ FTS_CANCEL_GRACE_MS: '250' })).toBe(250);
    expect(cancelGraceMs({ FTS_CANCEL_GRACE_MS: '0' })).toBe(0);
    for (const bad of ['-1', 'soon', '1.5', '1e12']) expect(cancelGraceMs({ FTS_CANCEL_GRACE_MS: bad })).toBe(5000);
  });
});
