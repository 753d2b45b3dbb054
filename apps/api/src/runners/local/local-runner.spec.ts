import fs from 'node:fs';
import path from 'node:path';
import type { DomainError } from '@fts/domain';
import type { RunHandle, RunOutput } from '../job-runner.js';
import { RUN_FILES } from '../run-folder.js';
import { cleanUp, groupGone, progressOnly, tempStateDir, waitForPhase, waitUntil } from '../../../test/support/runner-test-kit.js';
import { LocalRunner, PROCESS_GONE, type PidRecord } from './local-runner.js';

const readJson = (h: RunHandle, f: string) => JSON.parse(fs.readFileSync(path.join(h.runDir, f), 'utf8'));
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: DomainError) => e.code);
const pidOf = (h: RunHandle) => (readJson(h, RUN_FILES.pid) as PidRecord).pgid;

describe('LocalRunner', () => {
  let stateDir: string;
  let runner: LocalRunner;

  beforeEach(() => {
    stateDir = tempStateDir();
    runner = new LocalRunner({ stateDir, gpus: 4, graceMs: 2000 });
  });
  afterEach(() => cleanUp(stateDir));

  describe('a run that ends on its own', () => {
    it('succeeds, with spec.json, pid.json, exit.json and every output', async () => {
      const h = await runner.submit(progressOnly('job-ok', { steps: 3 }));
      expect(h).toMatchObject({ runner: 'local', jobId: 'job-ok', runDir: path.join(stateDir, 'job_runs', 'job-ok') });
      expect(readJson(h, RUN_FILES.spec)).toEqual({ steps: 3, interval_s: 0.02 });
      expect(readJson(h, RUN_FILES.pid)).toMatchObject({ pid: h.pid, pgid: h.pid, slots: [0] });

      expect(await waitForPhase(runner, h, ['succeeded', 'failed'])).toEqual({ phase: 'succeeded', exitCode: 0 });
      expect(readJson(h, RUN_FILES.exit)).toMatchObject({ code: 0, signal: null, recorded_by: 'wrapper' });
      expect(readJson(h, RUN_FILES.exit).finished_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      const { outputs, nextOffset } = await runner.readOutputs(h, 0);
      expect(outputs.map((o) => o.type)).toEqual(['log', 'progress', 'progress', 'progress', 'artifact', 'result']);
      const progress = outputs.filter((o): o is Extract<RunOutput, { type: 'progress' }> => o.type === 'progress');
      expect(progress.map((p) => p.point.step)).toEqual([1, 2, 3]);
      expect(progress[2]!.point).toMatchObject({ total_steps: 3, epoch: 1, learning_rate: 0.0002 });
      expect(progress[0]!.point.ts).toBeGreaterThan(1.7e12); // unix seconds → epoch ms
      expect(nextOffset).toBe(fs.statSync(path.join(h.runDir, RUN_FILES.events)).size);
      expect(outputs.at(-1)!.offset).toBe(nextOffset);
      expect(await runner.readOutputs(h, nextOffset)).toEqual({ outputs: [], nextOffset });
      // Resuming from the middle gives the rest, nothing twice.
      expect((await runner.readOutputs(h, outputs[2]!.offset)).outputs).toEqual(outputs.slice(3));
      expect(runner.slotsInUse()).toBe(0);
    });

    it('fails with the exit code and the last error line', async () => {
      const h = await runner.submit(progressOnly('job-bad', { steps: 1, exit_code: 3, error_message: 'bad learning rate' }));
      const st = await waitForPhase(runner, h, ['succeeded', 'failed']);
      expect(st).toEqual({ phase: 'failed', exitCode: 3, message: 'exited with code 3: ValueError: bad learning rate' });
    });

    it('fails with code 127 when the program does not exist', async () => {
      const h = await runner.submit(progressOnly('job-missing', {}, { command: ['/nonexistent/python3', 'x.py'] }));
      const st = await waitForPhase(runner, h, ['succeeded', 'failed']);
      expect(st.phase).toBe('failed');
      expect(st.exitCode).toBe(127);
      expect(st.message).toMatch(/^exited with code 127: .*not found/);
    });

    it('passes arguments and environment literally, with no shell interpretation', async () => {
      const marker = path.join(stateDir, 'pwned');
      const script = 'console.log(JSON.stringify({argv: process.argv.slice(1), env: process.env.FTS_TEST, run: process.env.FTS_RUN_DIR}))';
      const args = ['a b', `$(touch ${marker})`, "it's \"quoted\"; `x`", '*'];
      const h = await runner.submit(
        progressOnly('job-args', {}, { command: [process.execPath, '-e', script, ...args], env: { FTS_TEST: '$HOME; `id`' } }),
      );
      await waitForPhase(runner, h, ['succeeded', 'failed']);
      const [line] = await runner.logs(h, { tailLines: 1 });
      const seen = JSON.parse(line!) as { argv: string[]; env: string; run: string };
      expect(seen.argv).toEqual([...args, '--spec', path.join(h.runDir, 'spec.json'), '--events', path.join(h.runDir, 'events.jsonl')]);
      expect(seen.env).toBe('$HOME; `id`');
      expect(seen.run).toBe(h.runDir);
      expect(fs.existsSync(marker)).toBe(false);
    });

    it('is idempotent per job id: a second submit returns the same run', async () => {
      const a = await runner.submit(progressOnly('job-twice', { steps: 50 }));
      const b = await runner.submit(progressOnly('job-twice', { steps: 50 }));
      expect(b).toEqual(a);
      expect(runner.slotsInUse()).toBe(1);
    });

    it('reports a process that cannot be spawned, and keeps no slot for it', async () => {
      const broken = new LocalRunner({ stateDir, gpus: 1, shell: '/nonexistent/sh' });
      expect(await codeOf(broken.submit(progressOnly('job-nosh')))).toBe('RUNNER.SPAWN_FAILED');
      expect(broken.slotsInUse()).toBe(0);
    });

    it('refuses a job id that is not a plain folder name', async () => {
      expect(await codeOf(runner.submit(progressOnly('../escape')))).toBe('RUN.JOB_ID_INVALID');
      expect(await codeOf(runner.submit(progressOnly('a/b')))).toBe('RUN.JOB_ID_INVALID');
      expect(fs.existsSync(path.join(stateDir, 'escape'))).toBe(false);
    });
  });

  describe('cancel', () => {
    it('stops the whole process group with SIGTERM, well within 5 s', async () => {
      const h = await runner.submit(progressOnly('job-cancel', { steps: 10_000, interval_s: 0.05, spawn_child: true }));
      await waitUntil(async () => (await runner.logs(h)).some((l) => l.startsWith('child ')), 5000, 'the child to start');
      const childPid = Number((await runner.logs(h)).find((l) => l.startsWith('child '))!.split(' ')[1]);
      expect(await runner.status(h)).toEqual({ phase: 'running' });

      const t0 = Date.now();
      await runner.cancel(h);
      expect(Date.now() - t0).toBeLessThan(5000);

      expect(groupGone(h.pid!)).toBe(true);
      expect(() => process.kill(childPid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
      expect(await runner.status(h)).toEqual({ phase: 'cancelled', message: 'Cancelled.', exitCode: 143 });
      expect(readJson(h, RUN_FILES.cancel).requested_at).toBeDefined();
      expect(runner.slotsInUse()).toBe(0);
      await runner.cancel(h); // idempotent
    });

    it('escalates to SIGKILL after the grace period and completes the exit record', async () => {
      const h = await runner.submit(progressOnly('job-stubborn', { steps: 10_000, interval_s: 0.05, ignore_sigterm: true }));
      await waitUntil(async () => (await runner.logs(h)).includes('step 1/10000'), 5000, 'the first step');
      await runner.cancel(h, 300);
      expect(groupGone(h.pid!)).toBe(true);
      expect(readJson(h, RUN_FILES.exit)).toMatchObject({ code: null, signal: 'SIGKILL', recorded_by: 'runner' });
      expect((await runner.status(h)).phase).toBe('cancelled');
    });

    it('keeps the real outcome when the run had already finished', async () => {
      const h = await runner.submit(progressOnly('job-done', { steps: 1 }));
      await waitUntil(() => fs.existsSync(path.join(h.runDir, RUN_FILES.exit)), 5000, 'exit.json');
      await runner.cancel(h);
      expect(fs.existsSync(path.join(h.runDir, RUN_FILES.cancel))).toBe(false);
      expect((await runner.status(h)).phase).toBe('succeeded');
    });
  });

  describe('after a server restart (a new runner instance)', () => {
    it('reattaches to a live run, takes its slot back, and sees it finish', async () => {
      const h = await runner.submit(progressOnly('job-live', { steps: 15, interval_s: 0.05 }));
      const fresh = new LocalRunner({ stateDir, gpus: 1 });
      expect(fresh.slotsInUse()).toBe(0);
      expect(await fresh.reattach(JSON.parse(JSON.stringify(h)) as RunHandle)).toEqual({ phase: 'running' });
      expect(fresh.slotsInUse()).toBe(1);
      expect(fresh.hasFreeSlot()).toBe(false);
      expect(await waitForPhase(fresh, h, ['succeeded', 'failed'])).toEqual({ phase: 'succeeded', exitCode: 0 });
      expect(fresh.hasFreeSlot()).toBe(true);
    });

    it('reports the real outcome of a run that ended while the server was down', async () => {
      const ok = await runner.submit(progressOnly('job-ok-down', { steps: 1 }));
      const bad = await runner.submit(progressOnly('job-bad-down', { steps: 1, exit_code: 2 }));
      await waitUntil(() => [ok, bad].every((h) => fs.existsSync(path.join(h.runDir, RUN_FILES.exit))), 5000, 'both exit records');
      const fresh = new LocalRunner({ stateDir, gpus: 1 });
      expect(await fresh.reattach(fresh.recoverHandle('job-ok-down')!)).toEqual({ phase: 'succeeded', exitCode: 0 });
      expect(await fresh.reattach(bad)).toMatchObject({ phase: 'failed', exitCode: 2, message: 'exited with code 2' });
      expect(fresh.slotsInUse()).toBe(0);
    });

    it("cancels a run started by the previous instance", async () => {
      const h = await runner.submit(progressOnly('job-cancel-later', { steps: 10_000, interval_s: 0.05 }));
      const fresh = new LocalRunner({ stateDir, gpus: 1 });
      await fresh.reattach(h);
      await fresh.cancel(h);
      expect(groupGone(h.pid!)).toBe(true);
      expect((await new LocalRunner({ stateDir, gpus: 1 }).status(h)).phase).toBe('cancelled');
    });

    it("says the process is gone when it was killed without an exit record", async () => {
      const h = await runner.submit(progressOnly('job-killed', { steps: 10_000, interval_s: 0.05 }));
      await waitForPhase(runner, h, ['running']);
      process.kill(-pidOf(h), 'SIGKILL'); // the wrapper dies too: nobody writes exit.json
      const expected = { phase: 'failed', message: PROCESS_GONE, exitCode: null, retryable: true };
      // Its zombies may wait a moment for init: the runner does not count them as running.
      expect(await waitForPhase(runner, h, ['failed', 'succeeded', 'cancelled'], 3000)).toEqual(expected);
      expect(fs.existsSync(path.join(h.runDir, RUN_FILES.exit))).toBe(false);
      expect(await new LocalRunner({ stateDir, gpus: 1 }).reattach(h)).toEqual(expected);
      expect(runner.slotsInUse()).toBe(0);
    });

    it('treats a pid recorded under another boot as gone', async () => {
      const h = await runner.submit(progressOnly('job-other-boot', { steps: 10_000, interval_s: 0.05 }));
      const rec = readJson(h, RUN_FILES.pid) as PidRecord;
      fs.writeFileSync(path.join(h.runDir, RUN_FILES.pid), JSON.stringify({ ...rec, boot_id: 'another-boot' }));
      expect(await new LocalRunner({ stateDir, gpus: 1 }).reattach(h)).toEqual({ phase: 'failed', message: PROCESS_GONE, exitCode: null, retryable: true });
    });
  });

  describe('GPU slots', () => {
    it('never runs more than N at once; a finished or cancelled run frees its slot', async () => {
      const two = new LocalRunner({ stateDir, gpus: ['0', '1'], graceMs: 1000 });
      expect(two.capacity).toBe(2);
      const long = { steps: 10_000, interval_s: 0.05 };
      const results = await Promise.allSettled(['s1', 's2', 's3', 's4'].map((id) => two.submit(progressOnly(id, long))));
      const started = results.filter((r): r is PromiseFulfilledResult<RunHandle> => r.status === 'fulfilled').map((r) => r.value);
      expect(started).toHaveLength(2);
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r.reason as DomainError).code)).toEqual([
        'RUNNER.NO_FREE_SLOT',
        'RUNNER.NO_FREE_SLOT',
      ]);
      expect(two.slotsInUse()).toBe(2);
      expect(two.hasFreeSlot()).toBe(false);
      // Each run sees only its own GPU.
      expect(started.map((h) => readJson(h, RUN_FILES.pid).cuda_visible_devices).sort()).toEqual(['0', '1']);
      // Nothing was started for the refused ones.
      expect(fs.existsSync(path.join(stateDir, 'job_runs', 's3', RUN_FILES.pid))).toBe(false);

      await two.cancel(started[0]!);
      expect(two.hasFreeSlot()).toBe(true);
      const next = await two.submit(progressOnly('s3', long));
      expect(readJson(next, RUN_FILES.pid).cuda_visible_devices).toBe(readJson(started[0]!, RUN_FILES.pid).cuda_visible_devices);
      expect(two.slotsInUse()).toBe(2);

      // A run that ends by itself frees its slot without anyone asking its status.
      process.kill(-pidOf(next), 'SIGKILL');
      await waitUntil(() => two.hasFreeSlot(), 5000, 'the slot to free');
    });

    it('gives a multi-GPU run several slots, and refuses one bigger than the machine', async () => {
      const two = new LocalRunner({ stateDir, gpus: ['3', '5'] });
      const big = progressOnly('big', { steps: 10_000, interval_s: 0.05 }, { resources: { cpu: 1, memoryGb: 1, gpus: 2, numWorkers: 1 } });
      expect(two.hasFreeSlot({ gpus: 2 })).toBe(true);
      const h = await two.submit(big);
      expect(readJson(h, RUN_FILES.pid)).toMatchObject({ slots: [0, 1], cuda_visible_devices: '3,5' });
      expect(two.hasFreeSlot({ gpus: 1 })).toBe(false);
      const huge = progressOnly('huge', {}, { resources: { cpu: 1, memoryGb: 1, gpus: 3, numWorkers: 1 } });
      expect(await codeOf(two.submit(huge))).toBe('RUNNER.NOT_ENOUGH_GPUS');
    });
  });

  // The real test template (job-templates/testing/progress_only.py), when the other half of the contract exists.
  const PY_TEMPLATE = path.resolve('job-templates/testing/progress_only.py');
  (fs.existsSync(PY_TEMPLATE) ? describe : describe.skip)('with the Python progress_only template', () => {
    const python = (id: string, spec: Record<string, unknown>) =>
      progressOnly(id, spec, { command: [process.env.PYTHON ?? 'python3', PY_TEMPLATE] });

    it('succeeds and writes progress the runner can read', async () => {
      const h = await runner.submit(python('py-ok', { steps: 3, interval_s: 0.01 }));
      expect(await waitForPhase(runner, h, ['succeeded', 'failed'], 20_000)).toEqual({ phase: 'succeeded', exitCode: 0 });
      const { outputs } = await runner.readOutputs(h, 0);
      expect(outputs.filter((o) => o.type === 'progress').map((o) => (o.type === 'progress' ? o.point.step : 0))).toEqual([1, 2, 3]);
    });

    it('fails with its exit code, and is cancelled with SIGTERM', async () => {
      const bad = await runner.submit(python('py-bad', { steps: 1, interval_s: 0.01, exit_code: 4, fail_message: 'Column prompt is missing.' }));
      expect(await waitForPhase(runner, bad, ['succeeded', 'failed'], 20_000)).toEqual({
        phase: 'failed',
        exitCode: 4,
        message: 'exited with code 4: Column prompt is missing.',
      });
      const long = await runner.submit(python('py-long', { steps: 10_000, interval_s: 0.05 }));
      await waitUntil(async () => (await runner.readOutputs(long, 0)).outputs.length > 0, 20_000, 'the first event');
      await runner.cancel(long);
      expect(groupGone(long.pid!)).toBe(true);
      expect(await runner.status(long)).toMatchObject({ phase: 'cancelled', exitCode: 143 });
    });
  });

  describe('logs', () => {
    it('returns the tail of stdout.log', async () => {
      const h = await runner.submit(progressOnly('job-logs', { steps: 2, stdout_lines: 50 }));
      await waitForPhase(runner, h, ['succeeded']);
      expect(await runner.logs(h, { tailLines: 3 })).toEqual(['step 2 line 48', 'step 2 line 49', 'done']);
      expect(await runner.logs(h)).toHaveLength(100);
      expect(await runner.logs(h, { tailLines: 10_000 })).toHaveLength(1 + 2 * 51 + 1);
    });

    it('follows stdout.log as it grows and ends when the run has ended', async () => {
      const h = await runner.submit(progressOnly('job-follow', { steps: 5, interval_s: 0.1 }));
      const lines: string[] = [];
      for await (const l of runner.followLogs(h, new AbortController().signal)) lines.push(l);
      expect(lines).toEqual(['starting 5 steps', 'step 1/5', 'step 2/5', 'step 3/5', 'step 4/5', 'step 5/5', 'done']);
    });

    it('stops following when aborted', async () => {
      const h = await runner.submit(progressOnly('job-follow-abort', { steps: 10_000, interval_s: 0.05 }));
      const ac = new AbortController();
      const lines: string[] = [];
      const t0 = Date.now();
      for await (const l of runner.followLogs(h, ac.signal)) {
        lines.push(l);
        if (l === 'step 2/10000') setTimeout(() => ac.abort(), 50);
      }
      expect(lines.slice(0, 3)).toEqual(['starting 10000 steps', 'step 1/10000', 'step 2/10000']);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect((await runner.status(h)).phase).toBe('running');
    });

    it('can start from the last lines', async () => {
      const h = await runner.submit(progressOnly('job-follow-tail', { steps: 3 }));
      await waitForPhase(runner, h, ['succeeded']);
      const lines: string[] = [];
      for await (const l of runner.followLogs(h, new AbortController().signal, { tailLines: 2 })) lines.push(l);
      expect(lines).toEqual(['step 3/3', 'done']);
    });
  });
});
