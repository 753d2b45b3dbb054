/**
 * Resume in place on CML, against the fake CML API: a job run whose engine is
 * lost (the run fails and the launcher never wrote an exit record) is run
 * again as a new CML job run, told to resume from the job's newest checkpoint.
 * The fake runs nothing, so the test writes what the template would have
 * written into the run folder (progress and a checkpoint).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Msg } from './support/grpc-client.js';
import { startServer, type ServerHandle } from './support/server.js';
import { fineTuningRequest, waitFor } from './support/jobs.js';
import { addTicketsDataset, listAllEvents, ticketPrompt } from './support/fixtures.js';
import { FakeCmlServer } from './support/fake-cml-server.js';


describe('resume in place on CML', () => {
  let fake: FakeCmlServer;
  let srv: ServerHandle;

  beforeAll(async () => {
    fake = await FakeCmlServer.start({ runSequence: ['ENGINE_RUNNING'] });
    srv = await startServer({
      seed: false,
      env: { FTS_RUNNER: 'cml', CDSW_API_URL: fake.apiUrl, CDSW_APIV2_KEY: 'test-key', CDSW_PROJECT_ID: 'proj-1', FTS_RETRY_BACKOFF_MS: '200' },
    });
  }, 120_000);
  afterAll(async () => {
    await srv?.stop();
    await fake?.close();
  });

  it('runs a new CML job run from the newest checkpoint when the engine is lost mid-run', async () => {
    fs.mkdirSync(path.join(srv.root, 'models/tiny'), { recursive: true });
    fs.writeFileSync(path.join(srv.root, 'models/tiny/config.json'), JSON.stringify({ architectures: ['LlamaForCausalLM'] }));
    const dataset = await addTicketsDataset(srv.client, srv.root);
    const { model } = await srv.client.call('AddModel', { type: 'project', location: 'models/tiny' });
    const { prompt } = await srv.client.call('AddPrompt', { prompt: ticketPrompt(dataset.id) });
    const { fine_tuning_job: job } = await srv.client.call('StartFineTuningJob', {
      adapter_name: 'cml-lost', base_model_id: model.id, dataset_id: dataset.id, prompt_id: prompt.id, num_workers: 1, num_epochs: 1,
      learning_rate: 0.0002, cpu: 1, gpu: 0, memory: 1, train_test_split: 0.9, dataset_fraction: 1, checkpoint_every_steps: 5,
    });
    const jobOf = async () => (await srv.client.call('GetFineTuningJob', { id: job.id })).fine_tuning_job as Msg;
    await waitFor('running on CML', async () => ((await jobOf()).status === 'running' ? true : undefined), 30_000);
    const [firstRun] = [...fake.runs.values()];

    // What the template writes on the CML engine, through the shared project folder.
    const runDir = path.join(srv.root, '.app/job_runs', job.id);
    const checkpoint = path.join(runDir, 'checkpoints/checkpoint-5');
    fs.mkdirSync(checkpoint, { recursive: true });
    const ts = Date.now() / 1000;
    const lines = [1, 2, 3, 4, 5].map((step) => ({ type: 'progress', step, total_steps: 10, loss: 1 / step, ts }));
    lines.push({ type: 'checkpoint', step: 5, epoch: 0.5, loss: 0.2, eval_loss: 0.25, path: checkpoint, ts } as never);
    lines.push({ type: 'progress', step: 6, total_steps: 10, loss: 1 / 6, ts });
    fs.appendFileSync(path.join(runDir, 'events.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    await waitFor('the checkpoint', async () => ((await srv.client.call('ListJobCheckpoints', { job_id: job.id })).checkpoints.length ? true : undefined), 20_000);

    // The engine is lost: the run fails, no exit record. The next run succeeds.
    fake.runSequence = ['ENGINE_SCHEDULING', 'ENGINE_RUNNING', 'ENGINE_SUCCEEDED'];
    fake.script(firstRun.id, ['ENGINE_FAILED']);
    const done = await waitFor('the job to end', async () => {
      const j = await jobOf();
      return ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    }, 60_000);
    expect(done).toMatchObject({ id: job.id, status: 'succeeded', attempt: 2 });

    const events = await listAllEvents(srv.client, { stream_id: `fine_tuning_job-${job.id}` });
    const retry = JSON.parse(events.find((e) => e.type === 'JobRetryScheduled')!.data);
    expect(retry).toMatchObject({ attempt: 2, resume_step: 5, by: 'supervisor' });
    expect(retry.message).toMatch(/^The run failed: The CML run failed\. Retrying from the checkpoint at step 5: attempt 2 of 3\.$/);
    expect(fake.runs.size).toBe(2);
    const spec = JSON.parse(fs.readFileSync(path.join(srv.root, '.app/job_runs', `${job.id}.attempt-2`, 'spec.json'), 'utf8'));
    expect(spec).toMatchObject({ attempt: 2, resume_from: checkpoint, checkpoint_every_steps: 5 });
    const { points } = await srv.client.call('GetJobMetrics', { job_id: job.id });
    expect(points.map((p: Msg) => [p.step, p.attempt])).toEqual([[1, 1], [2, 1], [3, 1], [4, 1], [5, 1], [6, 1]]);
  }, 120_000);
});
