/**
 * The job lifecycle RPCs from the outside: cancel, WatchJob, GetJobMetrics,
 * GetJobLogs, GetEvaluationResults, adapter comparisons, model exports.
 *
 * The server runs every job with job-templates/testing/progress_only.py (no
 * GPU, no model) on the local runner with ONE slot. The first describe starts
 * a long job that holds the slot, so every job started after it stays
 * `queued`: what it checks does not depend on the supervisor's timing. The
 * second describe cancels that job and lets the supervisor run short jobs,
 * watching them live.
 */
import fs from 'node:fs';
import path from 'node:path';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import { REPO_ROOT, type FtsClient, type Msg } from './support/grpc-client.js';
import { addTicketsDataset, ticketPrompt, uid } from './support/fixtures.js';
import { expectOk, expectStatus } from './support/expect-status.js';

jest.setTimeout(180_000);

let srv: ServerHandle;
let c: FtsClient;
const ids: { model: string; dataset: string; prompt: string; adapter: string; otherModel: string; otherAdapter: string; slotHolder: string } = {
  model: '',
  dataset: '',
  prompt: '',
  adapter: '',
  otherModel: '',
  otherAdapter: '',
  slotHolder: '',
};

const SLOT_HOLDER = 'slot-holder';
/** The comparison started while the slot is taken; it runs once the slot is free. */
let comparisonId = '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server-streaming call read to its end (or `stopWhen`), with the status it ended on. */
function readStream(method: string, req: Msg, opts: { stopWhen?: (got: Msg[]) => boolean; timeoutMs?: number } = {}) {
  const got: Msg[] = [];
  const arrivals: number[] = [];
  const call = c.stream(method, req);
  const timer = setTimeout(() => call.cancel(), opts.timeoutMs ?? 60_000);
  const done = new Promise<{ messages: Msg[]; arrivals: number[]; code: string; details: string }>((resolve) => {
    call.on('data', (m: Msg) => {
      got.push(m);
      arrivals.push(Date.now());
      if (opts.stopWhen?.(got)) call.cancel();
    });
    call.on('error', (err: { code?: number; details?: string }) => {
      clearTimeout(timer);
      resolve({ messages: got, arrivals, code: err.code === 1 ? 'CANCELLED' : err.code === 5 ? 'NOT_FOUND' : err.code === 3 ? 'INVALID_ARGUMENT' : String(err.code), details: err.details ?? '' });
    });
    call.on('end', () => {
      clearTimeout(timer);
      resolve({ messages: got, arrivals, code: 'OK', details: '' });
    });
  });
  return done;
}

async function startFineTuningJob(adapterName = uid('jv-').slice(0, 20)): Promise<Msg> {
  const { fine_tuning_job } = await c.call('StartFineTuningJob', {
    adapter_name: adapterName,
    base_model_id: ids.model,
    dataset_id: ids.dataset,
    prompt_id: ids.prompt,
    num_workers: 1,
    auto_add_adapter: false,
    num_epochs: 1,
    learning_rate: 0.0002,
    cpu: 2,
    gpu: 1,
    memory: 8,
    train_test_split: 0.8,
    dataset_fraction: 1,
    framework_type: 'legacy',
  });
  return fine_tuning_job;
}

async function startEvaluation(): Promise<Msg[]> {
  const { evaluation_jobs } = await c.call('StartEvaluationJob', {
    model_adapter_combinations: [{ base_model_id: ids.model, adapter_id: '' }],
    dataset_id: ids.dataset,
    prompt_id: ids.prompt,
    cpu: 2,
    gpu: 1,
    memory: 8,
  });
  return evaluation_jobs;
}

/** Watches a job to its end; its last status (history comes after the current status, so not the last message). */
async function finalStatus(jobId: string): Promise<string | undefined> {
  const watched = await readStream('WatchJob', { job_id: jobId }, { timeoutMs: 60_000 });
  expect(watched.code).toBe('OK');
  return watched.messages.filter((u) => u.kind === 'status').at(-1)?.status;
}

const statusOf = async (id: string) => (await c.call('GetFineTuningJob', { id })).fine_tuning_job.status as string;

beforeAll(async () => {
  srv = await startServer({
    seed: false,
    env: {
      FTS_GPU_SLOTS: '1',
      FTS_JOB_TEMPLATE: path.join(REPO_ROOT, 'job-templates/testing/progress_only.py'),
      FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({ steps: 4, interval_s: 0.3, per_job: { [SLOT_HOLDER]: { steps: 1200, interval_s: 0.1 } } }),
      FTS_CANCEL_GRACE_MS: '3000',
      // model_registry exports are refused without MLflow; nothing here talks to it.
      MLFLOW_TRACKING_URI: 'http://127.0.0.1:9',
    },
  });
  c = srv.client;
  ids.dataset = (await addTicketsDataset(c, srv.root, 'jv-tickets')).id;
  ids.model = (await c.call('AddModel', { type: 'huggingface', huggingface_name: 'test-org/tiny-llama' })).model.id;
  ids.otherModel = (await c.call('AddModel', { type: 'huggingface', huggingface_name: 'bigscience/bloom-1b1' })).model.id;
  ids.prompt = (await c.call('AddPrompt', { prompt: ticketPrompt(ids.dataset, 'jv-prompt') })).prompt.id;
  fs.mkdirSync(path.join(srv.root, 'adapters/jv-adapter'), { recursive: true });
  ids.adapter = (await c.call('AddAdapter', { type: 'project', name: 'jv-adapter', model_id: ids.model, location: 'adapters/jv-adapter', prompt_id: ids.prompt })).adapter.id;
  fs.mkdirSync(path.join(srv.root, 'adapters/jv-other'), { recursive: true });
  ids.otherAdapter = (await c.call('AddAdapter', { type: 'project', name: 'jv-other', model_id: ids.otherModel, location: 'adapters/jv-other' })).adapter.id;
  // The long job takes the only slot; wait until the supervisor has taken it (or give up: then nothing runs at all).
  ids.slotHolder = (await startFineTuningJob(SLOT_HOLDER)).id;
  for (let i = 0; i < 100 && (await statusOf(ids.slotHolder)) === 'queued'; i++) await sleep(100);
});
afterAll(async () => {
  await srv?.stop();
});

describe('while the only slot is taken (jobs stay queued)', () => {
  it('answers NOT_FOUND for unknown ids and INVALID_ARGUMENT for missing ones, on every RPC', async () => {
    for (const [method, req] of [
      ['CancelFineTuningJob', { id: 'ghost' }],
      ['CancelEvaluationJob', { id: 'ghost' }],
      ['GetJobMetrics', { job_id: 'ghost' }],
      ['GetEvaluationResults', { id: 'ghost' }],
      ['GetAdapterComparison', { id: 'ghost' }],
      ['GetModelExport', { id: 'ghost' }],
    ] as const) {
      expectStatus(await c.attempt(method, req), 'NOT_FOUND');
    }
    expectStatus(await c.attempt('CancelFineTuningJob', { id: 'ghost' }), 'NOT_FOUND', "Fine Tuning Job with ID 'ghost' does not exist.");
    expectStatus(await c.attempt('GetJobMetrics', {}), 'INVALID_ARGUMENT', "Field 'job_id' is required in GetJobMetricsRequest.");
    expectStatus(await c.attempt('CancelEvaluationJob', {}), 'INVALID_ARGUMENT');
    expect(await readStream('WatchJob', { job_id: 'ghost' })).toMatchObject({ messages: [], code: 'NOT_FOUND' });
    expect(await readStream('GetJobLogs', { job_id: 'ghost', follow: true })).toMatchObject({ messages: [], code: 'NOT_FOUND' });
    expect(await readStream('WatchJob', {})).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await readStream('GetJobLogs', { job_id: ids.slotHolder, tail_lines: -1 })).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('a queued fine-tuning job: no metrics, an empty log, cancelled at once, then refused, and WatchJob ends on its status', async () => {
    const job = await startFineTuningJob();
    expect(job.status).toBe('queued');
    expect(await c.call('GetJobMetrics', { job_id: job.id })).toEqual({ points: [] });
    expect(await readStream('GetJobLogs', { job_id: job.id })).toEqual({ messages: [{ lines: [] }], arrivals: expect.any(Array), code: 'OK', details: '' });

    const { fine_tuning_job } = await c.call('CancelFineTuningJob', { id: job.id });
    expect(fine_tuning_job).toMatchObject({ id: job.id, status: 'cancelled', status_message: 'Cancelled before it started.' });
    expect(await statusOf(job.id)).toBe('cancelled');
    expectStatus(
      await c.attempt('CancelFineTuningJob', { id: job.id }),
      'FAILED_PRECONDITION',
      `Fine Tuning Job '${job.id}' is cancelled; only a queued or running job can be cancelled.`,
    );
    const watched = await readStream('WatchJob', { job_id: job.id }, { timeoutMs: 10_000 });
    expect(watched.code).toBe('OK');
    expect(watched.messages.map((u) => [u.kind, u.status])).toEqual([['status', 'cancelled']]);
    // Logs of a job that ended without running: one empty chunk, even with follow.
    expect((await readStream('GetJobLogs', { job_id: job.id, follow: true }, { timeoutMs: 10_000 })).messages).toEqual([{ lines: [] }]);
  });

  it('a queued evaluation job: cancelled at once; its results show the status and nothing else', async () => {
    const [job] = await startEvaluation();
    const { evaluation_job } = await c.call('CancelEvaluationJob', { id: job!.id });
    expect(evaluation_job).toMatchObject({ id: job!.id, status: 'cancelled' });
    const { runs } = await c.call('GetEvaluationResults', { id: job!.parent_job_id });
    expect(runs).toEqual([{ evaluation_job_id: job!.id, base_model_id: ids.model, adapter_id: '', status: 'cancelled', aggregate: {}, rows: [] }]);
    expect((await c.call('GetEvaluationResults', { id: job!.id })).runs).toHaveLength(1);
  });

  it('StartAdapterComparison records a queued comparison that GetAdapterComparison reads back; bad requests are refused', async () => {
    const { comparison } = await c.call('StartAdapterComparison', { base_model_id: ids.model, adapter_ids: [ids.adapter], input_text: 'Where is my order?' });
    expect(comparison).toMatchObject({ base_model_id: ids.model, adapter_ids: [ids.adapter], input_text: 'Where is my order?', status: 'queued', outputs: [] });
    expect(JSON.parse(comparison.generation_config)).toMatchObject({ max_new_tokens: 60 });
    expect((await c.call('GetAdapterComparison', { id: comparison.id })).comparison).toEqual(comparison);
    expect(await c.call('GetJobMetrics', { job_id: comparison.id })).toEqual({ points: [] });
    // No adapters: the base model alone is run.
    const baseOnly = (await c.call('StartAdapterComparison', { base_model_id: ids.model, input_text: 'Where is my order?' })).comparison;
    expect(baseOnly).toMatchObject({ base_model_id: ids.model, adapter_ids: [], status: 'queued' });

    expectStatus(await c.attempt('StartAdapterComparison', { base_model_id: ids.model, adapter_ids: [ids.adapter] }), 'INVALID_ARGUMENT', "Field 'input_text' is required in StartAdapterComparisonRequest.");
    expectStatus(await c.attempt('StartAdapterComparison', { base_model_id: ids.model, adapter_ids: ['ghost'], input_text: 'x' }), 'NOT_FOUND', "Adapter with ID 'ghost' does not exist.");
    expectStatus(await c.attempt('StartAdapterComparison', { base_model_id: 'ghost', adapter_ids: [ids.adapter], input_text: 'x' }), 'NOT_FOUND');
    expectStatus(
      await c.attempt('StartAdapterComparison', { base_model_id: ids.model, adapter_ids: Array.from({ length: 11 }, (_, i) => `a${i}`), input_text: 'x' }),
      'INVALID_ARGUMENT',
    );
    expectStatus(await c.attempt('StartAdapterComparison', { base_model_id: ids.model, adapter_ids: [ids.adapter], input_text: 'x', generation_config: '{' }), 'INVALID_ARGUMENT');
    expectStatus(
      await c.attempt('StartAdapterComparison', { base_model_id: ids.model, adapter_ids: [ids.otherAdapter], input_text: 'x' }),
      'INVALID_ARGUMENT',
      /was trained for model/,
    );
    comparisonId = comparison.id;
  });

  it('ListModelExports / GetModelExport show a recorded export request', async () => {
    const res = expectOk(await c.attempt('ExportModel', { type: 'model_registry', base_model_id: ids.model, adapter_id: ids.adapter, model_name: 'jv-export' }));
    const { exports } = await c.call('ListModelExports', {});
    const listed = exports.find((e: Msg) => e.id === res.export_id);
    expect(listed).toMatchObject({ type: 'model_registry', base_model_id: ids.model, adapter_id: ids.adapter, model_name: 'jv-export' });
    expect(typeof listed.status).toBe('string');
    expect((await c.call('GetModelExport', { id: res.export_id })).export).toMatchObject({ id: res.export_id, model_name: 'jv-export' });
    const paged = await c.call('ListModelExports', { page_size: 1 });
    expect(paged.exports).toHaveLength(1);
  });
});

describe('with the supervisor running jobs', () => {
  it('cancelling the running job: cancelling, then cancelled, seen by WatchJob', async () => {
    const status = await statusOf(ids.slotHolder);
    expect(['dispatching', 'scheduling', 'running']).toContain(status);
    const watching = readStream('WatchJob', { job_id: ids.slotHolder }, { timeoutMs: 30_000 });
    await sleep(200);
    const { fine_tuning_job } = await c.call('CancelFineTuningJob', { id: ids.slotHolder });
    expect(['cancelling', 'cancelled']).toContain(fine_tuning_job.status);
    const watched = await watching;
    expect(watched.code).toBe('OK');
    const statuses = watched.messages.filter((u) => u.kind === 'status').map((u) => u.status);
    expect(statuses.slice(-2)).toEqual(['cancelling', 'cancelled']);
    expect(watched.messages.filter((u) => u.kind === 'metric').length).toBeGreaterThan(0);
  });

  it('WatchJob follows a fine-tuning job live, each point once, in order, as soon as it is recorded; GetJobMetrics agrees', async () => {
    const job = await startFineTuningJob();
    const watched = await readStream('WatchJob', { job_id: job.id }, { timeoutMs: 60_000 });
    expect(watched.code).toBe('OK');
    const statuses = watched.messages.filter((u) => u.kind === 'status').map((u) => u.status);
    expect(statuses.at(-1)).toBe('succeeded');
    const order = ['queued', 'dispatching', 'scheduling', 'running', 'succeeded'];
    expect(statuses.map((s) => order.indexOf(s))).toEqual([...statuses.map((s) => order.indexOf(s))].sort((a, b) => a - b));
    const metrics = watched.messages.filter((u) => u.kind === 'metric');
    expect(metrics.map((u) => u.metric.step)).toEqual([1, 2, 3, 4]);
    expect(metrics[1].metric.values).toEqual({ epoch: 0.5, loss: 1.28, eval_loss: 1.408, learning_rate: 0.0002, grad_norm: 0.5 });
    expect(metrics[0].metric.values.eval_loss).toBeUndefined();
    // Live points (after the first update's snapshot) reach the client well under a second after they are committed.
    const live = watched.messages.map((u, i) => ({ u, i })).filter(({ u }) => u.kind === 'metric' && u.position > watched.messages[0].position);
    expect(live.length).toBeGreaterThan(0);
    for (const { u, i } of live) expect(watched.arrivals[i]! - Date.parse(u.recorded_at)).toBeLessThan(1000);
    const { points } = await c.call('GetJobMetrics', { job_id: job.id });
    expect(points).toEqual(metrics.map((u) => u.metric));
  });

  it('GetJobLogs follows a job from before it starts until it ends, then tails it', async () => {
    const job = await startFineTuningJob();
    const followed = await readStream('GetJobLogs', { job_id: job.id, follow: true }, { timeoutMs: 60_000 });
    expect(followed.code).toBe('OK');
    const lines = followed.messages.flatMap((m) => m.lines as string[]);
    expect(lines.some((l) => l.includes(`progress_only: starting fine_tune job ${job.id}`))).toBe(true);
    expect(lines.filter((l) => l.includes('"type": "progress"'))).toHaveLength(4);
    const tail = await readStream('GetJobLogs', { job_id: job.id, tail_lines: 2 });
    expect(tail.messages).toHaveLength(1);
    expect(tail.messages[0].lines).toEqual(lines.slice(-2));
  });

  it('GetEvaluationResults answers the aggregate and the rows of a finished evaluation', async () => {
    const [job] = await startEvaluation();
    expect(await finalStatus(job!.id)).toBe('succeeded');
    const { runs } = await c.call('GetEvaluationResults', { id: job!.parent_job_id });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ evaluation_job_id: job!.id, status: 'succeeded' });
    expect(runs[0].aggregate).toMatchObject({ rows: 1, exact_match: 1, latency_p95_s: 0.01 });
    expect(runs[0].rows).toEqual([{ input: '2+2=', expected: '4', output: '4', exact_match: 1, rouge1: 1, rouge2: 0, rougeL: 1, bleu: 0, latency_s: 0.01 }]);
  });

  it('the queued comparison ran: GetAdapterComparison answers the base output first, then one per adapter', async () => {
    const id = comparisonId;
    expect(id).toBeTruthy();
    expect(await finalStatus(id)).toBe('succeeded');
    const { comparison } = await c.call('GetAdapterComparison', { id });
    expect(comparison.outputs).toEqual([
      { adapter_id: '', output: 'base output', latency_s: 0.01 },
      { adapter_id: ids.adapter, output: `output of ${ids.adapter}`, latency_s: 0.01 },
    ]);
  });
});
