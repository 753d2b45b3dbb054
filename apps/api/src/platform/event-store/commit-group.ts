import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../database/open-database.js';

interface OpenGroup {
  /** The last event position committed before the group began (the head readers of the log are held to). */
  base: number;
  after: (() => void)[];
  settled: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for the requests of one turn of the event loop: the first
 * grouped write begins a transaction (BEGIN IMMEDIATE), every command runs
 * in a savepoint of its own inside it (better-sqlite3 nests db.transaction()
 * calls as savepoints), and one COMMIT ends it once the turn's I/O has been
 * handled (setImmediate). A refused command rolls back alone; each command's
 * version checks and idempotency lookup see every earlier command of the
 * group, as they would see earlier transactions. What the group shares is
 * the commit: the WAL frames of the pages the commands touched are written
 * once, not once per command.
 *
 * Only writes whose answer waits for `settled()` may join (requests, whose
 * answers the DurableAckInterceptor holds); anything that acts on its write
 * at once commits the open group first (`commitNow`).
 */
export class CommitGroup {
  private open?: OpenGroup;
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;
  private readonly head: Statement;

  constructor(
    private readonly db: Sqlite,
    /** Called with the error when a group's COMMIT failed and it was rolled back (caches built from its rows are stale). */
    private readonly onRollback: (error: unknown) => void,
    private readonly schedule: (fn: () => void) => void = setImmediate,
  ) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.head = db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events');
  }

  get isOpen(): boolean {
    return this.open !== undefined;
  }

  /** The last committed position while a group is open (its own events are not committed yet). */
  get base(): number | undefined {
    return this.open?.base;
  }

  /**
   * Makes the next write part of the open group, beginning one if none is
   * open. Inside someone else's transaction (a spec's, a migration's) the
   * write simply nests there, as it always did.
   */
  join(): void {
    if (this.open || this.db.inTransaction) return;
    this.begin.run();
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const settled = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    settled.catch(() => undefined); // a group nobody waits for must not surface as an unhandled rejection
    this.open = { base: (this.head.get() as { p: number }).p, after: [], settled, resolve, reject };
    this.schedule(() => this.settle());
  }

  /** Runs `fn` once the open group commits (never if it fails); at once when no group is open. */
  afterCommit(fn: () => void): void {
    if (this.open) this.open.after.push(fn);
    else fn();
  }

  /** Resolves when the open group has committed (rejects with its COMMIT's error); undefined when none is open. */
  settled(): Promise<void> | undefined {
    return this.open?.settled;
  }

  /** Commits the open group now; throws the COMMIT's error after rolling the group back. */
  commitNow(): void {
    const g = this.open;
    if (!g) return;
    this.open = undefined;
    try {
      this.commit.run();
    } catch (e) {
      if (this.db.inTransaction) this.rollback.run();
      this.onRollback(e);
      g.reject(e);
      throw e;
    }
    let failed: { e: unknown } | undefined;
    for (const fn of g.after) {
      try {
        fn();
      } catch (e) {
        failed ??= { e };
      }
    }
    g.resolve(); // committed: a callback's failure (a subscriber's) does not undo that
    if (failed) throw failed.e;
  }

  /** The scheduled end of a group: its failure reaches the writers through `settled()`. */
  private settle(): void {
    if (!this.db.open) return;
    try {
      this.commitNow();
    } catch {
      /* rejected through settled() */
    }
  }
}
