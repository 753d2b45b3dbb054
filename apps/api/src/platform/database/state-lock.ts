import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StartupRefusal } from './startup-refusal.js';

/**
 * One server per state: two servers on one database would both dispatch (the
 * GPU slot limit doubles) and neither would see the other's writes live.
 *
 * The lock is SQLite's own exclusive file lock (POSIX fcntl) on a small lock
 * file, held by a connection in EXCLUSIVE locking mode for the life of the
 * process: the OS releases it when the process ends in any way, kill -9
 * included, so a crashed server never leaves a stale lock behind. The PID
 * file beside it only says who holds the lock; it is never trusted to decide.
 */
export interface StateLock {
  readonly files: string[];
  release(): void;
}

export interface LockTarget {
  /** What the lock protects, as the refusal names it. */
  what: string;
  lockFile: string;
  pidFile: string;
}

/**
 * The state folder (job run folders) and the database, each on its own: two
 * servers may share either one through FTS_STATE_DIR / FINE_TUNING_STUDIO_SQLITE_DB.
 */
export function lockTargets(stateDir: string, dbPath: string): LockTarget[] {
  const targets: LockTarget[] = [
    { what: `the state folder ${stateDir}`, lockFile: path.join(stateDir, 'server.lock'), pidFile: path.join(stateDir, 'server.pid') },
  ];
  if (dbPath !== ':memory:') {
    targets.push({ what: `the database ${dbPath}`, lockFile: `${dbPath}.server.lock`, pidFile: `${dbPath}.server.pid` });
  }
  return targets;
}

/** Takes every lock or none; throws a StartupRefusal naming the holder's PID when another server has one. */
export function acquireStateLock(targets: LockTarget[], pid = process.pid): StateLock {
  const held: { db: Database.Database; target: LockTarget }[] = [];
  const release = () => {
    for (const { db, target } of held.splice(0)) {
      removeOwnPidFile(target.pidFile, pid);
      db.close();
    }
  };
  try {
    for (const target of targets) held.push({ db: lockOne(target), target });
  } catch (e) {
    release();
    throw e;
  }
  for (const { target } of held) fs.writeFileSync(target.pidFile, `${pid}\n`);
  process.once('exit', release);
  return { files: targets.map((t) => t.lockFile), release };
}

function lockOne(target: LockTarget): Database.Database {
  try {
    fs.mkdirSync(path.dirname(target.lockFile), { recursive: true });
  } catch (e) {
    throw new StartupRefusal(`${path.dirname(target.lockFile)} cannot be created (${(e as Error).message}); create it or point FTS_STATE_DIR at a writable folder.`);
  }
  let db: Database.Database | undefined;
  try {
    // timeout 0: a second server is refused at once instead of waiting for the first to stop.
    db = new Database(target.lockFile, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    // In EXCLUSIVE mode the write lock taken here is kept until the connection closes.
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return db;
  } catch (e) {
    db?.close();
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new StartupRefusal(heldBy(target));
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
      throw new StartupRefusal(
        `${target.lockFile} cannot be written (${(e as Error).message}); make ${path.dirname(target.lockFile)} writable or point FTS_STATE_DIR at a writable folder.`,
      );
    }
    throw e;
  }
}

function heldBy(target: LockTarget): string {
  const holder = readPid(target.pidFile);
  const who = holder !== undefined && isAlive(holder) ? `another Fine Tuning Studio server (PID ${holder})` : 'another Fine Tuning Studio server';
  return `${who} is already using ${target.what} (lock ${target.lockFile}); stop that server first, or give this one its own FTS_STATE_DIR and FINE_TUNING_STUDIO_SQLITE_DB.`;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeOwnPidFile(file: string, pid: number): void {
  if (readPid(file) !== pid) return;
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone: nothing to clean up
  }
}
