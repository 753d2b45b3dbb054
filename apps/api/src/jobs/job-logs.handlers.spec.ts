import fs from 'node:fs';
import path from 'node:path';
import type { JobLogChunk } from '@fts/proto';
import type { FollowLogsOptions, JobRunner, RunHandle } from '../runners/job-runner.js';
import { LocalRunner } from '../runners/local/local-runner.js';
import { RUN_FILES } from '../runners/run-folder.js';
import { cleanUp, progressOnly } from '../../test/support/runner-test-kit.js';
import { JobLogsHandlers, type LogsRequest } from './job-logs.handlers.js';
import { errorOf, lifecycle, openKit, queued, type Kit } from '../../test/support/job-test-kit.js';

const FT = 'fine_tuning_job' as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A runner whose log the test writes: `write` adds lines, `finish` ends the run. */
class ScriptedRunner {
  readonly name = 'local' as const;
  lines: string[] = [];
  finished = false;
  signals: AbortSignal[] = [];
  tailRequests: (number | undefined)[] = [];
  recovered?: RunHandle;
  /** Lines handed out by followLogs (read from the log). */
  yielded = 0;
  private wake?: () => void;

  write(...lines: string[]) {
    this.lines.push(...lines);
    this.wake?.();
  }
  finish() {
    this.finished = true;
    this.wake?.();
  }
  recoverHandle(): RunHandle | undefined {
    return this.recovered;
  }
  async logs(_h: RunHandle, opts: { tailLines?: number } = {}): Promise<string[]> {
    this.tailRequests.push(opts.tailLines);
    return this.lines.slice(-(opts.tailLines ?? 100));
  }
  async *followLogs(_h: RunHandle, signal: AbortSignal, opts: FollowLogsOptions = {}): AsyncGenerator<string> {
    this.signals.push(signal);
    this.tailRequests.push(opts.tailLines);
    let pos = Math.max(0, this.lines.length - (opts.tailLines ?? this.lines.length));
    signal.addEventListener('abort', () => this.wake?.());
    for (;;) {
      if (signal.aborted) return;
      if (pos < this.lines.length) {
        this.yielded++;
        yield this.lines[pos++]!;
        continue;
      }
      if (this.finished) return;
      await new Promise<void>((r) => (this.wake = r));
    }
  }
}

function collect(handlers: JobLogsHandlers, req: Partial<LogsRequest> & { job_id: string }) {
  const chunks: string[][] = [];
  let sub: { unsubscribe(): void } | undefined;
  const done = new Promise<string[][]>((resolve, reject) => {
    sub = handlers.logs({ tail_lines: 0, follow: false, ...req }).subscribe({
      next: (c: JobLogChunk) => chunks.push(c.lines),
      error: reject,
      complete: () => resolve(chunks),
    });
  });
  return { chunks, done, cancel: () => sub?.unsubscribe() };
}

const handleOf = (jobId: string): RunHandle => ({ runner: 'local', jobId, runDir: '/elsewhere', pid: 1 });
const submitted = (id: string, handle: RunHandle = handleOf(id)) => [
  lifecycle(FT, id, 'JobDispatched', { runner: 'local' }),
  lifecycle(FT, id, 'JobRunSubmitted', { handle }),
];

describe('JobLogsHandlers', () => {
  let kit: Kit;

  beforeEach(async () => {
    kit = await openKit();
  });
  afterEach(() => kit.close());

  describe('with a scripted runner', () => {
    let runner: ScriptedRunner;
    let handlers: JobLogsHandlers;
    beforeEach(() => {
      runner = new ScriptedRunner();
      handlers = new JobLogsHandlers(kit.reader, kit.bus, runner as unknown as JobRunner);
      handlers.timing = { flushMs: 40, tailSettleMs: 20, handlePollMs: 50 };
    });

    it('refuses an unknown job and a tail_lines out of range', () => {
      expect(errorOf(() => handlers.logs({ job_id: 'ghost', tail_lines: 0, follow: false }))).toMatchObject({ kind: 'not_found', code: 'JOB.NOT_FOUND' });
      expect(errorOf(() => handlers.logs({ job_id: '', tail_lines: 0, follow: false }))).toMatchObject({ kind: 'invalid_argument' });
      kit.append(queued(FT, 'j1'));
      for (const n of [-1, 10_001, 1.5]) {
        expect(errorOf(() => handlers.logs({ job_id: 'j1', tail_lines: n, follow: false }))).toMatchObject({
          kind: 'invalid_argument',
          message: "Field 'tail_lines' must be a whole number from 0 to 10000 (0: the last 100 lines).",
        });
      }
    });

    it('answers one empty chunk for a job that has not run yet', async () => {
      kit.append(queued(FT, 'j1'));
      expect(await collect(handlers, { job_id: 'j1' }).done).toEqual([[]]);
    });

    it('sends the last lines (default 100) as one chunk', async () => {
      kit.append(queued(FT, 'j1'), ...submitted('j1'));
      runner.write(...Array.from({ length: 150 }, (_, i) => `line ${i + 1}`));
      const chunks = await collect(handlers, { job_id: 'j1' }).done;
      expect(chunks).toHaveLength(1);
      expect(chunks[0]).toHaveLength(100);
      expect(chunks[0]![0]).toBe('line 51');
      expect(await collect(handlers, { job_id: 'j1', tail_lines: 2 }).done).toEqual([['line 149', 'line 150']]);
      expect(runner.tailRequests).toEqual([100, 2]);
    });

    it('uses the run folder when no handle was recorded yet', async () => {
      kit.append(queued(FT, 'j1'), lifecycle(FT, 'j1', 'JobDispatched', { runner: 'local' }));
      runner.recovered = handleOf('j1');
      runner.write('from the folder');
      expect(await collect(handlers, { job_id: 'j1' }).done).toEqual([['from the folder']]);
    });

    it('follows at the consumer\'s pace: no line is read from the log while its buffer is full, reading resumes on drain', async () => {
      kit.append(queued(FT, 'j1'), ...submitted('j1'));
      runner.write('a', 'b');
      let room = 1;
      const waiters: (() => void)[] = [];
      const demand = { ready: () => room > 0, drained: () => (room > 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))) };
      const lines: string[] = [];
      const done = new Promise<void>((resolve, reject) =>
        handlers.logs({ job_id: 'j1', tail_lines: 2, follow: true }, demand).subscribe({
          next: (c) => {
            lines.push(...c.lines);
            room--;
          },
          error: reject,
          complete: resolve,
        }),
      );
      await sleep(50);
      expect(lines).toEqual(['a', 'b']); // the consumer is full now
      runner.write(...Array.from({ length: 5000 }, (_, i) => `l${i}`));
      await sleep(200);
      expect(runner.yielded).toBeLessThanOrEqual(3); // the tail, and one line waiting beside the full consumer
      room = 1000;
      for (const w of waiters.splice(0)) w();
      runner.finish();
      await done;
      expect(lines).toHaveLength(5002);
      expect(lines.at(-1)).toBe('l4999');
    });

    it('follows: the tail as one chunk, then new lines in batches, and ends when the run has ended and all is read', async () => {
      kit.append(queued(FT, 'j1'), ...submitted('j1'));
      runner.write('a', 'b', 'c');
      const w = collect(handlers, { job_id: 'j1', tail_lines: 2, follow: true });
      await sleep(10);
      expect(w.chunks).toEqual([['b', 'c']]); // the tail is complete as soon as tail_lines lines came
      runner.write('d');
      runner.write('e', 'f');
      await sleep(200);
      expect(w.chunks).toEqual([['b', 'c'], ['d', 'e', 'f']]);
      runner.write('g');
      runner.finish();
      expect(await w.done).toEqual([['b', 'c'], ['d', 'e', 'f'], ['g']]);
    });

    it('follows: a short tail is sent once the reader waits for more, even when empty', async () => {
      kit.append(queued(FT, 'j1'), ...submitted('j1'));
      const w = collect(handlers, { job_id: 'j1', follow: true });
      await sleep(60);
      expect(w.chunks).toEqual([[]]);
      runner.write('x');
      runner.finish();
      expect(await w.done).toEqual([[], ['x']]);
    });

    it('follows a queued job from the moment its run starts', async () => {
      kit.append(queued(FT, 'j1'));
      const w = collect(handlers, { job_id: 'j1', follow: true });
      await sleep(30);
      expect(w.chunks).toEqual([]);
      runner.write('hello');
      kit.append(...submitted('j1'));
      await sleep(60);
      expect(w.chunks).toEqual([['hello']]);
      runner.finish();
      await w.done;
    });

    it('ends with one empty chunk when a followed job ends without ever running', async () => {
      kit.append(queued(FT, 'j1'));
      const w = collect(handlers, { job_id: 'j1', follow: true });
      await sleep(20);
      kit.append(lifecycle(FT, 'j1', 'JobCancelled', { message: 'Cancelled before it started.' }));
      expect(await w.done).toEqual([[]]);
    });

    it('stops reading when the client cancels', async () => {
      kit.append(queued(FT, 'j1'), ...submitted('j1'));
      const w = collect(handlers, { job_id: 'j1', follow: true });
      await sleep(40);
      w.cancel();
      expect(runner.signals[0]?.aborted).toBe(true);
    });
  });

  describe('with the local runner and a real process', () => {
    let runner: LocalRunner;
    afterEach(() => cleanUp(kit.stateDir));

    it('follows stdout.log while the process writes it, and ends when it exits', async () => {
      runner = new LocalRunner({ stateDir: kit.stateDir, gpus: 1, pollMs: 50 });
      const handlers = new JobLogsHandlers(kit.reader, kit.bus, runner);
      kit.append(queued(FT, 'job-real'), lifecycle(FT, 'job-real', 'JobDispatched', { runner: 'local' }));
      const handle = await runner.submit(progressOnly('job-real', { steps: 4, interval_s: 0.1 }));
      kit.append(lifecycle(FT, 'job-real', 'JobRunSubmitted', { handle: { ...handle } }));

      const chunks = await collect(handlers, { job_id: 'job-real', follow: true }).done;
      expect(chunks.flat()).toEqual(['starting 4 steps', 'step 1/4', 'step 2/4', 'step 3/4', 'step 4/4', 'done']);
      expect(chunks.length).toBeGreaterThan(1); // lines arrived while it ran, not all at the end

      expect(await collect(handlers, { job_id: 'job-real', tail_lines: 2 }).done).toEqual([['step 4/4', 'done']]);
      expect(fs.existsSync(path.join(handle.runDir, RUN_FILES.exit))).toBe(true);
    });
  });
});
