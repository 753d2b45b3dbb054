// Resume in place as a user sees it: a training job whose process is killed at step 7 (by a signal the studio
// did not send) shows "Retrying … from the checkpoint at step 5", continues under the same job, and ends succeeded
// with its checkpoints and attempts on the job page; a job that failed for good offers "Resume from checkpoint";
// a job started with early stopping stops once eval_loss plateaus and marks the checkpoint that became its adapter.
//   node e2e/resume.e2e.mjs      (after npx tsc -b and npm run build:web)
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, SHOTS, assert, createSteps, launchBrowser, requireBuiltConsoleAndChromium, startStudio } from './support.mjs';

requireBuiltConsoleAndChromium();
const { step, finish } = createSteps();
const studio = await startStudio({
  env: { FTS_RETRY_BACKOFF_MS: '1500' },
  template: {
    steps: 20, interval_s: 0.2,
    per_job: { 'resume-e2e': { kill_at_step: 7 }, 'gives-up-e2e': { kill_at_step: 7 }, 'plateau-e2e': { steps: 60, interval_s: 0.1, plateau_after_step: 10 } },
  },
});
const browser = await launchBrowser();
try {
  fs.mkdirSync(path.join(studio.project, 'data/adapters'), { recursive: true }); // the form's default output location
  const tiny = path.join(studio.project, 'models/tiny');
  fs.mkdirSync(tiny, { recursive: true });
  for (const f of fs.readdirSync(path.join(ROOT, 'tests/fixtures/models/tiny'))) fs.copyFileSync(path.join(ROOT, 'tests/fixtures/models/tiny', f), path.join(tiny, f));
  const { model } = await studio.api('POST', '/models', { type: 'project', location: 'models/tiny', name: 'tiny-resume' });
  const sample = (await studio.api('GET', '/datasets')).datasets.find((d) => d.name === 'Support tickets');
  assert(sample, 'the seeded sample dataset is missing');

  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const status = page.locator('[data-testid=job-status]');

  await step('a job started from the form with a checkpoint every 5 steps', async () => {
    await page.goto(studio.base + '/jobs/train', { waitUntil: 'domcontentloaded' });
    await page.locator('input[name=adapter_name]').fill('resume-e2e');
    await page.locator('select[name=dataset]').selectOption(sample.id);
    await page.locator('select[name=prompt]').selectOption({ label: 'Support ticket intent' });
    await page.locator('select[name=model]').selectOption(model.id);
    await page.locator('input[name=checkpointEvery]').fill('5');
    await page.getByRole('button', { name: 'Start job' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/, { timeout: 15000 });
  });
  const jobId = page.url().split('/').at(-1);

  await step('the job page shows the automatic retry: attempt 2 of 3 from the step-5 checkpoint', async () => {
    const banner = page.locator('[data-testid=retrying]');
    await banner.waitFor({ timeout: 20000 });
    const text = (await banner.textContent()).replace(/\s+/g, ' ');
    assert(/Retrying \(attempt 2 of 3\)/.test(text) && /killed|SIGKILL/.test(text) && /checkpoint at step 5/.test(text), 'retry banner: ' + text);
    assert((await page.locator('[data-testid=checkpoint-row]').count()) === 1, 'the step-5 checkpoint is listed while it waits');
    await page.screenshot({ path: path.join(SHOTS, 'job-retrying.png'), fullPage: true });
  });

  let givenUp;
  await step('…and it ends succeeded under the same job, with every checkpoint and the attempt shown', async () => {
    await page.locator('[data-testid=job-status]', { hasText: 'succeeded' }).waitFor({ timeout: 30000 });
    assert(page.url().endsWith(jobId), 'still the same job page');
    const attempts = (await page.locator('[data-testid=attempts]').textContent()).replace(/\s+/g, ' ');
    assert(/Attempt 2 of 3/.test(attempts) && /every 5 steps/.test(attempts), 'attempts: ' + attempts);
    await page.locator('[data-testid=checkpoint-row]').nth(3).waitFor({ timeout: 5000 });
    const steps = await page.locator('[data-testid=checkpoint-row] td:first-child').allTextContents();
    assert(JSON.stringify(steps) === '["5","10","15","20"]', 'checkpoint steps: ' + steps);
    // The log follows the job to its new attempt.
    await page.locator('[data-testid=log]', { hasText: 'resuming after step 5' }).waitFor({ timeout: 10000 });
    const progress = await page.locator('[data-testid=progress-text]').textContent();
    assert(/step 20 \/ 20/.test(progress), 'progress: ' + progress);
    const { points } = await studio.api('GET', `/jobs/${jobId}/metrics`);
    assert(points.map((p) => p.step).join() === Array.from({ length: 20 }, (_, i) => i + 1).join(), 'each step once: ' + points.map((p) => p.step));
    await page.screenshot({ path: path.join(SHOTS, 'job-resumed.png'), fullPage: true });
  });

  await step('a job out of attempts fails with the reason, and "Resume from checkpoint" continues it', async () => {
    const { fine_tuning_job: job } = (givenUp = await studio.api('POST', '/fine-tuning-jobs', {
      adapter_name: 'gives-up-e2e', base_model_id: model.id, dataset_id: sample.id,
      prompt_id: (await studio.api('GET', '/prompts')).prompts.find((p) => p.name === 'Support ticket intent').id,
      num_workers: 1, num_epochs: 1, learning_rate: 0.0002, cpu: 1, gpu: 0, memory: 1, train_test_split: 0.9, dataset_fraction: 1,
      auto_add_adapter: false, checkpoint_every_steps: 5, max_attempts: 1,
    }));
    await page.goto(`${studio.base}/jobs/${job.id}`, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-testid=failure]').waitFor({ timeout: 20000 });
    const failure = await page.locator('[data-testid=failure]').textContent();
    assert(/attempt 1 of 1: no retries left/.test(failure), 'failure: ' + failure);
    const resume = page.locator('[data-testid=resume]');
    await resume.click();
    await status.filter({ hasText: /retrying|dispatching|scheduling|running/ }).waitFor({ timeout: 10000 });
    await page.locator('[data-testid=job-status]', { hasText: 'succeeded' }).waitFor({ timeout: 30000 });
    const attempts = await page.locator('[data-testid=attempts]').textContent();
    assert(/Attempt 2 of 1/.test(attempts.replace(/\s+/g, ' ')), 'attempts after resume: ' + attempts);
  });

  await step('early stopping from the form: the job stops at step 16 and the step-10 checkpoint is its adapter', async () => {
    await page.goto(studio.base + '/jobs/train', { waitUntil: 'domcontentloaded' });
    await page.locator('input[name=adapter_name]').fill('plateau-e2e');
    await page.locator('select[name=dataset]').selectOption(sample.id);
    await page.locator('select[name=prompt]').selectOption({ label: 'Support ticket intent' });
    await page.locator('select[name=model]').selectOption(model.id);
    await page.locator('input[name=checkpointEvery]').fill('2');
    await page.locator('input[name=patience]').fill('3');
    await page.getByRole('button', { name: 'Start job' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/, { timeout: 15000 });
    await page.locator('[data-testid=job-status]', { hasText: 'succeeded' }).waitFor({ timeout: 30000 });
    const message = await page.locator('.caption').first().textContent();
    assert(/Stopped early at step 16/.test(message) && /checkpoint at step 10/.test(message), 'status message: ' + message);
    const best = page.locator('[data-testid=checkpoint-row]', { has: page.locator('[data-testid=best-checkpoint]') });
    await best.waitFor({ timeout: 5000 });
    assert((await best.locator('td').first().textContent()).startsWith('10'), 'best row: ' + (await best.textContent()));
    await page.screenshot({ path: path.join(SHOTS, 'job-early-stopped.png'), fullPage: true });
  });

  await step('deleting a job with its files removes its run folders and checkpoints', async () => {
    const id = givenUp.fine_tuning_job.id;
    const folders = () => fs.readdirSync(path.join(studio.project, '.app/job_runs')).filter((d) => d.startsWith(id));
    assert(folders().join() === `${id},${id}.attempt-2`, 'run folders before: ' + folders());
    await page.goto(`${studio.base}/jobs/${id}`, { waitUntil: 'domcontentloaded' });
    const answers = [];
    const onDialog = (d) => { answers.push(d.message()); void d.accept(); };
    page.on('dialog', onDialog);
    await page.getByRole('button', { name: 'Delete job' }).click();
    await page.waitForURL(/\/jobs$/, { timeout: 10000 });
    page.off('dialog', onDialog);
    assert(answers.length === 2 && /Also delete its files/.test(answers[1]), 'dialogs: ' + answers.join(' | '));
    assert(folders().length === 0, 'run folders left: ' + folders());
  });

  await step('deleting an adapter offers its folder too, and says what it deleted and what it kept', async () => {
    const adapter = (await studio.api('GET', '/adapters')).adapters.find((a) => a.name === 'plateau-e2e');
    assert(adapter, 'the early-stopped job registered no adapter');
    await page.goto(studio.base + '/models', { waitUntil: 'domcontentloaded' });
    const answers = [];
    const onDialog = (d) => { answers.push(d.message()); void d.accept(); };
    page.on('dialog', onDialog);
    const row = page.locator('[data-testid=adapter-row]', { hasText: 'plateau-e2e' });
    await row.getByRole('button', { name: 'Delete' }).click();
    const note = page.getByText('Adapter "plateau-e2e" deleted.');
    await note.waitFor({ timeout: 10000 });
    page.off('dialog', onDialog);
    assert(answers.length === 2 && /Also delete its folder/.test(answers[1]), 'dialogs: ' + answers.join(' | '));
    const text = await note.textContent();
    assert(/Deleted: |Kept: /.test(text), 'report: ' + text);
    const deleted = /Deleted: (.*?)\.(?: |$)/.exec(text)?.[1]?.split(', ') ?? [];
    for (const d of deleted) assert(!fs.existsSync(path.join(studio.project, d)), `${d} still exists`);
    assert(!(await studio.api('GET', '/adapters')).adapters.some((a) => a.id === adapter.id), 'adapter still listed');
  });

  await step('no page errors', async () => assert(pageErrors.length === 0, pageErrors.join('\n')));
} catch (e) {
  console.log('FAIL setup: ' + (e?.stack ?? e));
  console.log(studio.log.slice(-3000));
} finally {
  await browser.close();
  await studio.cleanup();
}
finish();
