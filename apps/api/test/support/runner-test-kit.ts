/**
 * Helpers for the runner specs: a temp state dir, the Node stand-in for the
 * progress-only template, polling for a phase, and cleanup of every process
 * group a test started.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobRunner, RunHandle, RunPhase, RunRequest, RunState } from '../../src/runners/job-runner.js';
import { RUN_FILES } from '../../src/runners/run-folder.js';
import { groupAlive, signalGroup } from '../../src/runners/local/process-group.js';

/** Run from the repository root (where jest runs). */
export const PROGRESS_ONLY = path.resolve('apps/api/test/support/progress-only.mjs');

export function tempStateDir(prefix = 'fts-runner-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function progressOnly(jobId: string, spec: Record<string, unknown> = {}, over: Partial<RunRequest> = {}): RunRequest {
  return {
    jobId,
    kind: 'fine_tune',
    spec: { steps: 3, interval_s: 0.02, ...spec },
    command: [process.execPath, PROGRESS_ONLY],
    resources: { cpu: 1, memoryGb: 1, gpus: 1, numWorkers: 1 },
    ...over,
  };
}

export async function waitForPhase(
  runner: JobRunner,
  handle: RunHandle,
  phases: RunPhase[],
  timeoutMs = 10_000,
): Promise<RunState> {
  const deadline = Date.now() + timeoutMs;
  let last: RunState | undefined;
  while (Date.now() < deadline) {
    last = await runner.status(handle);
    if (phases.includes(last.phase)) return last;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${handle.jobId} did not reach ${phases.join('|')} within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Whether `kill(-pgid, 0)` says ESRCH (no process of the group is left). */
export function groupGone(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Kills every group recorded under `<stateDir>/job_runs/*\/pid.json` and removes the folder. */
export async function cleanUp(stateDir: string): Promise<void> {
  const runs = path.join(stateDir, 'job_runs');
  const pgids: number[] = [];
  for (const d of fs.existsSync(runs) ? fs.readdirSync(runs) : []) {
    try {
      const rec = JSON.parse(fs.readFileSync(path.join(runs, d, RUN_FILES.pid), 'utf8')) as { pgid: number };
      if (signalGroup(rec.pgid, 'SIGKILL')) pgids.push(rec.pgid);
    } catch {
      /* no pid.json */
    }
  }
  await waitUntil(() => pgids.every((g) => !groupAlive(g)), 5000, 'test process groups to end');
  fs.rmSync(stateDir, { recursive: true, force: true });
}
