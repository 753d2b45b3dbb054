import { Inject, Injectable, Optional } from '@nestjs/common';
import { Observable, type Subscription } from 'rxjs';
import { invalidArgument, isDomainError, runKeyOf, type Row, type CatalogReader } from '@fts/domain';
import type { JobLogChunk } from '@fts/proto';
import { EventBus } from '../platform/event-bus.js';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';
import { createNamedJobRunner } from '../runners/create-job-runner.js';
import { endOnShutdown } from '../platform/event-store/follow-log.js';
import { UNLIMITED, type Demand } from '../platform/transport/flow.js';
import { JOB_RUNNER, type JobRunner, type RunHandle } from '../runners/job-runner.js';
import { findJob, isLive, requireJobId, type FoundJob } from './job-lookup.js';

export const DEFAULT_TAIL_LINES = 100;
export const MAX_TAIL_LINES = 10_000;

export interface LogsRequest {
  job_id: string;
  tail_lines: number;
  follow: boolean;
}

/** Tuning of the follow stream; tests shorten it. */
export interface LogStreamTiming {
  /** New lines are sent at most this long after the first of them was read. */
  flushMs: number;
  /** The tail is complete once the reader has waited this long for a line. */
  tailSettleMs: number;
  /** While no run exists yet, how often the run folder is looked at (besides every event of the job). */
  handlePollMs: number;
}
export const LOG_STREAM_TIMING: LogStreamTiming = { flushMs: 200, tailSettleMs: 50, handlePollMs: 2000 };

/** Bounds of one chunk after the tail. */
const MAX_CHUNK_LINES = 1000;
const MAX_CHUNK_BYTES = 1024 * 1024;

/**
 * GetJobLogs: the last `tail_lines` lines of the job's `stdout.log` as one
 * chunk, then, with `follow`, new lines in chunks (at most every 200 ms)
 * until the run has ended and everything is read, or the client cancels.
 *
 * A job with no run yet: without `follow`, one empty chunk and the end (a
 * queued job simply has no log yet; not an error). With `follow`, the stream
 * waits for the run to start, and ends with one empty chunk if the job
 * finishes without ever running (cancelled while queued, say).
 */
@Injectable()
export class JobLogsHandlers {
  timing: LogStreamTiming = LOG_STREAM_TIMING;

  constructor(
    @Inject(CATALOG_READER) private readonly reader: CatalogReader,
    private readonly bus: EventBus,
    @Inject(JOB_RUNNER) private readonly runner: JobRunner,
    @Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig,
  ) {}

  /** Runners a job asked for by name (its `runner` field) read their own run folders. */
  private readonly named = new Map<string, JobRunner>();

  private runnerOf(handle: RunHandle): JobRunner {
    if (!this.config || !handle.runner || handle.runner === this.runner.name || handle.runner === 'cml-deploy') return this.runner;
    let r = this.named.get(handle.runner);
    if (!r) this.named.set(handle.runner, (r = createNamedJobRunner(handle.runner, this.config)));
    return r;
  }

  /** `demand`: the consumer's pace; lines are not read from the log while its buffer is full. */
  logs(req: LogsRequest, demand: Demand = UNLIMITED): Observable<JobLogChunk> {
    const job = findJob(this.reader, requireJobId(req.job_id, 'job_id', 'GetJobLogsRequest'));
    const tailLines = tailLinesOf(req.tail_lines);
    const follow = Boolean(req.follow);
    return new Observable<JobLogChunk>((sub) => {
      const abort = new AbortController();
      let closed = false;
      let wake: (() => void) | undefined;
      let changes: Subscription | undefined;
      const send = (lines: string[]) => {
        if (!closed) sub.next({ lines });
      };
      const run = async () => {
        let handle = this.handleOf(job);
        if (!handle && follow) {
          changes = this.bus.events$.subscribe((e) => {
            if (e.streamId === job.streamId) wake?.();
          });
          while (!handle && !closed && isLive(this.reader.get(job.table, job.ref.id)?.status)) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(done, this.timing.handlePollMs);
              function done() {
                clearTimeout(timer);
                wake = undefined;
                resolve();
              }
              wake = done;
            });
            handle = this.handleOf(job);
          }
          changes.unsubscribe();
        }
        if (closed) return;
        if (!handle) {
          send([]);
        } else if (!follow) {
          send(await this.runnerOf(handle).logs(handle, { tailLines }));
        } else {
          await this.stream(handle, tailLines, abort.signal, send, () => closed, demand);
        }
        if (!closed) sub.complete();
      };
      const stopOnShutdown = endOnShutdown(this.bus, sub);
      run().catch((err: unknown) => {
        if (!closed) sub.error(err);
      });
      return () => {
        closed = true;
        stopOnShutdown();
        abort.abort();
        changes?.unsubscribe();
        wake?.();
      };
    });
  }

  /** The tail as one chunk (complete once `tailLines` lines came, or the reader waits for more), then batches. */
  private async stream(handle: RunHandle, tailLines: number, signal: AbortSignal, send: (lines: string[]) => void, closed: () => boolean, demand: Demand) {
    const it = this.runnerOf(handle).followLogs(handle, signal, { tailLines })[Symbol.asyncIterator]();
    let buf: string[] = [];
    let bytes = 0;
    let tailSent = false;
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (!tailSent || buf.length) send(buf);
      tailSent = true;
      buf = [];
      bytes = 0;
    };
    try {
      let pending = it.next();
      for (;;) {
        let r: IteratorResult<string>;
        if (!tailSent) {
          const settled = await within(pending, this.timing.tailSettleMs);
          if (!settled) {
            flush(); // the reader is waiting for new lines: the tail is complete
            continue;
          }
          r = settled.value;
        } else {
          r = await pending;
        }
        if (r.done || closed()) break;
        // At most one chunk waits beside a full consumer: the next line is read once it drains.
        if (!demand.ready()) await demand.drained();
        if (closed()) break;
        pending = it.next();
        buf.push(r.value);
        bytes += Buffer.byteLength(r.value);
        if (!tailSent) {
          if (buf.length >= tailLines) flush();
        } else if (buf.length >= MAX_CHUNK_LINES || bytes >= MAX_CHUNK_BYTES) {
          flush();
        } else {
          timer ??= setTimeout(flush, this.timing.flushMs);
        }
      }
      if (!closed()) flush();
    } finally {
      if (timer) clearTimeout(timer);
      await it.return?.();
    }
  }

  /**
   * The run's handle: the one recorded with JobRunSubmitted (job_runs.handle),
   * else whatever the run folder says (a run started but not yet recorded, or
   * recorded by a crashed server). The job id always comes from the job, never
   * from the stored JSON.
   */
  private handleOf(job: FoundJob): RunHandle | undefined {
    const run: Row | undefined = this.reader.get('job_runs', job.ref.id);
    const stored = parseHandle(run?.handle);
    // Each attempt of a job has its own run folder: the log is the current attempt's.
    const key = runKeyOf(job.row);
    if (stored) return { ...stored, jobId: key };
    try {
      return this.runner.recoverHandle(key);
    } catch (e) {
      if (isDomainError(e)) return undefined; // an id that cannot name a run folder (an imported row): it never ran here
      throw e;
    }
  }
}

function tailLinesOf(n: number | undefined): number {
  const v = n ?? 0;
  if (!Number.isInteger(v) || v < 0 || v > MAX_TAIL_LINES) {
    throw invalidArgument(
      'JOB_LOGS.TAIL_LINES',
      `Field 'tail_lines' must be a whole number from 0 to ${MAX_TAIL_LINES} (0: the last ${DEFAULT_TAIL_LINES} lines).`,
    );
  }
  return v === 0 ? DEFAULT_TAIL_LINES : v;
}

function parseHandle(v: unknown): RunHandle | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  try {
    const h = JSON.parse(v) as Partial<RunHandle> | null;
    if (!h || typeof h !== 'object' || (h.runner !== 'local' && h.runner !== 'cml')) return undefined;
    return h as RunHandle;
  } catch {
    return undefined;
  }
}

/** The promise's outcome if it settles within `ms`, else undefined (the promise keeps running). */
async function within<T>(p: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([p.then((value) => ({ value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
