// The slurm runner in the console, against a real single-node Slurm cluster that this suite starts
// (scripts/slurm/start-test-cluster.sh, as root) and stops: the settings page shows the cluster's
// partition and nodes; a job held behind a full node shows its Slurm job id and pending reason on its
// detail page, then its node once it runs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, SHOTS, assert, createSteps, launchBrowser, requireBuiltConsoleAndChromium, sleep, startStudio } from './support.mjs';

requireBuiltConsoleAndChromium();
const { step, fail, finish } = createSteps();
if (process.getuid?.() !== 0) {
  console.log('slurm e2e needs root to start the test cluster (slurmd, munged)');
  fail('start the test Slurm cluster', new Error('not root'));
  finish();
}

const scripts = path.join(ROOT, 'scripts/slurm');
const out = execFileSync(path.join(scripts, 'start-test-cluster.sh'), [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const vars = Object.fromEntries(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const slurmEnv = { ...process.env, SLURM_CONF: vars.SLURM_CONF };
const nodeCpus = Number(execFileSync('sinfo', ['-h', '-N', '-o', '%c'], { env: slurmEnv, encoding: 'utf8' }).trim().split('\n')[0]);

let studio, browser;
const until = async (what, fn, ms = 30_000) => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
};
try {
  studio = await startStudio({
    env: { SLURM_CONF: vars.SLURM_CONF, FTS_RUNNER: 'slurm' },
    template: { steps: 20, interval_s: 0.2, per_job: { filler: { steps: 2000, interval_s: 0.1 } } },
  });
  const { api, project, base } = studio;
  fs.mkdirSync(path.join(project, 'data'), { recursive: true });
  fs.writeFileSync(path.join(project, 'data/t.csv'), 'instruction,intent\n"Cancel my order",cancel_order\n');
  fs.mkdirSync(path.join(project, 'models/tiny'), { recursive: true });
  fs.writeFileSync(path.join(project, 'models/tiny/config.json'), JSON.stringify({ architectures: ['LlamaForCausalLM'] }));
  const { dataset } = await api('POST', '/datasets', { type: 'project_csv', name: 't', location: 'data/t.csv' });
  const { model } = await api('POST', '/models', { type: 'project', location: 'models/tiny' });
  const { prompt } = await api('POST', '/prompts', { id: 'p1', name: 'p', dataset_id: dataset.id, prompt_template: '{instruction} {intent}', input_template: '{instruction}', completion_template: '{intent}' });
  const body = (name, extra = {}) => ({
    adapter_name: name, base_model_id: model.id, dataset_id: dataset.id, prompt_id: prompt.id, num_workers: 1, auto_add_adapter: true,
    num_epochs: 1, learning_rate: 2e-4, cpu: 1, gpu: 0, memory: 1, train_test_split: 0.9, dataset_fraction: 1, ...extra,
  });
  const jobOf = async (id) => (await api('GET', `/fine-tuning-jobs/${id}`)).fine_tuning_job;

  browser = await launchBrowser();
  const page = await browser.newPage();
  const go = (p) => page.goto(base + p, { waitUntil: 'domcontentloaded' });

  await step('settings page shows the Slurm partition with its idle and allocated nodes', async () => {
    await go('/settings');
    const table = page.getByTestId('slurm-partitions');
    await table.waitFor({ timeout: 15_000 });
    const text = await table.innerText();
    assert(/debug \(default\)/.test(text) && /1 \/ 0 \/ 0 \/ 1/.test(text), `partition row: ${text}`);
    await page.screenshot({ path: path.join(SHOTS, 'slurm-settings.png') });
  });

  let filler, waiting;
  await step('a job held behind a full node shows its Slurm job id and pending reason on its detail page', async () => {
    filler = (await api('POST', '/fine-tuning-jobs', body('filler', { cpu: nodeCpus }))).fine_tuning_job;
    await until('filler running', async () => (await jobOf(filler.id)).status === 'running');
    waiting = (await api('POST', '/fine-tuning-jobs', body('waiting'))).fine_tuning_job;
    const queued = await until('queued on the cluster', async () => {
      const j = await jobOf(waiting.id);
      return j.cluster_job_id && /Queued on the Slurm cluster as job \d+: (Resources|Priority)/.test(j.status_message) ? j : undefined;
    });
    await go(`/jobs/${waiting.id}`);
    await page.getByTestId('cluster-placement').waitFor({ timeout: 15_000 });
    await until('job id on screen', async () => (await page.getByTestId('slurm-job-id').innerText()) === queued.cluster_job_id, 15_000);
    await until('pending reason on screen', async () => /Queued on the Slurm cluster as job \d+: (Resources|Priority)/.test(await page.getByTestId('slurm-pending').innerText()), 15_000);
    await page.screenshot({ path: path.join(SHOTS, 'slurm-pending.png') });
  });

  await step('once the node frees up, the page shows the node it runs on, and the job succeeds', async () => {
    await api('POST', `/fine-tuning-jobs/${filler.id}/cancel`, {});
    await until('node on screen', async () => (await page.getByTestId('slurm-nodes').innerText()) === 'ftsnode', 60_000);
    await until('waiting succeeded', async () => (await jobOf(waiting.id)).status === 'succeeded', 60_000);
    await until('status on screen', async () => /succeeded/.test(await page.getByTestId('job-status').innerText()), 15_000);
  });
} catch (e) {
  fail('slurm e2e setup', e);
} finally {
  await browser?.close().catch(() => {});
  await studio?.cleanup();
  execFileSync(path.join(scripts, 'stop-test-cluster.sh'), [vars.FTS_SLURM_TEST_DIR], { stdio: 'inherit' });
}
finish();
