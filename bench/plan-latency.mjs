// Plan latency over a generated project CSV (default 100k rows), with and without a tokenizer:
//   node bench/plan-latency.mjs [rows]      (after npx tsc -b)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planFineTuning } from '@fts/domain';
import { readPlanSplits } from '../apps/api/dist/jobs/plan/plan-dataset.js';
import { loadTokenizer } from '../apps/api/dist/jobs/plan/plan-tokenizer.js';
import { ProjectPaths } from '../apps/api/dist/platform/paths/project-paths.js';

const n = Number(process.argv[2] ?? 100_000);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-plan-bench-'));
const words = ['reset', 'password', 'order', 'refund', 'login', 'invoice', 'shipping', 'account', 'cancel', 'address'];
const lines = ['instruction,intent'];
for (let i = 0; i < n; i++) {
  const len = 5 + (i % 40);
  const text = Array.from({ length: len }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ');
  lines.push(`"${text} number ${i}",${words[i % words.length]}_${i % 13}`);
}
fs.writeFileSync(path.join(root, 'rows.csv'), lines.join('\n') + '\n');
const paths = new ProjectPaths(root);
const job = { num_epochs: 1, num_gpu: 1, num_workers: 1, dataset_fraction: 1, train_test_split: 0.9, training_arguments_config: null, lora_config: null, model_bnb_config: null, adapter_bnb_config: null };
const prompt = { prompt_template: '### Request: {instruction}\n### Intent: {intent}', input_template: '### Request: {instruction}\n### Intent: ', completion_template: '{intent}' };
const tokenizerDir = process.env.PLAN_TOKENIZER_DIR;
const tokenizer = tokenizerDir
  ? { known: true, tokenizer: loadTokenizer({ tokenizer: path.join(tokenizerDir, 'tokenizer.json'), config: path.join(tokenizerDir, 'tokenizer_config.json'), from: tokenizerDir }) }
  : { known: false, reason: 'no tokenizer' };
for (let run = 0; run < 3; run++) {
  const t0 = performance.now();
  const splits = await readPlanSplits(paths, { type: 'project_csv', location: 'rows.csv' });
  const t1 = performance.now();
  const plan = planFineTuning({ job, prompt, splits, shape: { known: false, reason: '-' }, tokenizer, throughput: { known: false, reason: '-' } });
  const t2 = performance.now();
  console.log(`${n} rows: read ${(t1 - t0).toFixed(0)} ms, plan ${(t2 - t1).toFixed(0)} ms, total ${(t2 - t0).toFixed(0)} ms; train ${plan.rows.train}, tokens ${plan.tokens.known ? `measured on ${plan.tokens.rowsMeasured} rows, p50 ${plan.tokens.total.p50}` : 'unknown'}, steps/epoch ${plan.steps.stepsPerEpoch}`);
}
fs.rmSync(root, { recursive: true, force: true });
