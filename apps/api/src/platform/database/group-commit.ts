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

/**
 * Group commit: `durable()` resolves once every commit made before the call
 * is on disk. One fdatasync of the WAL runs at a time; commits made while it
 * runs wait for the next one, which covers all of them.
 */
export class GroupCommit {
  private synced = 0;
  private inflight?: Promise<void>;
  /** fdatasync calls so far (tests, diagnostics). */
  flushes = 0;
  private readonly walPath: string;

  constructor(
    dbPath: string,
    private readonly mode: Durability,
    /** The number of commits so far (EventStore.commits). */
    private readonly commits: () => number,
  ) {
    this.walPath = `${dbPath}-wal`;
    if (mode === 'group' && dbPath !== ':memory:') syncDirectory(path.dirname(dbPath)); // the WAL's directory entry
  }

  durable(): Promise<void> {
    if (this.mode !== 'group') return Promise.resolve();
    const target = this.commits();
    return this.synced >= target ? Promise.resolve() : this.until(target);
  }

  private async until(target: number): Promise<void> {
    while (this.synced < target) {
      this.inflight ??= this.flush().finally(() => (this.inflight = undefined));
      await this.inflight;
    }
  }

  private async flush(): Promise<void> {
    const upTo = this.commits();
    this.flushes++;
    // Opened each time: SQLite may have recreated the WAL since the last flush.
    const wal = await fs.promises.open(this.walPath, 'r').catch((e: NodeJS.ErrnoException) => {
      // No WAL: a checkpoint moved every commit into the database file, which SQLite synced (NORMAL does).
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (wal) {
      try {
        await wal.datasync();
      } finally {
        await wal.close();
      }
    }
    this.synced = Math.max(this.synced, upTo);
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
