import fs from 'node:fs';
import path from 'node:path';
import type { Synchronous } from './open-database.js';

/**
 * How a write is made durable before the client is told it succeeded
 * (FTS_DURABILITY, read by the config: AppConfig.durability):
 * - `group` (default): SQLite commits without waiting for the disk
 *   (synchronous=NORMAL); before answering, the server fsyncs the WAL once
 *   for every commit made so far, so concurrent writers share one fsync.
 * - `full`: synchronous=FULL, one fsync per commit inside SQLite.
 * - `normal`: no fsync before answering: faster, but an OS crash or power
 *   loss can roll back the last acknowledged writes (a kill -9 cannot).
 */
export type Durability = 'group' | 'full' | 'normal';

export const synchronousFor = (d: Durability): Synchronous => (d === 'full' ? 'FULL' : 'NORMAL');

/** What GroupCommit needs of the event store: its write count and when the open commit group has committed. */
export interface CommitSource {
  /** Writes so far (EventStore.writes). */
  readonly writes: number;
  /** Writes so far that are committed (EventStore.committedWrites). */
  readonly committedWrites: number;
  /** Resolves once writes (after, upTo] are committed; rejects if their commit failed (EventStore.committed). */
  committed(after: number, upTo: number): Promise<void>;
}

/** An fdatasync slower than this (ms) is not run on the event loop next time: the disk is busy or slow. */
export const INLINE_FSYNC_LIMIT_MS = 5;

/**
 * Where the next fdatasync runs. On the event loop when no request was
 * answered since the previous one began (`othersServed` false: every request
 * in flight is a write waiting for this fsync, so the loop has nothing else
 * to do meanwhile) and the last one was quick; otherwise in the thread pool,
 * so that reads keep being answered while the disk works. The hop to the
 * pool and back cost a write about a sixth of its latency (AddPrompt from one
 * client: 1.46 ms -> 1.23-1.28 ms).
 */
export function fsyncInline(state: { othersServed: boolean; lastFsyncMs: number }): boolean {
  return !state.othersServed && state.lastFsyncMs < INLINE_FSYNC_LIMIT_MS;
}

/**
 * Durable acknowledgement: `durable(since)` resolves once the writes made
 * since then are committed and, in `group` mode, on disk. One fdatasync of the
 * WAL runs at a time; commits made while it runs wait for the next one,
 * which covers all of them.
 */
export class GroupCommit {
  private synced = 0;
  private inflight?: Promise<void>;
  /** fdatasync calls so far, and how many of them ran on the event loop (tests, diagnostics). */
  flushes = 0;
  inlineFlushes = 0;
  private readonly walPath: string;
  /** The WAL, kept open between flushes (reopened if SQLite made a new one). */
  private wal?: { fd: number; ino: number };
  /** A request was answered without waiting for the disk since the last fdatasync began (see fsyncInline). */
  private othersServed = false;
  /** How long the last fdatasync took (ms; fsyncInline, diagnostics). */
  lastFsyncMs = 0;

  constructor(
    dbPath: string,
    private readonly mode: Durability,
    private readonly store: CommitSource,
  ) {
    this.walPath = `${dbPath}-wal`;
    if (mode === 'group' && dbPath !== ':memory:') syncDirectory(path.dirname(dbPath)); // the WAL's directory entry
  }

  /** Resolves once the writes made since `since` (a value of EventStore.writes) are committed and durable; rejects if their commit failed. */
  durable(since: number): Promise<void> {
    const target = this.store.writes;
    const committed = this.store.committed(since, target);
    if (this.mode !== 'group') return committed;
    return committed.then(() => (this.synced >= target ? undefined : this.until(target)));
  }

  /** A request was answered without a write to wait for (DurableAckInterceptor): the event loop has others to serve. */
  answeredWithoutWrite(): void {
    this.othersServed = true;
  }

  private async until(target: number): Promise<void> {
    while (this.synced < target) {
      this.inflight ??= this.flush().finally(() => (this.inflight = undefined));
      await this.inflight;
    }
  }

  private async flush(): Promise<void> {
    const upTo = this.store.committedWrites; // not the open group's: they are not in the WAL yet
    this.flushes++;
    const inline = fsyncInline({ othersServed: this.othersServed, lastFsyncMs: this.lastFsyncMs });
    this.othersServed = false;
    const fd = this.openWal();
    // No WAL: a checkpoint moved every commit into the database file, which SQLite synced (NORMAL does).
    if (fd !== undefined) {
      const started = performance.now();
      if (inline) {
        this.inlineFlushes++;
        fs.fdatasyncSync(fd);
      } else {
        await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (e) => (e ? reject(e) : resolve())));
      }
      this.lastFsyncMs = performance.now() - started;
    }
    this.synced = Math.max(this.synced, upTo);
  }

  private openWal(): number | undefined {
    const st = fs.statSync(this.walPath, { throwIfNoEntry: false });
    if (this.wal && this.wal.ino !== st?.ino) {
      fs.closeSync(this.wal.fd);
      this.wal = undefined;
    }
    if (!st) return undefined;
    if (!this.wal) {
      const fd = fs.openSync(this.walPath, 'r');
      this.wal = { fd, ino: fs.fstatSync(fd).ino };
    }
    return this.wal.fd;
  }

  /** Closes the kept WAL file (shutdown), once a flush in progress is done with it. */
  async close(): Promise<void> {
    await this.inflight?.catch(() => undefined);
    const wal = this.wal;
    this.wal = undefined;
    if (wal) fs.close(wal.fd, () => undefined); // nothing left to flush: an error closing it changes nothing
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* not every filesystem lets a directory be fsynced */
  }
}
