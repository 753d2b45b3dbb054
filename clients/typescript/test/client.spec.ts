/**
 * @fts/client against the real server (apps/api/dist/main.js, build first with `npx tsc -b`),
 * jobs run by the progress-only test template: the technical overview's flow, typed calls, the
 * helpers, FtsError, streams as async iterators, waitForJob / watchJob / cancelJob, the token.
 *
 *   NODE_OPTIONS=--experimental-vm-modules npx jest clients/typescript
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ConfigType,
  EvaluationJobType,
  FineTuningFrameworkType,
  FineTuningStudioClient,
  FtsError,
  JobWaitTimeoutError,
  ModelType,
  Status,
  rpcs,
  type EvaluationJobMetadata,
  type FineTuningJobMetadata,
  type JobUpdate,
  type RequestInit,
} from '../src/index.js';
import { REPO_ROOT } from '../../../apps/api/test/support/grpc-client.js';
import { freePort, startServer, type ServerHandle } from '../../../apps/api/test/support/server.js';

const TEMPLATE = path.join(REPO_ROOT, 'job-templates/testing/progress_only.py');
const STEPS = 4;
const LONG = 'ts-long';
const TEMPLATE_OPTIONS = { steps: STEPS, interval_s: 0.1, per_job: { [LONG]: { steps: 600, interval_s: 0.1 }, [`${LONG}-2`]: { steps: 600, interval_s: 0.1 } } };
const ORDER = ['queued', 'dispatching', 'scheduling', 'running', 'succeeded'];
const TOKEN = 'ts-s3cret';

async function rejection(p: Promise<unknown>): Promise<FtsError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FtsError);
    return e as FtsError;
  }
  throw new Error('expected the call to fail');
}

describe('@fts/client against the server', () => {
  let srv: ServerHandle;
  let fts: FineTuningStudioClient;

  beforeAll(async () => {
    srv = await startServer({
      env: { FTS_JOB_TEMPLATE: TEMPLATE, FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify(TEMPLATE_OPTIONS), FTS_CANCEL_GRACE_MS: '2000' },
    });
    // As in a CML session: the address comes from the environment.
    fts = new FineTuningStudioClient({ env: { FINE_TUNING_SERVICE_IP: '127.0.0.1', FINE_TUNING_SERVICE_PORT: String(srv.grpcPort) }, timeoutMs: 30_000 });
  }, 120_000);
  afterAll(async () => {
    fts?.close();
    await srv?.stop();
  });

  const sqlDataset = async () => (await fts.getDatasets()).find((d) => d.name === 'philschmid/sql-create-context-copy')!;
  const jobRequest = async (over: RequestInit<'StartFineTuningJob'> = {}): Promise<RequestInit<'StartFineTuningJob'>> => {
    const dataset = await sqlDataset();
    const prompt = (await fts.getPrompts()).find((p) => p.dataset_id === dataset.id)!;
    const model = (await fts.getModels()).find((m) => m.huggingface_model_name === 'bigscience/bloom-1b1')!;
    return {
      adapter_name: `ts-${Math.random().toString(36).slice(2, 10)}`,
      base_model_id: model.id,
      dataset_id: dataset.id,
      prompt_id: prompt.id,
      num_workers: 1,
      num_epochs: 1,
      learning_rate: 0.0002,
      cpu: 1,
      memory: 1,
      dataset_fraction: 1,
      train_test_split: 0.9,
      framework_type: FineTuningFrameworkType.LEGACY,
      ...over,
    };
  };

  it('reads its address from the environment, else 127.0.0.1:50051', () => {
    expect(fts.address).toBe(`127.0.0.1:${srv.grpcPort}`);
    const d = new FineTuningStudioClient({ env: {} });
    expect(d.address).toBe('127.0.0.1:50051');
    d.close();
    const o = new FineTuningStudioClient({ host: 'example.internal', port: 7000, env: { FINE_TUNING_SERVICE_IP: '10.0.0.1', FINE_TUNING_SERVICE_PORT: '1' } });
    expect(o.address).toBe('example.internal:7000');
    o.close();
  });

  it('has a method for every RPC of the .proto', () => {
    const proto = fs.readFileSync(path.join(REPO_ROOT, 'libs/proto/fine_tuning_studio.proto'), 'utf8');
    const names = [...proto.matchAll(/^\s*rpc\s+(\w+)\s*\(/gm)].map((m) => m[1]);
    expect(rpcs().map((r) => r.name)).toEqual(names);
    const camel = (n: string) => n[0].toLowerCase() + n.slice(1);
    expect(names.filter((n) => typeof (fts as unknown as Record<string, unknown>)[camel(n)] !== 'function')).toEqual([]);
  });

  it("runs the technical overview's flow: list datasets, get one, add a model, start a fine-tuning job, wait for it", async () => {
    const datasets = await fts.getDatasets();
    expect(datasets.map((d) => d.name)).toContain('philschmid/sql-create-context-copy');
    const { dataset } = await fts.getDataset({ id: datasets[0].id });
    expect(dataset).toEqual(datasets[0]);

    const { model } = await fts.addModel({ type: ModelType.HUGGINGFACE, huggingface_name: 'test-org/tiny-llama' });
    expect(model).toMatchObject({ type: 'huggingface', huggingface_model_name: 'test-org/tiny-llama' });

    const prompt = (await fts.getPrompts()).find((p) => p.dataset_id === dataset!.id)!;
    const { fine_tuning_job: job } = await fts.startFineTuningJob({
      adapter_name: 'ts-overview',
      base_model_id: model!.id,
      dataset_id: dataset!.id,
      prompt_id: prompt.id,
      num_workers: 1,
      num_epochs: 1,
      learning_rate: 0.0002,
      cpu: 1,
      memory: 1,
      dataset_fraction: 1,
      train_test_split: 0.9,
      auto_add_adapter: true,
      training_arguments_config: JSON.stringify({ num_train_epochs: 1 }),
    });
    expect(job!.status).toBe('queued');

    const done = (await fts.waitForJob(job!.id, { timeoutMs: 60_000, pollIntervalMs: 100 })) as FineTuningJobMetadata;
    expect(done).toMatchObject({ id: job!.id, status: 'succeeded' });
    expect(done.adapter_id).toBeTruthy();
    const { adapter } = await fts.call('GetAdapter', { id: done.adapter_id });
    expect(adapter).toMatchObject({ name: 'ts-overview', fine_tuning_job_id: job!.id });
  }, 90_000);

  it('calls any unary RPC by name, typed, and every helper returns the list RPC rows', async () => {
    const { models } = await fts.call('ListModels', {});
    expect(models.map((m) => m.huggingface_model_name)).toEqual(expect.arrayContaining(['bigscience/bloom-1b1', 'NousResearch/Llama-2-7b-hf']));
    expect(await fts.getModels()).toEqual(models);
    expect(await fts.getDatasets()).toEqual((await fts.listDatasets()).datasets);
    expect(await fts.getPrompts()).toEqual((await fts.listPrompts()).prompts);
    expect(await fts.getAdapters()).toEqual((await fts.listAdapters()).adapters);
    expect(await fts.getFineTuningJobs()).toEqual((await fts.listFineTuningJobs()).fine_tuning_jobs);
    expect(await fts.getEvaluationJobs()).toEqual((await fts.listEvaluationJobs()).evaluation_jobs);
    const lora = await fts.getConfigs({ type: ConfigType.LORA_CONFIG });
    expect(lora.length).toBeGreaterThan(0);
    expect(lora.every((c) => c.type === 'lora_config')).toBe(true);
    // Unset message fields are undefined, as the generated types say (not null).
    const { response } = await fts.getDatasetSplitByAdapter({ adapter_id: 'no-such-adapter' }).catch(() => ({ response: undefined }));
    if (response) expect(typeof response.dataset_fraction).toBe('number');
  });

  it('reaches the server with every unary RPC (an answer or a clean status, never UNIMPLEMENTED)', async () => {
    const unary = rpcs().filter((r) => !r.responseStream);
    for (const { name } of unary) {
      try {
        await (fts.call as (m: string, r: object) => Promise<unknown>).call(fts, name, {});
      } catch (e) {
        expect(e).toBeInstanceOf(FtsError);
        expect([Status.UNIMPLEMENTED, Status.UNAVAILABLE, Status.INTERNAL]).not.toContain((e as FtsError).code);
      }
    }
    expect(unary.length).toBe(rpcs().length - 3);
  }, 60_000);

  it('rejects with a typed FtsError carrying the code and the details', async () => {
    const e = await rejection(fts.getDataset({ id: 'no-such-dataset' }));
    expect(e.code).toBe(Status.NOT_FOUND);
    expect(e.codeName).toBe('NOT_FOUND');
    expect(e.message).toBe("Dataset with ID 'no-such-dataset' does not exist.");
    expect(e.details.trim()).toBe(e.message);
    expect(e.method).toBe('GetDataset');
    const dup = await rejection(fts.addModel({ type: ModelType.HUGGINGFACE, huggingface_name: 'bigscience/bloom-1b1' }));
    expect([dup.codeName, dup.message]).toEqual(['ALREADY_EXISTS', "Model with name 'bigscience/bloom-1b1' already exists."]);
    const invalid = await rejection(fts.call('AddDataset', { type: '' }));
    expect([invalid.codeName, invalid.message]).toEqual(['INVALID_ARGUMENT', "Field 'type' is required in AddDatasetRequest."]);
    const down = new FineTuningStudioClient({ port: await freePort(), env: {}, timeoutMs: 3000 });
    const unreachable = await rejection(down.listDatasets());
    expect(['UNAVAILABLE', 'DEADLINE_EXCEEDED']).toContain(unreachable.codeName);
    down.close();
  });

  it('streams WatchJob as an async iterator: every status change in order, every metric point, then the end', async () => {
    const { fine_tuning_job: job } = await fts.startFineTuningJob(await jobRequest());
    const updates: JobUpdate[] = [];
    for await (const u of fts.watchJob(job!.id)) updates.push(u);
    const statuses = updates.filter((u) => u.kind === 'status');
    const seq = statuses.map((u) => u.status);
    expect(seq[seq.length - 1]).toBe('succeeded');
    expect(seq.map((s) => ORDER.indexOf(s))).toEqual([...new Set(seq)].map((s) => ORDER.indexOf(s)).sort((a, b) => a - b));
    const metrics = updates.filter((u) => u.kind === 'metric');
    expect(metrics.map((m) => m.metric!.step)).toEqual([1, 2, 3, 4]);
    expect(statuses.every((u) => u.metric === undefined)).toBe(true);
    expect(updates.map((u) => u.position)).toEqual([...updates.map((u) => u.position)].sort((a, b) => a - b));
    // Every status change the log recorded after the first update is one of the updates, at its position.
    const { events } = await fts.listEvents({ stream_id: `fine_tuning_job-${job!.id}` });
    const changes: Record<string, string> = { JobDispatched: 'dispatching', JobRunSubmitted: 'scheduling', JobStarted: 'running', JobSucceeded: 'succeeded' };
    const expected = events.filter((e) => changes[e.type] && e.position > statuses[0].position).map((e) => [e.position, changes[e.type]]);
    expect(expected.length).toBeGreaterThan(0);
    expect(statuses.slice(1).map((u) => [u.position, u.status])).toEqual(expected);
  }, 60_000);

  it('waitForJob works for an evaluation job', async () => {
    const dataset = await sqlDataset();
    const prompt = (await fts.getPrompts()).find((p) => p.dataset_id === dataset.id)!;
    const model = (await fts.getModels())[0];
    const { evaluation_job: job } = await fts.startEvaluationJob({
      type: EvaluationJobType.MFLOW,
      model_adapter_combinations: [{ base_model_id: model.id }],
      dataset_id: dataset.id,
      prompt_id: prompt.id,
      cpu: 1,
      gpu: 1,
      memory: 1,
      eval_dataset_fraction: 0.5,
    });
    const done = (await fts.waitForJob(job!.id, { timeoutMs: 60_000, pollIntervalMs: 100 })) as EvaluationJobMetadata;
    expect(done).toMatchObject({ id: job!.id, type: 'mlflow', status: 'succeeded' });
  }, 90_000);

  it('waitForJob times out; breaking out of watchJob cancels the stream; cancelJob stops the job', async () => {
    const { fine_tuning_job: job } = await fts.startFineTuningJob(await jobRequest({ adapter_name: LONG }));
    const t = Date.now();
    await expect(fts.waitForJob(job!.id, { timeoutMs: 500, pollIntervalMs: 100 })).rejects.toBeInstanceOf(JobWaitTimeoutError);
    expect(Date.now() - t).toBeLessThan(5000);
    let seen = 0;
    for await (const u of fts.watchJob(job!.id)) {
      if (u.kind === 'metric') seen++;
      if (seen === 2) break; // ends the call quietly
    }
    expect(seen).toBe(2);
    const cancelled = await fts.cancelJob(job!.id);
    expect(['cancelling', 'cancelled']).toContain(cancelled.status);
    expect((await fts.waitForJob(job!.id, { timeoutMs: 30_000, pollIntervalMs: 100 })).status).toBe('cancelled');
    const again = await rejection(fts.cancelJob(job!.id));
    expect(again.code).toBe(Status.FAILED_PRECONDITION);
  }, 90_000);

  it('stream.cancel() and an aborted signal end a stream quietly', async () => {
    const { fine_tuning_job: job } = await fts.startFineTuningJob(await jobRequest({ adapter_name: `${LONG}-2` }));
    const s = fts.watchJob(job!.id);
    const first = await s.next();
    expect(first.value).toMatchObject({ kind: 'status' });
    s.cancel();
    const rest: JobUpdate[] = [];
    for await (const u of s) rest.push(u);
    expect(rest.length).toBeLessThan(600);
    const ac = new AbortController();
    const events: unknown[] = [];
    setTimeout(() => ac.abort(), 300);
    for await (const e of fts.watchEvents({ after_position: 0 }, { signal: ac.signal })) events.push(e);
    expect(events.length).toBeGreaterThan(0);
    await fts.cancelJob(job!.id);
    expect((await fts.waitForJob(job!.id, { timeoutMs: 30_000, pollIntervalMs: 100 })).status).toBe('cancelled');
  }, 60_000);

  it('a failed stream throws an FtsError from the loop; the job helpers on a missing id are NOT_FOUND', async () => {
    const consume = async () => {
      for await (const u of fts.watchJob('no-such-job')) void u;
    };
    const e = await rejection(consume());
    expect([e.codeName, e.method]).toEqual(['NOT_FOUND', 'WatchJob']);
    const logs = async () => {
      for await (const c of fts.getJobLogs({ job_id: 'no-such-job' })) void c;
    };
    expect((await rejection(logs())).code).toBe(Status.NOT_FOUND);
    expect((await rejection(fts.waitForJob('no-such-job'))).code).toBe(Status.NOT_FOUND);
    expect((await rejection(fts.cancelJob('no-such-job'))).code).toBe(Status.NOT_FOUND);
  });

  describe('with FTS_AUTH_TOKEN on the server', () => {
    let auth: ServerHandle;
    beforeAll(async () => {
      auth = await startServer({ seed: false, env: { FTS_AUTH_TOKEN: TOKEN }, metadata: { authorization: `Bearer ${TOKEN}` } });
    }, 120_000);
    afterAll(() => auth?.stop());

    it('sends the token on every call, from the option or FTS_AUTH_TOKEN', async () => {
      const anonymous = new FineTuningStudioClient({ port: auth.grpcPort, env: {} });
      expect((await rejection(anonymous.listDatasets())).code).toBe(Status.UNAUTHENTICATED);
      anonymous.close();
      const wrong = new FineTuningStudioClient({ port: auth.grpcPort, token: 'wrong', env: { FTS_AUTH_TOKEN: TOKEN } });
      expect((await rejection(wrong.listDatasets())).code).toBe(Status.UNAUTHENTICATED);
      wrong.close();
      for (const c of [
        new FineTuningStudioClient({ port: auth.grpcPort, token: TOKEN, env: {} }),
        new FineTuningStudioClient({ port: auth.grpcPort, env: { FTS_AUTH_TOKEN: TOKEN } }),
      ]) {
        expect(await c.getDatasets()).toEqual([]);
        expect(await c.call('ListPrompts', {}, { metadata: { 'x-trace': '1' } })).toMatchObject({ prompts: [] });
        // Streams carry it too: NOT_FOUND, not UNAUTHENTICATED.
        const watch = async () => {
          for await (const u of c.watchJob('no-such-job')) void u;
        };
        expect((await rejection(watch())).code).toBe(Status.NOT_FOUND);
        c.close();
      }
    });
  });
});

// ------------------------------------------------------------------ compile-time checks (npx tsc -p clients/typescript/test)
export async function typeChecks(c: FineTuningStudioClient): Promise<void> {
  const r = await c.listDatasets();
  const names: string[] = r.datasets.map((d) => d.name);
  void names;
  // @ts-expect-error: not a field of GetDatasetRequest
  await c.getDataset({ id: 'x', nope: 1 });
  // @ts-expect-error: id is a string
  await c.call('GetDataset', { id: 1 });
  // @ts-expect-error: WatchJob is a stream, not a unary call
  await c.call('WatchJob', { job_id: 'x' });
  // @ts-expect-error: no such RPC
  await c.call('NoSuchRpc', {});
  for await (const u of c.watchJob('x')) {
    const status: string = u.status;
    void status;
  }
}
