/**
 * The slurm runner against a real single-node Slurm cluster that this file
 * starts (scripts/slurm/start-test-cluster.sh) and stops: the studio with
 * FTS_RUNNER=slurm, driven through gRPC, running the progress-only template
 * (job-templates/testing/progress_only.py) as Slurm batch jobs.
 * Needs root (slurmd, munged); installs slurm-wlm and munge when missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { REPO_ROOT, type Msg } from './support/grpc-client.js';
import { startServer, type ServerHandle } from './support/server.js';
import { fineTuningRequest } from './support/jobs.js';
import { canStartCluster, startTestCluster, type TestCluster } from './support/slurm-cluster.js';

const TEMPLATE = path.join(REPO_ROOT, 'job-templates/testing/progress_only.py');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LONG = { steps: 2000, interval_s: 0.1 };

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, everyMs = 200): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

const suite = canStartCluster() ? describe : describe.skip;
if (!canStartCluster()) console.warn('slurm.spec.ts skipped: starting the test Slurm cluster needs root.');

suite('slurm runner on a real Slurm cluster', () => {
  let cluster: TestCluster;
  let srv: ServerHandle;
  let request: (name: string, extra?: Msg) => Msg;
  let nodeCpus: number;

  const job = async (id: string) => (await srv.client.call('GetFineTuningJob', { id })).fine_tuning_job as Msg;
  const statusIs = (id: string, ...statuses: string[]) => async () => {
    const j = await job(id);
    return statuses.includes(j.status) ? j : undefined;
  };
  const start = async (name: string, extra: Msg = {}) => (await srv.client.call('StartFineTuningJob', request(name, extra))).fine_tuning_job as Msg;
  /** The Slurm job ids squeue still lists as pending or running. */
  const inQueue = async () => (await cluster.run('squeue', ['-h', '-o', '%i'])).split('\n').map((s) => s.trim()).filter(Boolean);
  const runFolder = (id: string) => path.join(srv.root, '.app/job_runs', id);

  beforeAll(async () => {
    cluster = startTestCluster();
    nodeCpus = Number((await cluster.run('sinfo', ['-h', '-N', '-o', '%c'])).trim().split('\n')[0]);
    srv = await startServer({
      seed: false,
      env: {
        SLURM_CONF: cluster.slurmConf,
        FTS_RUNNER: 'slurm',
        FTS_JOB_TEMPLATE: TEMPLATE,
        FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({
          steps: 5,
          interval_s: 0.2,
          per_job: {
            'fail-a': { exit_code: 3, fail_message: 'the loss went to NaN' },
            'cancel-run': LONG,
            filler: LONG,
            'timeout-a': LONG,
            'kill-long': LONG,
            'kill-short': { steps: 40, interval_s: 0.25 },
          },
        }),
        FTS_CANCEL_GRACE_MS: '3000',
      },
    });
    fs.mkdirSync(path.join(srv.root, 'data'), { recursive: true });
    fs.writeFileSync(path.join(srv.root, 'data/tickets.csv'), 'instruction,intent\n"Cancel my order",cancel_order\n');
    fs.mkdirSync(path.join(srv.root, 'models/tiny'), { recursive: true });
    fs.writeFileSync(path.join(srv.root, 'models/tiny/config.json'), JSON.stringify({ architectures: ['LlamaForCausalLM'] }));
    const c = srv.client;
    const { dataset } = await c.call('AddDataset', { type: 'project_csv', name: 'tickets', location: 'data/tickets.csv' });
    const { model } = await c.call('AddModel', { type: 'project', location: 'models/tiny' });
    const { prompt } = await c.call('AddPrompt', {
      prompt: { id: 'p1', name: 'tickets', dataset_id: dataset.id, prompt_template: '{instruction} {intent}', input_template: '{instruction}', completion_template: '{intent}' },
    });
    request = (adapter_name, extra = {}) =>
      fineTuningRequest({ model: model.id, dataset: dataset.id, prompt: prompt.id }, adapter_name, { auto_add_adapter: true, ...extra });
  }, 300_000);

  afterAll(async () => {
    await srv?.stop();
    cluster?.stop();
  }, 120_000);

  let timeoutJob: Msg;
  it('accepts a job with its own time limit (checked below, once Slurm has stopped it)', async () => {
    timeoutJob = await start('timeout-a', { time_limit: '0:01' });
    expect(timeoutJob.time_limit).toBe('0:01');
    expect(timeoutJob.runner).toBe('');
  });

  it('runs a job to succeeded with its metrics and adapter, and shows its Slurm job id and node', async () => {
    const started = await start('ok-a');
    const done = await waitFor('ok-a succeeded', statusIs(started.id, 'succeeded', 'failed'), 60_000);
    expect({ status: done.status, message: done.status_message }).toEqual({ status: 'succeeded', message: 'Finished.' });
    expect(done.cluster_job_id).toMatch(/^\d+$/);
    expect(done.cluster_nodes).toBe('ftsnode');
    const { points: metrics } = await srv.client.call('GetJobMetrics', { job_id: started.id });
    expect((metrics as Msg[]).map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);
    expect(done.adapter_id).toBeTruthy();
    const { adapter } = await srv.client.call('GetAdapter', { id: done.adapter_id });
    expect(adapter.fine_tuning_job_id).toBe(started.id);
    // Slurm ran exactly the generated batch script, and its exit record is the template's.
    expect(fs.readFileSync(path.join(runFolder(started.id), 'job.sbatch'), 'utf8')).toMatch(/^#!\/bin\/sh/);
    expect(JSON.parse(fs.readFileSync(path.join(runFolder(started.id), 'exit.json'), 'utf8'))).toMatchObject({ code: 0 });
  }, 90_000);

  it('runs an evaluation job on the cluster too, and refuses a bad runner there', async () => {
    const ft = (await srv.client.call('ListFineTuningJobs', {})).fine_tuning_jobs.find((j: Msg) => j.adapter_name === 'ok-a') as Msg;
    const base = { model_adapter_combinations: [{ base_model_id: ft.base_model_id, adapter_id: ft.adapter_id }], dataset_id: ft.dataset_id, prompt_id: ft.prompt_id, cpu: 1, gpu: 0, memory: 1 };
    const { evaluation_jobs: [ev] } = await srv.client.call('StartEvaluationJob', { ...base, time_limit: '10:00' });
    expect(ev.time_limit).toBe('10:00');
    const done = await waitFor('evaluation ended', async () => {
      const j = (await srv.client.call('GetEvaluationJob', { id: ev.id })).evaluation_job as Msg;
      return ['succeeded', 'failed'].includes(j.status) ? j : undefined;
    }, 60_000);
    expect({ status: done.status, node: done.cluster_nodes }).toEqual({ status: 'succeeded', node: 'ftsnode' });
    expect(done.cluster_job_id).toMatch(/^\d+$/);
    expect(await srv.client.attempt('StartEvaluationJob', { ...base, runner: 'k8s' })).toMatchObject({ ok: false, codeName: 'INVALID_ARGUMENT' });
  }, 90_000);

  it('fails with the template’s exit code and error line', async () => {
    const started = await start('fail-a');
    const done = await waitFor('fail-a ended', statusIs(started.id, 'succeeded', 'failed'), 60_000);
    expect(done.status).toBe('failed');
    expect(done.status_message).toMatch(/exited with code 3/);
    expect(done.status_message).toMatch(/the loss went to NaN/);
    expect((await cluster.run('squeue', ['-h', '--states=all', '-j', done.cluster_job_id, '-o', '%T'])).trim()).toBe('FAILED');
  }, 90_000);

  it('cancels a running job: cancelled once Slurm has let it go, and gone from squeue', async () => {
    const started = await start('cancel-run');
    const running = await waitFor('cancel-run running', statusIs(started.id, 'running'), 60_000);
    await waitFor('a progress point', async () => ((await srv.client.call('GetJobMetrics', { job_id: started.id })).points.length ? true : undefined), 30_000);
    // The log follows from the shared run folder while Slurm runs the job, and ends once it has stopped.
    const lines: string[] = [];
    const logs = srv.client.stream('GetJobLogs', { job_id: started.id, follow: true, tail_lines: 10 });
    logs.on('data', (chunk: Msg) => lines.push(...(chunk.lines as string[])));
    const logsEnded = new Promise<void>((resolve) => logs.on('end', () => resolve()).on('error', () => resolve()));
    await waitFor('a log line', async () => (lines.some((l) => l.includes('progress')) ? true : undefined), 15_000);
    await srv.client.call('CancelFineTuningJob', { id: started.id });
    const done = await waitFor('cancel-run cancelled', statusIs(started.id, 'cancelled', 'failed', 'succeeded'), 30_000);
    expect(done.status).toBe('cancelled');
    expect(await inQueue()).not.toContain(running.cluster_job_id);
    // The template saw SIGTERM (the grace period) and its wrapper recorded the exit.
    expect(JSON.parse(fs.readFileSync(path.join(runFolder(started.id), 'exit.json'), 'utf8'))).toMatchObject({ code: 143 });
    await logsEnded;
    expect(lines.join('\n')).toMatch(/SIGTERM/);
  }, 90_000);

  it('ends a job past its time limit as failed, saying so', async () => {
    // Started first (it runs beside the tests above): Slurm checks time limits about every 30 s.
    const done = await waitFor('timeout-a ended', statusIs(timeoutJob.id, 'succeeded', 'failed', 'cancelled'), 120_000, 500);
    expect(done.status).toBe('failed');
    expect(done.status_message).toMatch(/time limit/);
    expect((await cluster.run('squeue', ['-h', '--states=all', '-j', done.cluster_job_id, '-o', '%T'])).trim()).toBe('TIMEOUT');
  }, 150_000);

  it('queues 20 jobs behind a full node with Slurm’s pending reason, and cancels them while pending', async () => {
    const filler = await start('filler', { cpu: nodeCpus });
    await waitFor('filler running', statusIs(filler.id, 'running'), 60_000);
    const waiting = await Promise.all(Array.from({ length: 20 }, (_, i) => start(`queued-${i}`)));
    const pending = await Promise.all(
      waiting.map((w) =>
        waitFor(`${w.id} queued on the cluster`, async () => {
          const j = await job(w.id);
          return j.status === 'scheduling' && /Queued on the Slurm cluster as job \d+: (Resources|Priority)/.test(j.status_message) ? j : undefined;
        }, 60_000),
      ),
    );
    const ids = pending.map((j) => j.cluster_job_id as string);
    expect(new Set(ids).size).toBe(20);
    const queue = await cluster.run('squeue', ['-h', '-j', ids.join(','), '-o', '%T']);
    expect(queue.trim().split('\n')).toEqual(Array(20).fill('PENDING'));

    await Promise.all(waiting.map((w) => srv.client.call('CancelFineTuningJob', { id: w.id })));
    const ended = await Promise.all(waiting.map((w) => waitFor(`${w.id} cancelled`, statusIs(w.id, 'cancelled', 'failed', 'succeeded'), 60_000)));
    expect(ended.map((j) => j.status)).toEqual(Array(20).fill('cancelled'));
    const left = await inQueue();
    for (const id of ids) expect(left).not.toContain(id);

    await srv.client.call('CancelFineTuningJob', { id: filler.id });
    expect((await waitFor('filler cancelled', statusIs(filler.id, 'cancelled', 'failed'), 30_000)).status).toBe('cancelled');
  }, 180_000);

  it('after kill -9 of the studio, re-attaches a running job and one that finished meanwhile within 10 s', async () => {
    const long = await start('kill-long');
    const short = await start('kill-short');
    const [longRunning, shortRunning] = await Promise.all([
      waitFor('kill-long running', statusIs(long.id, 'running'), 60_000),
      waitFor('kill-short running', statusIs(short.id, 'running'), 60_000),
    ]);
    await srv.kill9();
    // kill-short finishes while the studio is down.
    await waitFor('kill-short exit record', async () => (fs.existsSync(path.join(runFolder(short.id), 'exit.json')) ? true : undefined), 60_000);
    await waitFor('kill-short gone from squeue', async () => ((await inQueue()).includes(shortRunning.cluster_job_id) ? undefined : true), 30_000);
    await srv.restart();
    const [l, s] = await Promise.all([
      waitFor('kill-long running again', statusIs(long.id, 'running'), 10_000, 100),
      waitFor('kill-short succeeded', statusIs(short.id, 'succeeded', 'failed'), 10_000, 100),
    ]);
    expect(s.status).toBe('succeeded');
    expect(l.cluster_job_id).toBe(longRunning.cluster_job_id);
    expect(((await srv.client.call('GetJobMetrics', { job_id: short.id })).points as Msg[]).length).toBe(40);
    expect(s.adapter_id).toBeTruthy();

    await srv.client.call('CancelFineTuningJob', { id: long.id });
    expect((await waitFor('kill-long cancelled', statusIs(long.id, 'cancelled', 'failed'), 30_000)).status).toBe('cancelled');
    expect(await inQueue()).not.toContain(longRunning.cluster_job_id);
  }, 240_000);

  it('runs a job that asks for the local runner on this machine, beside the cluster', async () => {
    const started = await start('local-one', { runner: 'local' });
    expect(started.runner).toBe('local');
    const done = await waitFor('local-one ended', statusIs(started.id, 'succeeded', 'failed'), 60_000);
    expect(done.status).toBe('succeeded');
    expect(done.cluster_job_id).toBe('');
    expect(fs.existsSync(path.join(runFolder(started.id), 'pid.json'))).toBe(true);
    expect(fs.existsSync(path.join(runFolder(started.id), 'slurm.json'))).toBe(false);
  }, 90_000);

  it('refuses an unknown runner and a malformed time limit with INVALID_ARGUMENT', async () => {
    const bad = await srv.client.attempt('StartFineTuningJob', request('bad-runner', { runner: 'k8s' }));
    expect(bad).toMatchObject({ ok: false, codeName: 'INVALID_ARGUMENT' });
    const badTime = await srv.client.attempt('StartFineTuningJob', request('bad-time', { time_limit: 'soon' }));
    expect(badTime).toMatchObject({ ok: false, codeName: 'INVALID_ARGUMENT' });
    // A runner this server is not configured for fails the job with the reason.
    const cml = await start('wants-cml', { runner: 'cml' });
    const failed = await waitFor('wants-cml failed', statusIs(cml.id, 'failed'), 15_000);
    expect(failed.status_message).toMatch(/asks for the 'cml' runner, which this server cannot run: .*CDSW_API_URL/);
  });
});
