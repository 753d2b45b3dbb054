/**
 * A fine-tuning job started with `user_script` runs that script as its entry
 * point (the original's behaviour), with the template's arguments and
 * environment, instead of silently running the standard template.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { REPO_ROOT, type Msg } from './support/grpc-client.js';
import { startServer, type ServerHandle } from './support/server.js';

const TEMPLATE = path.join(REPO_ROOT, 'job-templates/testing/progress_only.py');

/** The user's script: records how it was called next to events.jsonl, then reports progress like a template. */
const USER_SCRIPT = `import json, os, runpy, sys
events = sys.argv[sys.argv.index("--events") + 1]
with open(os.path.join(os.path.dirname(events), "user-script.json"), "w") as handle:
    json.dump({"argv": sys.argv[1:], "hf_token": os.environ.get("HF_TOKEN")}, handle)
sys.argv = [${JSON.stringify(TEMPLATE)}] + sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
`;

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a fine-tuning job with a user script', () => {
  let srv: ServerHandle;
  let request: (name: string, extra?: Msg) => Msg;

  beforeAll(async () => {
    // One slot: a second job waits in the queue while the first runs (the vanished-script case needs that).
    srv = await startServer({ seed: false, env: { FTS_GPU_SLOTS: '1', FTS_JOB_TEMPLATE: TEMPLATE, FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({ steps: 3, interval_s: 0.05 }) } });
    fs.mkdirSync(path.join(srv.root, 'data'), { recursive: true });
    fs.writeFileSync(path.join(srv.root, 'data/t.csv'), 'instruction,intent\n"Cancel my order",cancel_order\n');
    fs.mkdirSync(path.join(srv.root, 'models/tiny'), { recursive: true });
    fs.writeFileSync(path.join(srv.root, 'models/tiny/config.json'), '{}');
    fs.mkdirSync(path.join(srv.root, 'scripts'), { recursive: true });
    fs.writeFileSync(path.join(srv.root, 'scripts/train.py'), USER_SCRIPT);
    const { dataset } = await srv.client.call('AddDataset', { type: 'project_csv', name: 't', location: 'data/t.csv' });
    const { model } = await srv.client.call('AddModel', { type: 'project', location: 'models/tiny' });
    const { prompt } = await srv.client.call('AddPrompt', {
      prompt: { id: 'p1', name: 't', dataset_id: dataset.id, prompt_template: '{instruction} {intent}', input_template: '{instruction}', completion_template: '{intent}' },
    });
    request = (adapter_name, extra = {}) => ({
      adapter_name, base_model_id: model.id, dataset_id: dataset.id, prompt_id: prompt.id, num_workers: 1, num_epochs: 1,
      learning_rate: 0.0002, cpu: 1, gpu: 0, memory: 1, train_test_split: 0.9, dataset_fraction: 1, ...extra,
    });
  }, 120_000);
  afterAll(() => srv?.stop());

  it('runs the script as the entry point with --spec and --events, and the job succeeds on its progress', async () => {
    const { fine_tuning_job: job } = await srv.client.call('StartFineTuningJob', request('scripted', { user_script: 'scripts/train.py' }));
    const done = await waitFor(async () => {
      const j = (await srv.client.call('GetFineTuningJob', { id: job.id })).fine_tuning_job as Msg;
      return ['succeeded', 'failed'].includes(j.status) ? j : undefined;
    }, 30_000);
    expect(done.status).toBe('succeeded');
    const marker = path.join(srv.root, '.app/job_runs', job.id, 'user-script.json');
    const called = JSON.parse(fs.readFileSync(marker, 'utf8')) as { argv: string[] };
    expect(called.argv).toEqual(['--spec', expect.stringMatching(/spec\.json$/), '--events', expect.stringMatching(/events\.jsonl$/)]);
  }, 60_000);

  it('fails the job with the reason when the script is gone by the time it runs', async () => {
    const status = async (id: string) => ((await srv.client.call('GetFineTuningJob', { id })).fine_tuning_job as Msg).status as string;
    // A first job holds the only slot until the test releases it, so the second is dispatched only after its script is gone.
    const release = path.join(srv.root, 'scripts/release');
    fs.writeFileSync(path.join(srv.root, 'scripts/hold.py'), `import os, time\nwhile not os.path.exists(${JSON.stringify(release)}):\n    time.sleep(0.05)\n${USER_SCRIPT}`);
    const { fine_tuning_job: holder } = await srv.client.call('StartFineTuningJob', request('holder', { user_script: 'scripts/hold.py' }));
    await waitFor(async () => ((await status(holder.id)) === 'running' ? true : undefined), 30_000);
    fs.writeFileSync(path.join(srv.root, 'scripts/once.py'), USER_SCRIPT);
    const { fine_tuning_job: job } = await srv.client.call('StartFineTuningJob', request('vanished', { user_script: 'scripts/once.py' }));
    expect(await status(job.id)).toBe('queued');
    fs.rmSync(path.join(srv.root, 'scripts/once.py'));
    fs.writeFileSync(release, '');
    expect((await waitFor(async () => ((await status(holder.id)) === 'succeeded' ? true : undefined), 30_000))).toBe(true);
    const done = await waitFor(async () => {
      const j = (await srv.client.call('GetFineTuningJob', { id: job.id })).fine_tuning_job as Msg;
      return ['succeeded', 'failed'].includes(j.status) ? j : undefined;
    }, 30_000);
    // The supervisor re-checks the script when it dispatches the job: it never runs the template instead.
    expect(done.status).toBe('failed');
    expect(fs.existsSync(path.join(srv.root, '.app/job_runs', job.id, 'user-script.json'))).toBe(false);
  }, 90_000);
});
