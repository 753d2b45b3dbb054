// The first hour of a new user (issue 9), in headless Chromium against a real server on a fresh project root:
// the training form's defaults start a job (no data/adapters folder made beforehand), the form shows which epochs
// value wins, the job log shows each line once, a failed evaluation says why, the base model alone can be compared,
// jobs can be deleted (refused while running, with the reason) and run again, a database import waits for a click
// and reports a table, the event log's streams are named and filter on click.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SHOTS, assert, createSteps, launchBrowser, requireBuiltConsoleAndChromium, sleep, startStudio } from './support.mjs';

requireBuiltConsoleAndChromium();
const { step, finish, fail } = createSteps();

// Evaluations fail on purpose (the reason must reach the page); every other kind runs the progress-only template.
const EVAL_FAILURE = 'evaluate: CUDA out of memory while loading the model (first-hour e2e)';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-first-hour-'));
const wrapper = path.join(scratch, 'fail_evaluations.py');
fs.writeFileSync(wrapper, `import json, os, sys
args = sys.argv[1:]
spec_path = args[args.index("--spec") + 1]
with open(spec_path, encoding="utf-8") as f:
    spec = json.load(f)
if spec.get("kind") == "evaluate":
    spec.update(exit_code=3, fail_message=${JSON.stringify(EVAL_FAILURE)})
    with open(spec_path, "w", encoding="utf-8") as f:
        json.dump(spec, f)
template = ${JSON.stringify(path.join(ROOT, 'job-templates/testing/progress_only.py'))}
os.execv(sys.executable, [sys.executable, template, *args])
`);

let studio, browser;
try {
  studio = await startStudio({
    env: { FTS_JOB_TEMPLATE: wrapper },
    template: { steps: 12, interval_s: 0.25, per_job: { 'slow-one': { steps: 400, interval_s: 0.25 } } },
  });
  const { api, base, project } = studio;
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('dialog', (d) => void d.accept());
  const go = (p) => page.goto(base + p, { waitUntil: 'domcontentloaded' });
  const shot = (name) => page.screenshot({ path: path.join(SHOTS, name + '.png') });
  const mainText = () => page.locator('main').innerText();

  const seeded = await api('GET', '/datasets');
  const dataset = seeded.datasets.find((d) => d.name === 'Support tickets') ?? seeded.datasets[0];
  const prompt = (await api('GET', '/prompts')).prompts.find((p) => p.dataset_id === dataset?.id);
  const model = (await api('GET', '/models')).models[0];

  const jobBody = (name, extra = {}) => ({
    adapter_name: name, base_model_id: model.id, dataset_id: dataset.id, prompt_id: prompt.id, num_workers: 1, auto_add_adapter: true,
    num_epochs: 10, learning_rate: 2e-4, cpu: 2, gpu: 1, memory: 8, train_test_split: 0.9, dataset_fraction: 1, lora_config: '{"r":8}',
    training_arguments_config: '{"num_train_epochs": 10}', adapter_bnb_config: '{}', model_bnb_config: '{}', output_dir: '', framework_type: 'legacy', ...extra,
  });
  /** The first job, or (when the form could not start it) one started through the API, so later steps still check their own features. */
  const ensureFirstJob = async () => {
    if (!firstJob) {
      firstJob = (await api('POST', '/fine-tuning-jobs', jobBody('first-adapter'))).fine_tuning_job.id;
      console.log('     note: later steps use a job started through the API');
    }
    for (let i = 0; i < 240; i++) {
      const j = (await api('GET', '/fine-tuning-jobs/' + firstJob)).fine_tuning_job;
      if (['succeeded', 'failed', 'cancelled'].includes(j.status)) return j;
      await sleep(250);
    }
    throw new Error('the first job did not finish');
  };

  let firstJob;
  await step('a first training job starts with the form’s defaults in a fresh project', async () => {
    assert(dataset && prompt && model, 'the seeded dataset, prompt and model are missing');
    assert(!fs.existsSync(path.join(project, 'data/adapters')), 'the project already has data/adapters: this is not a fresh project');
    await go('/jobs/train');
    await page.locator('input[name=adapter_name]').fill('first-adapter');
    await page.locator('select[name=dataset]').selectOption(dataset.id);
    await page.locator('select[name=prompt]').selectOption(prompt.id);
    await page.locator('select[name=model]').selectOption(model.id);
    assert((await page.locator('input[name=output_dir]').inputValue()).trim() !== '', 'no default output location');
    await page.getByRole('button', { name: 'Start job' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{8,}$/, { timeout: 10000 }).catch(async (e) => {
      const shown = await page.locator('[role=alert]').allInnerTexts();
      throw new Error(`${e.message.split('\n')[0]}\nthe form says: ${shown.join(' | ')}`);
    });
    firstJob = page.url().split('/').pop();
    await page.locator('[data-testid=job-status] [data-status=succeeded], [data-testid=job-status][data-status=succeeded]').first().waitFor({ timeout: 60000 });
  });

  await step('the prompt preview shows the template once, and the form says which epochs value wins', async () => {
    await go('/jobs/train');
    await page.locator('select[name=dataset]').selectOption(dataset.id);
    await page.locator('select[name=prompt]').selectOption(prompt.id);
    const preview = await page.locator('[data-testid=prompt-preview]').textContent();
    assert(preview === prompt.prompt_template, `preview is not the prompt template:\n${preview}\n---\n${prompt.prompt_template}`);
    if (prompt.completion_template) {
      assert(!preview.includes(prompt.completion_template + prompt.completion_template), 'completion shown twice: ' + preview);
    }
    const note = await page.locator('[data-testid=epochs-override]').innerText();
    assert(note.includes('Number of epochs (10) replaces "num_train_epochs": 1'), 'override note: ' + note);
    await page.locator('input[name=epochs]').fill('1');
    await page.locator('[data-testid=epochs-override]').waitFor({ state: 'detached', timeout: 5000 });
    await page.locator('details', { hasText: 'LoRA config' }).locator('summary').click();
    const loraLabels = await page.locator('details', { hasText: 'LoRA config' }).getByText('LoRA config', { exact: true }).count();
    assert(loraLabels === 1, `"LoRA config" is written ${loraLabels} times`);
  });

  await step('the job page formats numbers and its log shows each line once', async () => {
    const job = await ensureFirstJob();
    assert(JSON.parse(job.training_arguments_config).num_train_epochs === job.num_epochs, 'the stored training arguments do not carry the form’s epochs: ' + job.training_arguments_config);
    await go('/jobs/' + firstJob);
    await page.locator('[data-testid=log]').filter({ hasText: 'progress_only' }).waitFor({ timeout: 10000 });
    await sleep(5000); // a finished job's log stream ends; the page must not append the tail again on reconnect
    const run = await page.locator('[data-testid=run-settings]').innerText();
    assert(/\b0\.0002\b/.test(run) && !/0\.000199999/.test(run), 'learning rate not formatted: ' + run);
    assert(!/0\.89999/.test(run), 'split not formatted: ' + run);
    const shown = (await page.locator('[data-testid=log]').textContent()).split('\n').filter((l) => l.trim());
    const file = fs.readFileSync(path.join(project, '.app/job_runs', firstJob, 'stdout.log'), 'utf8').split('\n').filter((l) => l.trim());
    const count = (list) => list.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map());
    const inFile = count(file);
    for (const [line, n] of count(shown)) assert(n <= (inFile.get(line) ?? 0), `log line shown ${n}× but ${inFile.get(line) ?? 0}× in stdout.log: ${line}`);
    assert(shown.length === Math.min(file.length, 2000), `log shows ${shown.length} lines, stdout.log has ${file.length}`);
  });

  await step('a running job cannot be deleted, and the page says why; once cancelled it can', async () => {
    const j = (await api('POST', '/fine-tuning-jobs', jobBody('slow-one'))).fine_tuning_job;
    await go('/jobs/' + j.id);
    await page.locator('[data-testid=job-status] [data-status=running], [data-testid=job-status][data-status=running]').first().waitFor({ timeout: 30000 });
    await page.getByRole('button', { name: 'Delete job' }).click();
    const refusal = await page.locator('[data-testid=action-error]').innerText({ timeout: 10000 });
    assert(/running/.test(refusal) && /cancel it/.test(refusal), 'refusal does not give the server’s reason: ' + refusal);
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await page.locator('[data-status=cancelled]').first().waitFor({ timeout: 30000 });
    await page.getByRole('button', { name: 'Delete job' }).click();
    await page.waitForURL(/\/jobs$/, { timeout: 10000 });
    await page.getByRole('heading', { name: 'Training jobs' }).waitFor();
    assert((await page.locator(`tr[data-job-id="${j.id}"]`).count()) === 0, 'the deleted job is still listed');
    const gone = await fetch(`${base}/api/fine-tuning-jobs/${j.id}`);
    assert(gone.status === 404, 'the job still exists: HTTP ' + gone.status);
  });

  await step('“run again with the same settings” opens the form filled in, and it starts', async () => {
    const original = await ensureFirstJob();
    const source = original.id;
    await go('/jobs/' + source);
    await page.getByRole('link', { name: 'Run again with the same settings' }).click();
    await page.waitForURL(/\/jobs\/train\?from=/, { timeout: 10000 });
    await page.locator('[data-testid=run-again-note]').waitFor({ timeout: 10000 });
    assert((await page.locator('input[name=adapter_name]').inputValue()) === 'first-adapter-2', 'adapter name: ' + (await page.locator('input[name=adapter_name]').inputValue()));
    assert((await page.locator('select[name=dataset]').inputValue()) === original.dataset_id, 'dataset not filled in');
    assert((await page.locator('select[name=prompt]').inputValue()) === original.prompt_id, 'prompt not filled in');
    assert((await page.locator('select[name=model]').inputValue()) === original.base_model_id, 'model not filled in');
    assert(Number(await page.locator('input[name=epochs]').inputValue()) === original.num_epochs, 'epochs not filled in');
    await page.getByRole('button', { name: 'Start job' }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{8,}$/, { timeout: 10000 }).catch(async (e) => {
      throw new Error(`${e.message.split('\n')[0]}\nthe form says: ${(await page.locator('[role=alert]').allInnerTexts()).join(' | ')}`);
    });
    const again = (await api('GET', '/fine-tuning-jobs/' + page.url().split('/').pop())).fine_tuning_job;
    for (const k of ['base_model_id', 'dataset_id', 'prompt_id', 'num_epochs', 'num_cpu', 'num_gpu', 'num_memory', 'out_dir']) {
      assert(again[k] === original[k], `${k}: ${again[k]} ≠ ${original[k]}`);
    }
    assert(JSON.stringify(JSON.parse(again.lora_config)) === JSON.stringify(JSON.parse(original.lora_config)), 'LoRA config differs');
  });

  await step('a failed evaluation’s page says why, with the log’s last lines; it can be deleted', async () => {
    await go('/evaluation');
    await page.locator('select[name=dataset]').selectOption(dataset.id);
    await page.locator('select[name=prompt]').selectOption(prompt.id);
    await page.locator('select[name=model0]').selectOption(model.id);
    await page.getByRole('button', { name: 'Start evaluation' }).click();
    await page.waitForURL(/\/evaluation\/[0-9a-f-]{8,}/, { timeout: 15000 });
    const box = page.locator('[data-testid=failure]');
    await box.filter({ hasText: EVAL_FAILURE }).first().waitFor({ timeout: 60000 }).catch(async (e) => {
      throw new Error(e.message.split('\n')[0] + '\nshown: ' + (await mainText()).slice(0, 1500));
    });
    await box.locator('pre', { hasText: '"level": "error"' }).waitFor({ timeout: 10000 }).catch(async (e) => {
      throw new Error(e.message.split('\n')[0] + '\nbox: ' + (await box.allInnerTexts()).join(' | '));
    });
    await shot('evaluation-failed');
    const parent = page.url().split('/').pop();
    await go('/evaluation');
    const row = page.locator(`tr[data-parent-id="${parent}"]`);
    await row.locator('[data-status=failed]').first().waitFor({ timeout: 10000 });
    assert((await row.locator('[data-status]').count()) === 1, 'a one-run evaluation shows its status more than once');
    await go('/evaluation/' + parent);
    await page.getByRole('button', { name: 'Delete evaluation' }).click();
    await page.waitForURL(/\/evaluation$/, { timeout: 10000 });
    await page.getByRole('heading', { name: 'Evaluation runs' }).waitFor();
    await sleep(500);
    assert((await page.locator(`tr[data-parent-id="${parent}"]`).count()) === 0, 'the deleted evaluation is still listed');
    assert(!(await api('GET', '/evaluation-jobs')).evaluation_jobs.some((j) => j.parent_job_id === parent || j.id === parent), 'the evaluation still exists');
  });

  await step('the base model alone can be compared', async () => {
    await go('/comparison');
    await page.locator('select[name=model]').selectOption(model.id);
    await page.getByLabel('Input text').fill('My order never arrived.');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.locator('[data-testid=comparison-status]').waitFor({ timeout: 15000 }).catch(async (e) => {
      throw new Error(e.message.split('\n')[0] + '\nshown: ' + (await page.locator('[role=alert]').allInnerTexts()).join(' | '));
    });
    await page.locator('[data-testid=output-card] pre').first().waitFor({ timeout: 60000 });
    const titles = await page.locator('[data-testid=output-card] h3').allInnerTexts();
    assert(titles.length === 1 && titles[0].startsWith('Base model'), 'cards: ' + titles.join(' | '));
    assert(!/Request\b|Field '/.test(await mainText()), 'protocol wording on the page');
  });

  await step('a database import shows the file first, imports on a click, and reports a table', async () => {
    const doc = JSON.parse(await (await fetch(base + '/api/database/export')).text());
    const before = (await api('GET', '/datasets')).datasets.length;
    const clash = doc.datasets.data[0];
    clash.name = clash.name + ' (edited elsewhere)';
    const ghostId = '0b5e4c1e-0000-4000-8000-00000000f11e';
    doc.datasets.data.push({ ...doc.datasets.data[0], id: ghostId, name: 'ghost dataset', type: 'project_csv', huggingface_name: null, location: 'data/not-here.csv' });
    const file = path.join(scratch, 'export.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    await go('/database');
    await page.getByLabel('Export file').setInputFiles(file);
    const preview = await page.locator('[data-testid=import-preview]').innerText({ timeout: 10000 });
    assert(new RegExp(`datasets\\s+${doc.datasets.data.length}`).test(preview), 'preview lacks the row count: ' + preview);
    await sleep(1000);
    assert((await api('GET', '/datasets')).datasets.length === before, 'picking the file imported it');
    await page.getByTestId('import-button').click();
    await page.locator('[data-testid=import-report]').waitFor({ timeout: 15000 });
    const problems = await page.locator('[data-testid=import-problems] tbody tr').allInnerTexts();
    const clashRow = problems.find((r) => r.includes(clash.id));
    assert(clashRow && /^datasets?\t/i.test(clashRow), 'the clashing dataset is not in the problems table: ' + problems.join('\n'));
    const tables = (await api('GET', '/datasets')).datasets;
    assert(tables.some((d) => d.id === ghostId), 'the new dataset was not imported');
    await shot('database-import');
    // The server side of item 11 (identical rows are no conflict; rows whose files are missing are flagged): checked where the server reports them.
    const report = await page.evaluate(async (text) => (await (await fetch('/api/database/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text })).json()).report, JSON.stringify(doc));
    if (report.tables.some((t) => 'unchanged' in t)) {
      const identical = doc.models.data.length;
      const models = report.tables.find((t) => t.table === 'models');
      assert(models.unchanged === identical && (models.problems ?? []).length === 0, 'identical model rows reported as conflicts: ' + JSON.stringify(models));
    } else console.log('     note: this server reports no `unchanged` counts yet (issue 9 item 11, server side)');
    if (tables.find((d) => d.id === ghostId)?.file_missing) {
      await go('/datasets');
      await page.locator('[data-testid=datasets-table] tr', { hasText: 'ghost dataset' }).locator('[data-testid=file-missing]').waitFor({ timeout: 10000 });
    } else console.log('     note: this server does not flag file_missing yet (issue 9 item 11, server side)');
  });

  await step('the event log names each stream, shows its full id, and filters on a click', async () => {
    await go('/events');
    const row = page.locator('tr[data-type=PromptAdded]').first();
    await row.waitFor({ timeout: 10000 });
    const id = (await row.getByTestId('stream-id').innerText()).trim();
    assert(/^[0-9a-f-]{36}$/.test(id) || id.length > 8, 'stream id is cut: ' + id);
    const stream = row.getByTestId('stream-cell').locator('button.link');
    const label = await stream.innerText();
    assert(!/\/[0-9a-f]{0,8} v/.test(label), 'stream shows a cut id: ' + label);
    await stream.click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-table] tr.ev').length >= 1);
    const ids = await page.locator('[data-testid=event-table] tr.ev [data-testid=stream-id]').allInnerTexts();
    assert(ids.length >= 1 && ids.every((x) => x.trim() === id), 'filter shows other streams: ' + [...new Set(ids)].join(', '));
    assert((await page.getByLabel('Filter by stream').inputValue()).includes(id), 'the filter box does not show the stream');
  });

  await step('configs are titled by what they are, the add box empties, settings say how to set up Python', async () => {
    await go('/configs');
    const first = await page.locator('.card strong').first().innerText({ timeout: 10000 });
    assert(!/^[0-9a-f]{8}/.test(first) && /LoRA/.test(first), 'config title: ' + first);
    await page.getByLabel('Config', { exact: true }).fill('{"r": 4, "lora_alpha": 8}');
    await page.getByRole('button', { name: 'Add config' }).click();
    await page.locator('.card', { hasText: 'r 4 · alpha 8' }).waitFor({ timeout: 10000 });
    assert((await page.getByLabel('Config', { exact: true }).inputValue()).replace(/\s/g, '') === '{}', 'the JSON stays in the box after adding');
    const settings = await api('GET', '/settings');
    await go('/settings');
    await page.locator('table').first().waitFor({ timeout: 10000 });
    if (settings.python?.packages && Object.values(settings.python.packages).some((v) => v === false)) {
      const hint = await page.getByTestId('python-missing').innerText();
      assert(hint.includes('npm run setup:python'), 'hint: ' + hint);
    }
  });

  await step('dataset detail shows its location once and a row count; adapters show their path apart; job messages have a tooltip', async () => {
    await go('/datasets/' + dataset.id);
    const count = await page.getByTestId('row-count').innerText({ timeout: 10000 });
    assert(/^(\d+ rows?|at least \d+ rows)$/.test(count), 'row count: ' + count);
    const text = await mainText();
    assert(text.split(dataset.location).length - 1 === 1, `the location ${dataset.location} is shown ${text.split(dataset.location).length - 1} times`);
    await go('/models');
    const adapter = page.locator('[data-testid=adapter-row]').first();
    await adapter.waitFor({ timeout: 10000 });
    assert((await adapter.getByTestId('adapter-location').innerText()).trim().length > 0, 'the adapter path is not on its own line');
    await go('/jobs');
    const msg = page.locator('[data-testid=jobs-table] td.msg').first();
    await msg.waitFor({ timeout: 10000 });
    assert((await msg.getAttribute('title')) === (await msg.textContent()).trim(), 'the message column has no tooltip');
  });

  await step('the live indicator says what its number is', async () => {
    const indicator = page.locator('[data-testid=live-indicator]');
    await indicator.filter({ hasText: /Live · event \d+/ }).waitFor({ timeout: 10000 });
    assert(/last event seen: \d+/.test(await indicator.getAttribute('title')), 'no tooltip on the live indicator');
  });

  await step('no uncaught errors in the page', async () => assert(pageErrors.length === 0, pageErrors.join('\n')));
} catch (e) {
  fail('harness', e);
} finally {
  await browser?.close().catch(() => {});
  if (studio) {
    if (process.exitCode || false) console.log(studio.log.slice(-2000));
    await studio.cleanup();
  }
  fs.rmSync(scratch, { recursive: true, force: true });
}
finish();
