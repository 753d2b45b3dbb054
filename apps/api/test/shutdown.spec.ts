/**
 * SIGTERM while clients follow the log: every stream ends (gRPC with
 * UNAVAILABLE, SSE by closing), and the process exits within seconds.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { jest, describe, it, expect, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import { REPO_ROOT, type Msg } from './support/grpc-client.js';

jest.setTimeout(120_000);

let srv: ServerHandle;
afterAll(async () => {
  await srv?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM and the time until the process is gone (up to 10 s). */
async function sigterm(pid: number): Promise<number> {
  const t0 = Date.now();
  process.kill(pid, 'SIGTERM');
  while (alive(pid) && Date.now() - t0 < 10_000) await sleep(50);
  return Date.now() - t0;
}

describe('shutdown', () => {
  it('SIGTERM with an SSE client and a WatchEvents call open: both streams end and the process exits in < 5 s', async () => {
    srv = await startServer({ seed: false });
    const sseEnded = new Promise<void>((resolve) => {
      http.get(`${srv.httpUrl}/api/events/stream`, (res) => {
        res.on('data', () => undefined);
        res.on('close', () => resolve());
      }).on('error', () => resolve());
    });
    const call = srv.client.stream('WatchEvents', { after_position: 0 });
    call.on('data', () => undefined);
    const grpcEnded = new Promise<number>((resolve) => call.on('error', (e: { code: number }) => resolve(e.code)));
    await new Promise((r) => setTimeout(r, 500));

    const pid = srv.pid()!;
    const ms = await sigterm(pid);
    console.log(`exited ${ms} ms after SIGTERM with an SSE client and a WatchEvents call open`);
    expect(alive(pid)).toBe(false);
    expect(ms).toBeLessThan(5000);
    await sseEnded;
    expect(await grpcEnded).toBe(14); // UNAVAILABLE
    expect(srv.logs()).not.toMatch(/Shutdown took longer/);
  });

  it('a run keeps going through a SIGTERM and is followed again after the restart, no metric point lost', async () => {
    await srv.restart({
      FTS_JOB_TEMPLATE: path.join(REPO_ROOT, 'job-templates/testing/progress_only.py'),
      FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({ steps: 40, interval_s: 0.15 }),
    });
    fs.mkdirSync(path.join(srv.root, 'data'), { recursive: true });
    fs.writeFileSync(path.join(srv.root, 'data/tickets.csv'), 'instruction,intent\n"Cancel my order",cancel_order\n');
    fs.mkdirSync(path.join(srv.root, 'models/tiny'), { recursive: true });
    fs.writeFileSync(path.join(srv.root, 'models/tiny/config.json'), JSON.stringify({ architectures: ['LlamaForCausalLM'] }));
    const c = srv.client;
    const { dataset } = await c.call('AddDataset', { type: 'project_csv', name: 'tickets', location: 'data/tickets.csv' });
    const { model } = await c.call('AddModel', { type: 'project', location: 'models/tiny' });
    const { prompt } = await c.call('AddPrompt', {
      prompt: { id: 'p-1', name: 'tickets', dataset_id: dataset.id, prompt_template: 'R: {instruction}\nI: {intent}', input_template: 'R: {instruction}\nI: ', completion_template: '{intent}' },
    });
    const { fine_tuning_job: job } = await c.call('StartFineTuningJob', {
      adapter_name: 'through-sigterm', base_model_id: model.id, dataset_id: dataset.id, prompt_id: prompt.id,
      num_workers: 1, num_epochs: 1, learning_rate: 0.0002, cpu: 1, gpu: 0, memory: 1, train_test_split: 0.9, dataset_fraction: 1,
    });
    const statusOf = async () => ((await srv.client.call('GetFineTuningJob', { id: job.id })).fine_tuning_job as Msg).status as string;
    for (let t = Date.now(); (await statusOf()) !== 'running'; await sleep(50)) if (Date.now() - t > 20_000) throw new Error('never running');

    expect(await sigterm(srv.pid()!)).toBeLessThan(5000);
    await sleep(1000);
    await srv.restart();
    let status = '';
    for (let t = Date.now(); !['succeeded', 'failed', 'cancelled'].includes((status = await statusOf())); await sleep(100)) {
      if (Date.now() - t > 30_000) throw new Error(`still ${status}`);
    }
    expect(status).toBe('succeeded');
    const reported = fs.readFileSync(path.join(srv.root, '.app/job_runs', job.id, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"progress"')).length;
    const { points } = await srv.client.call('GetJobMetrics', { job_id: job.id });
    expect(points.length).toBe(reported);
  });
});
