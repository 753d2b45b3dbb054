/**
 * Issue 10.4: a job asking more GPUs than the runner has. Refused at start
 * (FAILED_PRECONDITION naming the capacity) where the start can know it; a
 * job that got queued anyway (a comparison, or a queue from before the
 * capacity shrank) is failed with the reason and never blocks the jobs
 * queued behind it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { REPO_ROOT, type Msg } from './support/grpc-client.js';
import { startServer, type ServerHandle } from './support/server.js';
import { fineTuningRequest, waitFor } from './support/jobs.js';
import { expectStatus } from './support/expect-status.js';

const TEMPLATE = path.join(REPO_ROOT, 'job-templates/testing/progress_only.py');


describe('GPU capacity of the local runner (FTS_GPU_SLOTS=2)', () => {
  let srv: ServerHandle;
  let ids: { model: string; dataset: string; prompt: string; adapter: string };
  const job = (adapter_name: string, extra: Msg = {}) => fineTuningRequest(ids, adapter_name, extra);

  beforeAll(async () => {
    srv = await startServer({
      seed: false,
      env: { FTS_JOB_TEMPLATE: TEMPLATE, FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({ steps: 2, interval_s: 0.05 }), FTS_GPU_SLOTS: '2' },
    });
    const root = srv.root;
    fs.mkdirSync(path.join(root, 'data'), { recursive: true });
    fs.writeFileSync(path.join(root, 'data/tickets.csv'), 'instruction,intent\n"Cancel my order",cancel_order\n');
    fs.mkdirSync(path.join(root, 'models/tiny'), { recursive: true });
    fs.writeFileSync(path.join(root, 'models/tiny/config.json'), JSON.stringify({ architectures: ['LlamaForCausalLM'] }));
    fs.mkdirSync(path.join(root, 'adapters/cap'), { recursive: true });
    fs.writeFileSync(path.join(root, 'adapters/cap/adapter_config.json'), '{}');
    const c = srv.client;
    const dataset = (await c.call('AddDataset', { type: 'project_csv', name: 'tickets', location: 'data/tickets.csv' })).dataset.id;
    const model = (await c.call('AddModel', { type: 'project', location: 'models/tiny' })).model.id;
    const prompt = (
      await c.call('AddPrompt', {
        prompt: { id: 'cap-prompt', name: 'tickets', dataset_id: dataset, prompt_template: 'R: {instruction}\nI: {intent}', input_template: 'R: {instruction}\nI: ', completion_template: '{intent}' },
      })
    ).prompt.id;
    const adapter = (await c.call('AddAdapter', { type: 'project', name: 'cap-adapter', model_id: model, location: 'adapters/cap' })).adapter.id;
    ids = { model, dataset, prompt, adapter };
  }, 120_000);
  afterAll(() => srv?.stop());

  it('StartFineTuningJob with gpu=1000 is FAILED_PRECONDITION naming the capacity, and nothing is queued', async () => {
    expectStatus(await srv.client.attempt('StartFineTuningJob', job('too-big', { gpu: 1000 })), 'FAILED_PRECONDITION', /1000 GPUs.*2 GPU slot/);
    expectStatus(
      await srv.client.attempt('StartEvaluationJob', {
        model_adapter_combinations: [{ base_model_id: ids.model }],
        dataset_id: ids.dataset,
        prompt_id: ids.prompt,
        cpu: 1,
        gpu: 3,
        memory: 1,
      }),
      'FAILED_PRECONDITION',
      /3 GPUs.*2 GPU slot/,
    );
    const { fine_tuning_jobs } = await srv.client.call('ListFineTuningJobs', {});
    expect(fine_tuning_jobs.filter((j: Msg) => j.adapter_name === 'too-big')).toEqual([]);
  });

  it('a queued job that can never fit is failed with the reason, and the job behind it runs', async () => {
    const { comparison } = await srv.client.call('StartAdapterComparison', {
      base_model_id: ids.model,
      adapter_ids: [ids.adapter],
      input_text: 'Where is my order?',
      gpu: 1000,
    });
    const { fine_tuning_job: behind } = await srv.client.call('StartFineTuningJob', job('behind-it'));
    const failed = await waitFor(
      'the comparison to fail',
      async () => {
        const c = (await srv.client.call('GetAdapterComparison', { id: comparison.id })).comparison as Msg;
        return c.status === 'failed' ? c : undefined;
      },
      20_000,
    );
    expect(failed.status_message).toMatch(/1000 GPUs.*2 GPU slot/);
    const done = await waitFor(
      'the job behind it to finish',
      async () => {
        const j = (await srv.client.call('GetFineTuningJob', { id: behind.id })).fine_tuning_job as Msg;
        return ['succeeded', 'failed'].includes(j.status) ? j : undefined;
      },
      30_000,
    );
    expect(done.status).toBe('succeeded');
  });

  it('non-finite and absurd numbers over gRPC are INVALID_ARGUMENT, and nothing reaches the log (issue 10.5)', async () => {
    const before = (await srv.client.call('ListEvents', { limit: 100000 })).events.length;
    for (const [extra, detail] of [
      [{ learning_rate: Infinity }, /learning_rate/],
      [{ learning_rate: NaN }, /[Ll]earning rate/],
      [{ training_arguments_config: '{"learning_rate": 1e999}' }, /training_arguments_config.*finite/],
      [{ num_epochs: 2 ** 31 - 1 }, /num_epochs/],
      [{ num_workers: 2 ** 31 - 1 }, /num_workers/],
      [{ memory: 1e9 }, /memory/],
      [{ gpu_label_id: -1 }, /gpu_label_id/],
      [{ lora_config: '[]' }, /lora_config.*JSON object/],
    ] as [Msg, RegExp][]) {
      expectStatus(await srv.client.attempt('StartFineTuningJob', job(`bad-${Object.keys(extra)[0]}`.replace(/_/g, '-'), extra)), 'INVALID_ARGUMENT', detail);
    }
    expect((await srv.client.call('ListEvents', { limit: 100000 })).events.length).toBe(before);
  });
});
