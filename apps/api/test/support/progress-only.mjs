#!/usr/bin/env node
/**
 * Test stand-in for job-templates/testing/progress_only.py (same CLI and
 * spec fields), in Node so the runner tests need no Python:
 *
 *   node progress-only.mjs --spec <run>/spec.json --events <run>/events.jsonl
 *
 * spec: steps (default 3), interval_s (default 0.05), exit_code (default 0).
 * Test-only knobs: ignore_sigterm (keeps running after SIGTERM: tests the
 * SIGKILL escalation), spawn_child (starts a `sleep` in the same process
 * group: tests that cancel reaches the whole group), error_message (printed
 * to stderr before a non-zero exit), stdout_lines (extra lines per step).
 * SIGTERM → exit 143, like the Python template.
 */
import fs from 'node:fs';
import { spawn } from 'node:child_process';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const specPath = arg('--spec');
const eventsPath = arg('--events');
if (!specPath || !eventsPath) {
  console.error('usage: progress-only.mjs --spec <spec.json> --events <events.jsonl>');
  process.exit(2);
}
const spec = JSON.parse(fs.readFileSync(specPath, 'utf8'));
const steps = spec.steps ?? 3;
const intervalMs = (spec.interval_s ?? 0.05) * 1000;
const exitCode = spec.exit_code ?? 0;

const emit = (type, fields) =>
  fs.appendFileSync(eventsPath, JSON.stringify({ type, ...fields, ts: Date.now() / 1000 }) + '\n');

let child;
process.on('SIGTERM', () => {
  console.log('received SIGTERM');
  if (spec.ignore_sigterm) return;
  emit('log', { level: 'warning', message: 'cancelled by SIGTERM' });
  process.exit(143);
});
if (spec.spawn_child) {
  child = spawn('sleep', ['60'], { stdio: 'ignore' }); // same process group
  console.log(`child ${child.pid}`);
}

emit('log', { level: 'info', message: `starting ${steps} steps` });
console.log(`starting ${steps} steps`);
for (let step = 1; step <= steps; step++) {
  await new Promise((r) => setTimeout(r, intervalMs));
  emit('progress', { step, total_steps: steps, epoch: step / steps, loss: 1 / step, learning_rate: 0.0002 });
  console.log(`step ${step}/${steps}`);
  for (let i = 0; i < (spec.stdout_lines ?? 0); i++) console.log(`step ${step} line ${i}`);
}
if (exitCode !== 0) {
  if (spec.error_message) {
    console.error('Traceback (most recent call last):');
    console.error(`ValueError: ${spec.error_message}`);
  }
  process.exit(exitCode);
}
emit('artifact', { kind: 'adapter', path: 'data/adapters/test' });
emit('result', { final_loss: 1 / steps });
console.log('done');
child?.kill();
process.exit(0);
