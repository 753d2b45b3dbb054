import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { invalidArgument } from '@fts/domain';
import { parseEventLine } from './events-parser.js';
import type { ReadOutputsResult, RunOutput } from './job-runner.js';

/**
 * The run folder protocol, shared by every runner:
 *
 *   <stateDir>/job_runs/<job_id>/
 *     spec.json     the template's input, written before anything starts
 *     launch.json   what the runner started (command, resources, runner); for people and the CML launcher
 *     events.jsonl  progress/log/artifact/result lines, appended by the template
 *     stdout.log    stdout + stderr of the job
 *     pid.json      local: {pid, pgid, started_at, boot_id, start_ticks, slots, devices}
 *     exit.json     {code, signal, finished_at}: written by the process wrapper, outlives the server
 *     cancel.json   {requested_at}: a cancel was asked for (survives restarts)
 *     cml.json      cml: {cml_job_id, cml_run_id, name}
 *     slurm.json    slurm: {slurm_job_id, submitted_at}
 *     job.sbatch    slurm: the batch script sbatch was given
 */
export const RUN_FILES = {
  spec: 'spec.json',
  launch: 'launch.json',
  events: 'events.jsonl',
  stdout: 'stdout.log',
  pid: 'pid.json',
  exit: 'exit.json',
  cancel: 'cancel.json',
  cml: 'cml.json',
  slurm: 'slurm.json',
  sbatch: 'job.sbatch',
} as const;
export type RunFile = (typeof RUN_FILES)[keyof typeof RUN_FILES];

export interface ExitRecord {
  code: number | null;
  signal: string | null;
  finished_at: string;
  /** 'wrapper' (the process's own shell) or 'runner' (written by cancel after a SIGKILL). */
  recorded_by?: string;
}

export interface CancelRecord {
  requested_at: string;
}

const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** The run folder of a job; the job id must be a plain name (no separators, no `..`). */
export function runDirOf(stateDir: string, jobId: string): string {
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId) || jobId.includes('..')) {
    throw invalidArgument('RUN.JOB_ID_INVALID', `Job id '${String(jobId)}' cannot name a run folder: use letters, digits, '-', '_' and '.'.`);
  }
  return path.join(path.resolve(stateDir), 'job_runs', jobId);
}

/** Default and largest byte counts read per call. */
const OUTPUT_CHUNK = 1024 * 1024;
const TAIL_MAX_BYTES = 16 * 1024 * 1024;
const MAX_TAIL_LINES = 10_000;

export class RunFolder {
  constructor(readonly dir: string) {}

  static forJob(stateDir: string, jobId: string): RunFolder {
    return new RunFolder(runDirOf(stateDir, jobId));
  }

  path(name: RunFile): string {
    return path.join(this.dir, name);
  }

  exists(name?: RunFile): boolean {
    return fs.existsSync(name ? this.path(name) : this.dir);
  }

  /** Parsed JSON, or undefined when the file is missing or not JSON (a half-written file reads as missing). */
  readJson<T>(name: RunFile): T | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.path(name), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Write-then-rename, so readers never see half a file. */
  writeJson(name: RunFile, value: unknown): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.path(name)}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
    fs.renameSync(tmp, this.path(name));
  }

  /** Creates the folder with spec.json and launch.json, and empty events.jsonl / stdout.log. */
  prepare(spec: Record<string, unknown>, launch: Record<string, unknown>): void {
    fs.mkdirSync(this.dir, { recursive: true });
    this.writeJson(RUN_FILES.spec, spec);
    this.writeJson(RUN_FILES.launch, launch);
    for (const f of [RUN_FILES.events, RUN_FILES.stdout]) fs.closeSync(fs.openSync(this.path(f), 'a'));
  }

  /**
   * Complete lines of events.jsonl from `fromOffset` (a byte offset at a line
   * start: 0 or a previous nextOffset/output.offset). A trailing line without
   * its newline is left for the next call. At most ~1 MiB per call: call
   * again while nextOffset moves.
   */
  async readOutputs(fromOffset: number, opts: { maxBytes?: number; now?: () => number } = {}): Promise<ReadOutputsResult> {
    const start = Number.isSafeInteger(fromOffset) && fromOffset > 0 ? fromOffset : 0;
    const maxBytes = opts.maxBytes ?? OUTPUT_CHUNK;
    const now = opts.now ?? Date.now;
    const fh = await openOrUndefined(this.path(RUN_FILES.events));
    if (!fh) return { outputs: [], nextOffset: start };
    try {
      const size = (await fh.stat()).size;
      if (start >= size) return { outputs: [], nextOffset: start };
      const buf = Buffer.alloc(Math.min(size - start, maxBytes));
      const { bytesRead } = await fh.read(buf, 0, buf.length, start);
      const data = buf.subarray(0, bytesRead);
      const lastNl = data.lastIndexOf(0x0a);
      if (lastNl < 0) {
        if (bytesRead < maxBytes) return { outputs: [], nextOffset: start };
        // One line longer than the chunk: skip it whole once its end is written.
        const end = await findNewline(fh, start + bytesRead, size);
        if (end === undefined) return { outputs: [], nextOffset: start };
        const skipped: RunOutput = {
          type: 'log',
          data: { level: 'warning', message: `A line in events.jsonl is longer than ${maxBytes} bytes; it was skipped.`, source: 'runner', ts: now() },
          offset: end + 1,
        };
        return { outputs: [skipped], nextOffset: end + 1 };
      }
      const outputs: RunOutput[] = [];
      let lineStart = 0;
      const ts = now();
      while (lineStart <= lastNl) {
        const nl = data.indexOf(0x0a, lineStart);
        const text = data.subarray(lineStart, nl).toString('utf8').trim();
        if (text !== '') outputs.push(parseEventLine(text, start + nl + 1, ts));
        lineStart = nl + 1;
      }
      return { outputs, nextOffset: start + lastNl + 1 };
    } finally {
      await fh.close();
    }
  }

  /** The last `n` lines of a text file (the unterminated last line included). */
  async tail(name: RunFile, n: number): Promise<string[]> {
    const from = await this.tailStart(name, n);
    if (from === undefined) return [];
    const fh = await openOrUndefined(this.path(name));
    if (!fh) return [];
    try {
      const size = (await fh.stat()).size;
      const buf = Buffer.alloc(Math.max(0, size - from));
      await fh.read(buf, 0, buf.length, from);
      return splitLines(buf.toString('utf8'));
    } finally {
      await fh.close();
    }
  }

  /**
   * The byte offset where the last `n` lines of a file begin (0 when it has
   * fewer); undefined for n <= 0 or a missing file. Reads backwards, at most
   * 16 MiB: past that, the earliest whole line within that window.
   */
  async tailStart(name: RunFile, n: number): Promise<number | undefined> {
    const want = Math.min(Math.floor(n), MAX_TAIL_LINES);
    if (!(want > 0)) return undefined;
    const fh = await openOrUndefined(this.path(name));
    if (!fh) return undefined;
    try {
      const size = (await fh.stat()).size;
      let end = size;
      if (end > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, end - 1);
        if (last[0] === 0x0a) end -= 1; // the final newline ends the last line; it separates nothing
      }
      let seen = 0;
      let earliest: number | undefined;
      const buf = Buffer.alloc(64 * 1024);
      for (let pos = end; pos > 0 && size - pos < TAIL_MAX_BYTES; ) {
        const len = Math.min(buf.length, pos);
        pos -= len;
        await fh.read(buf, 0, len, pos);
        for (let i = len - 1; i >= 0; i--) {
          if (buf[i] !== 0x0a) continue;
          earliest = pos + i + 1;
          if (++seen === want) return earliest;
        }
        if (pos === 0) return 0;
      }
      return earliest ?? Math.max(0, end - TAIL_MAX_BYTES);
    } finally {
      await fh.close();
    }
  }

  /**
   * The line that best says why the job failed: the last `log` event with
   * level error, else the last line of stdout.log that looks like an error
   * (a Python exception line first).
   */
  async lastErrorLine(): Promise<string | undefined> {
    const events = await this.tail(RUN_FILES.events, 200);
    for (let i = events.length - 1; i >= 0; i--) {
      try {
        const e = JSON.parse(events[i]!) as Record<string, unknown>;
        if (e.type === 'log' && e.level === 'error' && typeof e.message === 'string' && e.message.trim()) return clip(e.message.trim());
      } catch {
        /* not JSON: ignore */
      }
    }
    const lines = (await this.tail(RUN_FILES.stdout, 200)).map((l) => l.trim()).filter(Boolean);
    const exception = /^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b(:|$)/;
    const errorish = /\b(error|fatal|exception|killed|out of memory|not found|no such file|permission denied)\b/i;
    for (const re of [exception, errorish]) {
      for (let i = lines.length - 1; i >= 0; i--) if (re.test(lines[i]!)) return clip(lines[i]!);
    }
    return undefined;
  }

  /**
   * Lines of a growing text file as they are written (fs.watch, with a
   * polling fallback every `pollMs`). Ends when `signal` aborts, or when
   * `isFinished()` says the writer has ended and everything is read (the
   * last unterminated line is then yielded too).
   */
  async *follow(
    name: RunFile,
    signal: AbortSignal,
    opts: { isFinished: () => boolean | Promise<boolean>; finishedCheckMs?: number; pollMs?: number; tailLines?: number },
  ): AsyncGenerator<string> {
    const file = this.path(name);
    const pollMs = opts.pollMs ?? 200;
    const finishedCheckMs = opts.finishedCheckMs ?? pollMs;
    let pos = opts.tailLines !== undefined ? ((await this.tailStart(name, opts.tailLines)) ?? 0) : 0;
    if (opts.tailLines !== undefined && opts.tailLines <= 0) pos = statSize(file);
    let pending: Buffer = Buffer.alloc(0);
    let wake: (() => void) | undefined;
    const poke = () => wake?.();
    let watcher: fs.FSWatcher | undefined;
    try {
      watcher = fs.watch(this.dir, { persistent: false }, (_event, filename) => {
        if (!filename || filename === name) poke();
      });
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined; // folder missing or watching unsupported: polling alone
    }
    signal.addEventListener('abort', poke, { once: true });
    let lastFinishedCheck = 0;
    try {
      for (;;) {
        if (signal.aborted) return;
        const chunk = await readFrom(file, pos, OUTPUT_CHUNK);
        if (chunk.length > 0) {
          pos += chunk.length;
          pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
          let nl: number;
          while ((nl = pending.indexOf(0x0a)) >= 0) {
            yield stripCr(pending.subarray(0, nl).toString('utf8'));
            if (signal.aborted) return;
            pending = pending.subarray(nl + 1);
          }
          continue;
        }
        const t = Date.now();
        if (t - lastFinishedCheck >= finishedCheckMs) {
          lastFinishedCheck = t;
          if (await opts.isFinished()) {
            // Drain what was written before the end, then the unterminated tail.
            for (;;) {
              const rest = await readFrom(file, pos, OUTPUT_CHUNK);
              if (rest.length === 0) break;
              pos += rest.length;
              pending = Buffer.concat([pending, rest]);
            }
            for (const l of splitLines(pending.toString('utf8'))) {
              if (signal.aborted) return;
              yield l;
            }
            return;
          }
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, pollMs);
          function done() {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          }
          wake = done;
        });
      }
    } finally {
      signal.removeEventListener('abort', poke);
      watcher?.close();
    }
  }
}

async function openOrUndefined(file: string): Promise<fsp.FileHandle | undefined> {
  try {
    return await fsp.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function readFrom(file: string, pos: number, max: number): Promise<Buffer> {
  const fh = await openOrUndefined(file);
  if (!fh) return Buffer.alloc(0);
  try {
    const size = (await fh.stat()).size;
    if (size <= pos) return Buffer.alloc(0);
    const buf = Buffer.alloc(Math.min(size - pos, max));
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function findNewline(fh: fsp.FileHandle, from: number, size: number): Promise<number | undefined> {
  const buf = Buffer.alloc(64 * 1024);
  for (let pos = from; pos < size; ) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) break;
    const i = buf.subarray(0, bytesRead).indexOf(0x0a);
    if (i >= 0) return pos + i;
    pos += bytesRead;
  }
  return undefined;
}

function statSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

const stripCr = (s: string) => (s.endsWith('\r') ? s.slice(0, -1) : s);

/** Lines of a text, without the empty string after a final newline. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map(stripCr);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

const clip = (s: string, max = 300) => (s.length > max ? `${s.slice(0, max)}…` : s);
