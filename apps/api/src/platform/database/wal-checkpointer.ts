import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Sqlite, Synchronous } from './open-database.js';

/** What the checkpointer process is sent when it starts. */
export interface CheckpointerJob {
  dbPath: string;
  synchronous: Synchronous;
}

/** The result of `PRAGMA wal_checkpoint(PASSIVE)`: frames in the WAL, and how many of them are now in the database file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/** Pages the server's own connection lets the WAL grow to before checkpointing inline: only if the checkpointer process is gone or cannot keep up. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 16_384;
/** SQLite's default, restored when the checkpointer process is gone. */
export const INLINE_AUTOCHECKPOINT_PAGES = 1_000;

/**
 * WAL frames past which the checkpointer also asks for a RESTART checkpoint.
 * PASSIVE checkpoints copy frames without ever holding up the server, but
 * while writes keep coming none of them ends with the whole WAL copied, and
 * only then does the next writer start the WAL over: without a RESTART now
 * and then the WAL would grow to the fallback. A RESTART holds the write lock
 * while it copies what the last PASSIVE left (a few pages) and syncs, about a
 * millisecond, which is all a writer of the server can be held up by it.
 */
export const RESTART_AFTER_FRAMES = 4_096;

/**
 * What the checkpointer does after a PASSIVE checkpoint: a RESTART too, or
 * not; and when to look again (ms). Not more often than every 100 ms while
 * the WAL moves: each checkpoint that copies the whole WAL lets the server's
 * next write start it over, and SQLite syncs the new WAL header then, on the
 * server's event loop.
 */
export function afterPassive(previous: CheckpointResult | undefined, current: CheckpointResult): { restart: boolean; delayMs: number } {
  if (current.log >= RESTART_AFTER_FRAMES) return { restart: true, delayMs: 100 };
  const moved = !previous || current.log !== previous.log || current.checkpointed !== previous.checkpointed;
  return { restart: false, delayMs: moved ? 100 : 250 };
}

/** One checkpoint of `mode`; with no busy timeout on the connection it never waits (busy = 1 when it could not run or finish). */
export function checkpoint(db: Sqlite, mode: 'PASSIVE' | 'RESTART'): CheckpointResult {
  const [r] = db.pragma(`wal_checkpoint(${mode})`) as CheckpointResult[];
  return r;
}

/**
 * Moves WAL checkpoints off the server's event loop. SQLite checkpoints
 * inside the COMMIT that crosses 1,000 WAL pages: copying those pages into
 * the database file and two fsyncs, on the request path (a bench profile put
 * it at 60% of the COMMIT's time). A small child process
 * (wal-checkpointer-process.ts) with a connection of its own runs PASSIVE
 * checkpoints instead, ten times a second while the WAL moves (PASSIVE
 * never waits for, nor blocks, the server's readers and writers), and a
 * RESTART past RESTART_AFTER_FRAMES so that the WAL starts over.
 *
 * The server's connection keeps an inline checkpoint as a safety net, at
 * FALLBACK_AUTOCHECKPOINT_PAGES, and goes back to SQLite's default when the
 * process exits unasked. Durability is unchanged: a commit is durable once
 * its WAL frames are synced (group-commit.ts, or synchronous=FULL), and a
 * checkpoint syncs the WAL before and the database after copying
 * (synchronous NORMAL or FULL on the checkpointer's connection too).
 *
 * Not a worker thread: better-sqlite3 can crash the process when a worker
 * thread that used it exits (WiseLibs/better-sqlite3#1476).
 */
export class WalCheckpointer {
  private stopping = false;

  private constructor(
    private readonly child: ChildProcess,
    db: Sqlite,
    warn: (message: string) => void,
  ) {
    child.once('exit', (code, signal) => {
      if (this.stopping || !db.open) return;
      db.pragma(`wal_autocheckpoint = ${INLINE_AUTOCHECKPOINT_PAGES}`);
      warn(`The WAL checkpointer process exited (${signal ?? code}); checkpoints run inline from now on.`);
    });
  }

  /**
   * Starts the checkpointer for the database `db` has open, or returns
   * undefined where there is none to start (an in-memory database, or the
   * sources run without a build: Jest), leaving SQLite's inline checkpoints.
   */
  static start(
    db: Sqlite,
    job: CheckpointerJob,
    warn: (message: string) => void,
    script = fileURLToPath(new URL('./wal-checkpointer-process.js', import.meta.url)),
  ): WalCheckpointer | undefined {
    if (job.dbPath === ':memory:' || !fs.existsSync(script)) return undefined;
    const child = fork(script, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // Neither the process nor its channel keeps the server alive; it exits when the channel closes (the server exits or dies).
    child.unref();
    child.channel?.unref();
    child.send(job);
    db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    return new WalCheckpointer(child, db, warn);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Ends the process and waits for it (before the server's connection closes and checkpoints the rest itself). */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const kill = setTimeout(() => child.kill('SIGKILL'), 2_000);
    if (child.connected) child.disconnect();
    else child.kill('SIGTERM');
    await exited;
    clearTimeout(kill);
  }
}
