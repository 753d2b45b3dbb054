/**
 * The job lifecycle through the real server, the local runner and the
 * progress-only test template (job-templates/testing/progress_only.py):
 * progress reaches watchers within 1 s, cancel stops the whole process group,
 * a kill -9 of the server loses nothing, and a queue of 50 jobs on 2 slots
 * never runs more than 2 at once and keeps its order.
 */
import fs from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import path from 'node:path';
import { REPO_ROOT, type Msg } from './support/grpc-client.js';
import { startServer, type ServerHandle } from './support/server.js';
import { fineTuningRequest, waitFor } from './support/jobs.js';

const TEMPLATE = path.join(REPO_ROOT, 'job-templates/testing/progress_only.py');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function catalog(srv: ServerHandle) {
  fs.mkdirSync(path.join(srv.root, 'data'), { recursive: true });
  fs.writeFileSync(path.join(srv.root, 'data/tickets.csv'), 'instruction,intent\n"Cancel my order",cancel_order\n"Where is it?",track_order\n');
  fs.mkdirSync(path.join(srv.root, 'models/tiny'), { recursive: true });
  fs.writeFileSync(path.join(srv.root, 'models/tiny/config.json'), JSON.stringify({ architectures: ['LlamaForCausalLM'] }));
  const c = srv.client;
  const { dataset } = await c.call('AddDataset', { type: 'project_csv', name: 'tickets', location: 'data/tickets.csv' });
  const { model } = await c.call('AddModel', { type: 'project', location: 'models/tiny' });
  const { prompt } = await c.call('AddPrompt', {
    prompt: {
      id: 'prompt-1',
      name: 'tickets',
      dataset_id: dataset.id,
      prompt_template: 'Request: {instruction}\nIntent: {intent}',
      input_template: 'Request: {instruction}\nIntent: ',
      completion_template: '{intent}',
    },
  });
  return (adapter_name: string, extra: Msg = {}) =>
    fineTuningRequest({ model: model.id, dataset: dataset.id, prompt: prompt.id }, adapter_name, { auto_add_adapter: true, ...extra });
}


const jobOf = async (srv: ServerHandle, id: string) => (await srv.client.call('GetFineTuningJob', { id })).fine_tuning_job as Msg;
const statusIs = (srv: ServerHandle, id: string, ...statuses: string[]) => async () => {
  const j = await jobOf(srv, id);
  return statuses.includes(j.status) ? j : undefined;
};

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  // Zombies count as gone.
  try {
    const stat = fs.readFileSync(`/proc/${pgid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

describe('job lifecycle with the local runner', () => {
  let srv: ServerHandle;
  let request: Awaited<ReturnType<typeof catalog>>;

  beforeAll(async () => {
    srv = await startServer({
      seed: false,
      env: {
        FTS_JOB_TEMPLATE: TEMPLATE,
        FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({
          steps: 6,
          interval_s: 0.25,
          per_job: {
            'long-a': { steps: 200, interval_s: 0.1 },
            'long-b': { steps: 200, interval_s: 0.1 },
            'kill-a': { steps: 70, interval_s: 0.1 },
            'kill-b': { steps: 90, interval_s: 0.1 },
            'quick-c': { steps: 10, interval_s: 0.1 },
          },
        }),
        FTS_GPU_SLOTS: '3',
        FTS_CANCEL_GRACE_MS: '2000',
      },
    });
    request = await catalog(srv);
  }, 120_000);
  afterAll(() => srv?.stop());

  it('runs a job to succeeded, streams every progress line within 1 s, and registers the adapter', async () => {
    const arrivals: { streamId: string; latency: number }[] = [];
    const stream = srv.client.stream('WatchEvents', { after_position: 0, types: ['JobProgressRecorded'] });
    stream.on('data', (e: Msg) => {
      const now = Date.now();
      for (const p of (JSON.parse(e.data) as { points: { at: string }[] }).points) arrivals.push({ streamId: e.stream_id, latency: now - Date.parse(p.at) });
    });
    stream.on('error', () => undefined);
    const { fine_tuning_job: job } = await srv.client.call('StartFineTuningJob', request('watched-adapter'));
    expect(job.status).toBe('queued');
    const done = await waitFor('succeeded', statusIs(srv, job.id, 'succeeded', 'failed'), 30_000);
    stream.cancel();
    expect(done.status).toBe('succeeded');
    const { points } = await srv.client.call('GetJobMetrics', { job_id: job.id }).catch(() => ({ points: undefined }));
    if (points) expect(points).toHaveLength(6);
    const latencies = arrivals.filter((a) => a.streamId === `fine_tuning_job-${job.id}`).map((a) => a.latency);
    console.log(`progress line → watcher latency (ms): ${latencies.join(', ')}`);
    expect(latencies).toHaveLength(6);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect(done.adapter_id).toBeTruthy();
    const { adapter } = await srv.client.call('GetAdapter', { id: done.adapter_id });
    expect(adapter).toMatchObject({ name: 'watched-adapter', fine_tuning_job_id: job.id, prompt_id: 'prompt-1', type: 'project' });
    expect(fs.existsSync(path.join(srv.root, adapter.location, 'adapter_config.json'))).toBe(true);

    // The adapter merged into its base model, as an export job.
    const exported = await srv.client.call('ExportModel', {
      type: 'project',
      base_model_id: adapter.model_id,
      adapter_id: adapter.id,
      model_name: 'merged-tickets',
      artifact_location: 'exports/merged-tickets',
    });
    expect(exported).toMatchObject({ status: 'queued', adapter_id: adapter.id });
    const finished = await waitFor(
      'export finished',
      async () => {
        const { export: e } = await srv.client.call('GetModelExport', { id: exported.export_id });
        return ['succeeded', 'failed'].includes(e.status) ? e : undefined;
      },
      30_000,
    );
    expect(finished.status).toBe('succeeded');
    expect(fs.existsSync(path.join(srv.root, 'exports/merged-tickets/config.json'))).toBe(true);
  }, 60_000);

  it('cancels a running job within 5 s and leaves no process of its group', async () => {
    const { fine_tuning_job: job } = await srv.client.call('StartFineTuningJob', request('long-a'));
    await waitFor('running', statusIs(srv, job.id, 'running'), 20_000);
    const pid = JSON.parse(fs.readFileSync(path.join(srv.root, '.app/job_runs', job.id, 'pid.json'), 'utf8')).pid as number;
    expect(groupAlive(pid)).toBe(true);
    const asked = Date.now();
    const cancel = await srv.client.attempt('CancelFineTuningJob', { id: job.id });
    if (!cancel.ok) throw new Error(`CancelFineTuningJob: ${cancel.details}`);
    const done = await waitFor('cancelled', statusIs(srv, job.id, 'cancelled'), 5_000, 50);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(done.status).toBe('cancelled');
    await waitFor('group gone', async () => (groupAlive(pid) ? undefined : true), 3_000, 50);
    const again = await srv.client.attempt('CancelFineTuningJob', { id: job.id });
    expect(again).toMatchObject({ ok: false, codeName: 'FAILED_PRECONDITION' });
    const remove = await srv.client.attempt('RemoveFineTuningJob', { id: job.id });
    expect(remove.ok).toBe(true);
  }, 60_000);

  it('refuses to remove a running job', async () => {
    const { fine_tuning_job: job } = await srv.client.call('StartFineTuningJob', request('long-b'));
    await waitFor('running', statusIs(srv, job.id, 'running'), 20_000);
    const r = await srv.client.attempt('RemoveFineTuningJob', { id: job.id });
    expect(r).toMatchObject({ ok: false, codeName: 'FAILED_PRECONDITION' });
    await srv.client.attempt('CancelFineTuningJob', { id: job.id });
    await waitFor('cancelled', statusIs(srv, job.id, 'cancelled'), 10_000);
  }, 60_000);

  it('after kill -9 with three jobs running (one finishing while down), restart shows each true state within 10 s and loses no metric point', async () => {
    const jobs: Msg[] = [];
    for (const name of ['kill-a', 'kill-b', 'quick-c']) jobs.push((await srv.client.call('StartFineTuningJob', request(name))).fine_tuning_job);
    for (const j of jobs) await waitFor('running', statusIs(srv, j.id, 'running'), 20_000, 50);
    await srv.kill9();
    // quick-c (10 x 0.1 s) finishes while the server is down; kill-a (7 s) and kill-b (9 s) are still running.
    await sleep(2_000);
    const restartedAt = Date.now();
    await srv.restart();
    const [a, b, c] = jobs;
    await waitFor(
      'the true state of all three',
      async () => {
        const [ja, jb, jc] = [await jobOf(srv, a.id), await jobOf(srv, b.id), await jobOf(srv, c.id)];
        const live = (s: string) => s === 'running' || s === 'succeeded';
        return jc.status === 'succeeded' && live(ja.status) && live(jb.status) ? true : undefined;
      },
      10_000,
      50,
    );
    const trueStateAfter = Date.now() - restartedAt;
    for (const j of jobs) {
      const final = await waitFor('terminal', statusIs(srv, j.id, 'succeeded', 'failed', 'cancelled'), 20_000);
      expect(final.status).toBe('succeeded');
      const lines = fs
        .readFileSync(path.join(srv.root, '.app/job_runs', j.id, 'events.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('"progress"')).length;
      const { events } = await srv.client.call('ListEvents', { stream_id: `fine_tuning_job-${j.id}`, types: ['JobProgressRecorded'] });
      const recorded = events.reduce((n: number, e: Msg) => n + (JSON.parse(e.data) as { points: unknown[] }).points.length, 0);
      expect(recorded).toBe(lines);
    }
    console.log(`kill -9 recovery: true state of all three ${trueStateAfter} ms after the restart began`);
    expect(trueStateAfter).toBeLessThan(10_000);
  }, 90_000);
});

describe('a queue of 50 jobs on 2 slots', () => {
  let srv: ServerHandle;
  let request: Awaited<ReturnType<typeof catalog>>;

  beforeAll(async () => {
    srv = await startServer({
      seed: false,
      env: {
        FTS_JOB_TEMPLATE: TEMPLATE,
        FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({ steps: 2, interval_s: 0.02 }),
        FTS_GPU_SLOTS: '2',
      },
    });
    request = await catalog(srv);
  }, 120_000);
  afterAll(() => srv?.stop());

  it('never runs more than 2 at once, finishes all, and dispatches in order', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await srv.client.call('StartFineTuningJob', request(`q-${i}`, { auto_add_adapter: false }))).fine_tuning_job.id);
    await waitFor(
      'all finished',
      async () => {
        const { fine_tuning_jobs: all } = await srv.client.call('ListFineTuningJobs', {});
        return all.every((j: Msg) => ['succeeded', 'failed'].includes(j.status)) ? all : undefined;
      },
      240_000,
      500,
    );
    const { fine_tuning_jobs: all } = await srv.client.call('ListFineTuningJobs', {});
    expect(all.filter((j: Msg) => j.status === 'succeeded')).toHaveLength(50);
    const events: Msg[] = [];
    for (let after = 0; ; ) {
      const page = await srv.client.call('ListEvents', { after_position: after, stream_type: 'fine_tuning_job', limit: 5000 });
      if (!page.events.length) break;
      events.push(...page.events);
      after = page.last_position;
    }
    let running = 0;
    let peak = 0;
    const dispatchOrder: string[] = [];
    for (const e of events) {
      const id = JSON.parse(e.data).id as string;
      if (e.type === 'JobDispatched') {
        running++;
        dispatchOrder.push(id);
      }
      if (['JobSucceeded', 'JobFailed', 'JobCancelled'].includes(e.type)) running--;
      peak = Math.max(peak, running);
    }
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBe(2);
    expect(dispatchOrder).toEqual(ids);
  }, 300_000);
});
