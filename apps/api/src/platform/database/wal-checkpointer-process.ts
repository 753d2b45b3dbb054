import Database from 'better-sqlite3';
import { afterPassive, checkpoint, type CheckpointResult, type CheckpointerJob } from './wal-checkpointer.js';

/**
 * The checkpointer process of WalCheckpointer: PASSIVE checkpoints of the
 * server's database on a connection of its own, until the server closes the
 * IPC channel (it stops it, exits or dies).
 */
process.once('message', (job: CheckpointerJob) => {
  // No busy timeout: a checkpoint that would wait for the server gives up at once and is tried again later.
  const db = new Database(job.dbPath, { fileMustExist: true, timeout: 0 });
  db.pragma(`synchronous = ${job.synchronous}`); // a checkpoint syncs the WAL before copying and the database after
  db.pragma('wal_autocheckpoint = 0');
  let previous: CheckpointResult | undefined;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    let delay = 250;
    try {
      const current = checkpoint(db, 'PASSIVE');
      const next = afterPassive(previous, current);
      delay = next.delayMs;
      previous = current;
      if (next.restart && checkpoint(db, 'RESTART').busy) delay = 2; // the server was mid-write: its next gap is near
    } catch {
      /* SQLITE_BUSY and the like: the next tick tries again */
    }
    timer = setTimeout(tick, delay);
  };
  process.once('disconnect', () => {
    clearTimeout(timer);
    db.close();
    process.exit(0);
  });
  tick();
});
