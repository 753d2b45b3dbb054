import fs from 'node:fs';
import path from 'node:path';
import { resourceExhausted, type DomainError } from '@fts/domain';

/** Below this much free space on the database's disk, health says degraded before a write fails. */
export const LOW_DISK_BYTES = 16 * 1024 * 1024;

/** True for what SQLite or Node report when the disk is full. */
export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || (code === 'SQLITE_IOERR_WRITE' && /disk|space/i.test(String((e as Error).message)));
}

export interface StorageStatus {
  status: 'ok' | 'degraded';
  /** What is wrong, in a sentence; absent when ok. */
  reason?: string;
  free_bytes?: number;
}

/**
 * The state of the disk under the database: a write that failed for want of
 * space marks it full until a later write succeeds; free space under
 * LOW_DISK_BYTES also reads as degraded, so /api/health warns before writes
 * fail.
 */
export class StorageHealth {
  private fullSince?: string;
  private readonly dir: string;

  constructor(
    dbPath: string,
    private readonly minFreeBytes = LOW_DISK_BYTES,
  ) {
    this.dir = dbPath === ':memory:' ? process.cwd() : path.dirname(dbPath);
  }

  /** Records a write refused for want of space; returns the error the caller gets. */
  full(): DomainError {
    this.fullSince ??= new Date().toISOString();
    return resourceExhausted(
      'STORE.DISK_FULL',
      `The disk holding the database (${this.dir}) is full: nothing was written. Free some space there and try again.`,
    );
  }

  /** A write went through: whatever was full has room again. */
  written(): void {
    this.fullSince = undefined;
  }

  status(): StorageStatus {
    let free: number | undefined;
    try {
      const s = fs.statfsSync(this.dir);
      free = s.bavail * s.bsize;
    } catch {
      free = undefined;
    }
    if (this.fullSince) {
      return { status: 'degraded', reason: `The disk holding the database (${this.dir}) is full since ${this.fullSince}: writes are refused until space is freed.`, free_bytes: free };
    }
    if (free !== undefined && free < this.minFreeBytes) {
      return { status: 'degraded', reason: `The disk holding the database (${this.dir}) has only ${Math.floor(free / 1024)} KiB free: writes will soon be refused.`, free_bytes: free };
    }
    return { status: 'ok', free_bytes: free };
  }
}
