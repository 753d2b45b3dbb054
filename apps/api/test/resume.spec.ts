/**
 * Resume in place, through the real server, the local runner and the
 * progress-only template: a run that SIGKILLs itself (a signal the studio did
 * not send) is retried from its newest checkpoint under the same job id; a
 * kill -9 of the studio while the retry waits does not start a second run;
 * ResumeFineTuningJob continues a cancelled job and refuses one without a
 * checkpoint; a job whose eval loss stops improving stops early and its
 * registered adapter is the best checkpoint.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { REPO_ROOT, type Msg } from './support/grpc-client.js';
import { startServer, type ServerHandle } from './support/server.js';
import { fineTuningRequest, waitFor } from './support/jobs.js';
import { addTicketsDataset, listAllEvents, ticketPrompt } from './support/fixtures.js';
import { expectStatus } from './support/expect-status.js';

const TEMPLATE = path.join(REPO_ROOT, 'job-templates/testing/progress_only.py');


describe('checkpoints and resume in place', () => {
  let srv: ServerHandle;
  let request: (adapter_name: string, extra?: Msg) => Msg;
  const jobOf = async (id: string) => (await srv.client.call('GetFineTuningJob', { id })).fine_tuning_job as Msg;
  const statusIs = (id: string, ...statuses: string[]) => async () => {
    const j = await jobOf(id);
    return statuses.includes(j.status) ? j : undefined;
  };
  const runDirs = (id: string) => fs.readdirSync(path.join(srv.root, '.app/job_runs')).filter((d) => d === id || d.startsWith(`${id}.`)).sort();
  const eventTypes = async (id: string) => (await listAllEvents(srv.client, { stream_id: `fine_tuning_job-${id}` })).map((e) => e.type as string);

  beforeAll(async () => {
    srv = await startServer({
      seed: false,
      env: {
        FTS_JOB_TEMPLATE: TEMPLATE,
        FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({
          steps: 20,
          interval_s: 0.05,
          per_job: {
            'dies-at-7': { kill_at_step: 7 },
            'dies-while-studio-down': { kill_at_step: 3 },
            'long-run': { steps: 400, interval_s: 0.05 },
            'never-checkpointed': { steps: 400, interval_s: 0.05 },
            'plateaus': { steps: 60, plateau_after_step: 10 },
          },
        }),
        FTS_GPU_SLOTS: '2',
        FTS_RETRY_BACKOFF_MS: '300',
      },
    });
    fs.mkdirSync(path.join(srv.root, 'models/tiny'), { recursive: true });
    fs.writeFileSync(path.join(srv.root, 'models/tiny/config.json'), JSON.stringify({ architectures: ['LlamaForCausalLM'] }));
    const dataset = await addTicketsDataset(srv.client, srv.root);
    const { model } = await srv.client.call('AddModel', { type: 'project', location: 'models/tiny' });
    const { prompt } = await srv.client.call('AddPrompt', { prompt: ticketPrompt(dataset.id) });
    request = (adapter_name, extra = {}) =>
      fineTuningRequest({ model: model.id, dataset: dataset.id, prompt: prompt.id }, adapter_name, { auto_add_adapter: true, checkpoint_every_steps: 5, ...extra });
  }, 120_000);
  afterAll(() => srv?.stop());

  it('retries a run SIGKILLed at step 7 of 20 from the step-5 checkpoint, under the same id, to succeeded', async () => {
    const { fine_tuning_job: job } = await srv.client.call('StartFineTuningJob', request('dies-at-7'));
    const done = await waitFor('the job to end', statusIs(job.id, 'succeeded', 'failed', 'cancelled'), 60_000);
    expect(done).toMatchObject({ id: job.id, status: 'succeeded' });
    expect(done.adapter_id).toBeTruthy();

    const types = await eventTypes(job.id);
    expect(types.filter((t) => t === 'JobRetryScheduled')).toHaveLength(1);
    expect(types.filter((t) => t === 'JobDispatched')).toHaveLength(2);
    const retry = (await listAllEvents(srv.client, { stream_id: `fine_tuning_job-${job.id}` })).find((e) => e.type === 'JobRetryScheduled')!;
    expect(JSON.parse(retry.data)).toMatchObject({ attempt: 2, resume_step: 5, by: 'supervisor' });
    expect(JSON.parse(retry.data).message).toMatch(/^The run exited with code 137 \(SIGKILL\)(: Killed)?\. Retrying from the checkpoint at step 5: attempt 2 of 3\.$/);

    // Every step exactly once; the steps the first run reported keep its attempt, the rest are the second's.
    const { points } = await srv.client.call('GetJobMetrics', { job_id: job.id });
    expect(points.map((p: Msg) => p.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(points.map((p: Msg) => p.attempt)).toEqual([...Array(7).fill(1), ...Array(13).fill(2)]);

    const { checkpoints } = await srv.client.call('ListJobCheckpoints', { job_id: job.id });
    expect(checkpoints.map((c: Msg) => [c.step, c.attempt])).toEqual([[5, 1], [10, 2], [15, 2], [20, 2]]);
    for (const c of checkpoints) {
      expect(c.path).toBe(`.app/job_runs/${job.id}/checkpoints/checkpoint-${c.step}`);
      expect(fs.existsSync(path.join(srv.root, c.path, 'state.json'))).toBe(true);
    }
    // The same over HTTP.
    const http = (await (await fetch(`${srv.httpUrl}/api/jobs/${job.id}/checkpoints`)).json()) as { checkpoints: Msg[] };
    expect(http.checkpoints.map((c) => c.step)).toEqual([5, 10, 15, 20]);

    // Each attempt ran in a run folder of its own; the second resumed after step 5.
    expect(runDirs(job.id)).toEqual([job.id, `${job.id}.attempt-2`]);
    const second = fs.readFileSync(path.join(srv.root, '.app/job_runs', `${job.id}.attempt-2`, 'events.jsonl'), 'utf8');
    expect(second).toContain('resuming after step 5');
  }, 90_000);

  it('dispatches a retry exactly once when the studio is killed (-9) while the retry waits', async () => {
    const { fine_tuning_job: job } = await srv.client.call('StartFineTuningJob', request('dies-while-studio-down', { checkpoint_every_steps: 2 }));
    await waitFor('retrying', statusIs(job.id, 'retrying'), 30_000, 20);
    await srv.kill9();
    await srv.restart({ FTS_RETRY_BACKOFF_MS: '300' });
    const done = await waitFor('the job to end', statusIs(job.id, 'succeeded', 'failed', 'cancelled'), 60_000);
    expect(done.status).toBe('succeeded');
    const types = await eventTypes(job.id);
    expect(types.filter((t) => t === 'JobRetryScheduled')).toHaveLength(1);
    expect(types.filter((t) => t === 'JobDispatched')).toHaveLength(2);
    expect(types.filter((t) => t === 'JobRunSubmitted')).toHaveLength(2);
    expect(runDirs(job.id)).toEqual([job.id, `${job.id}.attempt-2`]);
    const started = fs
      .readFileSync(path.join(srv.root, '.app/job_runs', `${job.id}.attempt-2`, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('progress_only: starting'));
    expect(started).toHaveLength(1);
    const { points } = await srv.client.call('GetJobMetrics', { job_id: job.id });
    expect(points.map((p: Msg) => p.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  }, 120_000);

  it('resumes a cancelled job from its last checkpoint, and refuses a job without one', async () => {
    const { fine_tuning_job: job } = await srv.client.call('StartFineTuningJob', request('long-run', { checkpoint_every_steps: 3 }));
    await waitFor('two checkpoints', async () => {
      const { checkpoints } = await srv.client.call('ListJobCheckpoints', { job_id: job.id });
      return checkpoints.length >= 2 ? checkpoints : undefined;
    }, 30_000);
    await srv.client.call('CancelFineTuningJob', { id: job.id });
    await waitFor('cancelled', statusIs(job.id, 'cancelled'), 30_000);
    const { checkpoints } = await srv.client.call('ListJobCheckpoints', { job_id: job.id });
    const last = checkpoints.at(-1).step as number;

    const { fine_tuning_job: resumed } = await srv.client.call('ResumeFineTuningJob', { id: job.id });
    expect(resumed).toMatchObject({ id: job.id, status: 'retrying', status_message: `Resuming from the checkpoint at step ${last} (attempt 2).` });
    await waitFor('running again', async () => {
      const { points } = await srv.client.call('GetJobMetrics', { job_id: job.id });
      return points.some((p: Msg) => p.attempt === 2) ? points : undefined;
    }, 30_000);
    const events = fs.readFileSync(path.join(srv.root, '.app/job_runs', `${job.id}.attempt-2`, 'events.jsonl'), 'utf8');
    expect(events).toContain(`resuming after step ${last}`);
    await srv.client.call('CancelFineTuningJob', { id: job.id });
    await waitFor('cancelled again', statusIs(job.id, 'cancelled'), 30_000);

    // A job that never saved a checkpoint (one per epoch: at step 400).
    const { fine_tuning_job: bare } = await srv.client.call('StartFineTuningJob', request('never-checkpointed', { checkpoint_every_steps: 0 }));
    await srv.client.call('CancelFineTuningJob', { id: bare.id }).catch(() => undefined);
    await waitFor('ended', statusIs(bare.id, 'cancelled', 'succeeded'), 30_000);
    if ((await jobOf(bare.id)).status === 'cancelled') {
      expectStatus(await srv.client.attempt('ResumeFineTuningJob', { id: bare.id }), 'FAILED_PRECONDITION', /saved no checkpoint, so there is nothing to resume from/);
    }
    // Over HTTP: a running/succeeded job is not resumable, with a sentence.
    const res = await fetch(`${srv.httpUrl}/api/fine-tuning-jobs/${job.id}/resume`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"checkpoint_step": 1}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: Msg }).error.message).toMatch(/has no checkpoint at step 1; its checkpoints are at steps/);
  }, 120_000);

  it('stops a job whose eval loss plateaus, ends succeeded, and registers the best checkpoint as its adapter', async () => {
    const { fine_tuning_job: job } = await srv.client.call(
      'StartFineTuningJob',
      request('plateaus', { checkpoint_every_steps: 2, early_stopping_patience: 3, early_stopping_min_delta: 0 }),
    );
    expect(job).toMatchObject({ early_stopping_metric: 'eval_loss', early_stopping_patience: 3 });
    const done = await waitFor('the job to end', statusIs(job.id, 'succeeded', 'failed', 'cancelled'), 60_000);
    expect(done.status).toBe('succeeded');
    // eval_loss falls until step 10, then rises: evaluations at 12, 14 and 16 do not improve.
    expect(done.status_message).toMatch(
      /^Stopped early at step 16: eval_loss did not improve by more than 0 for 3 evaluations in a row\. The adapter is the checkpoint at step 10 \(best eval_loss [\d.]+\)\.$/,
    );
    expect(done.best_checkpoint_step).toBe(10);
    const { points } = await srv.client.call('GetJobMetrics', { job_id: job.id });
    expect(points.at(-1).step).toBe(16);
    const { adapter } = await srv.client.call('GetAdapter', { id: done.adapter_id });
    expect(adapter.location).toBe(`.app/job_runs/${job.id}/checkpoints/checkpoint-10`);
    expect(JSON.parse(fs.readFileSync(path.join(srv.root, adapter.location, 'adapter_config.json'), 'utf8')).step).toBe(10);

    expectStatus(
      await srv.client.attempt('StartFineTuningJob', request('bad-metric', { early_stopping_patience: 2, early_stopping_metric: 'accuracy' })),
      'INVALID_ARGUMENT',
      "Early stopping can watch eval_loss only, not 'accuracy'.",
    );
  }, 90_000);

  it('removes a job or an adapter with its files on request, never a folder another entity uses', async () => {
    const { fine_tuning_job: kept } = await srv.client.call('StartFineTuningJob', request('cleanup-registered'));
    const { fine_tuning_job: bare } = await srv.client.call('StartFineTuningJob', request('cleanup-bare', { auto_add_adapter: false }));
    const doneKept = await waitFor('succeeded', statusIs(kept.id, 'succeeded'), 30_000);
    await waitFor('succeeded', statusIs(bare.id, 'succeeded'), 30_000);
    const runDir = (id: string) => path.join(srv.root, '.app/job_runs', id);
    expect(fs.existsSync(path.join(runDir(bare.id), 'checkpoints/checkpoint-20/state.json'))).toBe(true);

    // Nothing else uses the bare job's folders: its run folder (checkpoints and adapter inside) goes.
    const removedBare = await srv.client.call('RemoveFineTuningJob', { id: bare.id, delete_files: true });
    expect(removedBare).toEqual({ deleted_files: [`.app/job_runs/${bare.id}`], kept_files: [] });
    expect(fs.existsSync(runDir(bare.id))).toBe(false);

    // The registered adapter lives in the other job's run folder: the job goes, its files stay.
    const removedKept = await srv.client.call('RemoveFineTuningJob', { id: kept.id, delete_files: true });
    expect(removedKept.deleted_files).toEqual([]);
    expect(removedKept.kept_files).toEqual([
      `.app/job_runs/${kept.id}: the adapter 'cleanup-registered' uses it`,
      `.app/job_runs/${kept.id}/adapter: the adapter 'cleanup-registered' uses it`,
    ]);
    const { adapter } = await srv.client.call('GetAdapter', { id: doneKept.adapter_id });
    expect(fs.existsSync(path.join(srv.root, adapter.location, 'adapter_config.json'))).toBe(true);
    // Removing the adapter with its files deletes its folder, and only that.
    const removedAdapter = await srv.client.call('RemoveAdapter', { id: adapter.id, delete_files: true });
    expect(removedAdapter).toEqual({ deleted_files: [adapter.location], kept_files: [] });
    expect(fs.existsSync(path.join(srv.root, adapter.location))).toBe(false);
    expect(fs.existsSync(path.join(runDir(kept.id), 'checkpoints'))).toBe(true);
    // Without delete_files a removal is metadata only, as in the original.
    expect(fs.existsSync(path.join(srv.root, 'models/tiny/config.json'))).toBe(true);
  }, 90_000);
});
