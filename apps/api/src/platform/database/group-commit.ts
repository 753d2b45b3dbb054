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

/**
 * Durable acknowledgement: `durable(since)` resolves once the writes made
 * since then are committed and, in `group` mode, on disk. One fdatasync of the
 * WAL runs at a time; commits made while it runs wait for the next one,
 * which covers all of them.
 */
export class GroupCommit {
  private synced = 0;
  private inflight?: Promise<void>;
  /** fdatasync calls so far (tests, diagnostics). */
  flushes = 0;
  private readonly walPath: string;
  /** The WAL, kept open between flushes (reopened if SQLite made a new one). */
  private wal?: { handle: fs.promises.FileHandle; ino: number };

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

  private async until(target: number): Promise<void> {
    while (this.synced < target) {
      this.inflight ??= this.flush().finally(() => (this.inflight = undefined));
      await this.inflight;
    }
  }

  private async flush(): Promise<void> {
    const upTo = this.store.committedWrites; // not the open group's: they are not in the WAL yet
    this.flushes++;
    const wal = await this.openWal();
    // No WAL: a checkpoint moved every commit into the database file, which SQLite synced (NORMAL does).
    if (wal) await wal.datasync();
    this.synced = Math.max(this.synced, upTo);
  }

  private async openWal(): Promise<fs.promises.FileHandle | undefined> {
    const st = fs.statSync(this.walPath, { throwIfNoEntry: false });
    if (this.wal && this.wal.ino !== st?.ino) {
      const old = this.wal.handle;
      this.wal = undefined;
      await old.close().catch(() => undefined);
    }
    if (!st) return undefined;
    if (!this.wal) {
      const handle = await fs.promises.open(this.walPath, 'r');
      this.wal = { handle, ino: (await handle.stat()).ino };
    }
    return this.wal.handle;
  }

  /** Closes the kept WAL handle (shutdown). */
  async close(): Promise<void> {
    const wal = this.wal;
    this.wal = undefined;
    await wal?.handle.close().catch(() => undefined);
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
