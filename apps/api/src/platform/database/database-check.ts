import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '@fts/migrations';
import { StartupRefusal } from './startup-refusal.js';

const KNOWN_MIGRATIONS = new Set(MIGRATIONS.map((m) => new m().name ?? m.name));

const moveAside = 'move it aside to start on an empty database (then `npm run fts -- import` an export to bring the catalog back)';

/**
 * Checks an existing state database before anything opens it for real, so a
 * bad file stops start-up with one sentence (the file, what is wrong, what to
 * do) instead of a stack trace, a half-run migration, or a server that serves
 * a database it does not understand. A missing file is fine: it is created.
 */
export function checkStateDatabase(dbPath: string): void {
  if (dbPath === ':memory:' || !fs.existsSync(dbPath)) return;
  requireWritable(dbPath);
  let db: Database.Database | undefined;
  try {
    const headerProblem = checkHeader(dbPath);
    if (headerProblem) throw damaged(dbPath, headerProblem);
    db = new Database(dbPath, { fileMustExist: true, timeout: 5000 });
    // quick_check reads every page (through the WAL), so an overwritten page is found now, not mid-request; it grows
    // with the log, so above FULL_CHECK_MAX_BYTES start-up reads only what it needs (the header above, the schema,
    // the newest event) and `npm run fts -- replay --verify` is the full check.
    if (fs.statSync(dbPath).size <= FULL_CHECK_MAX_BYTES) {
      const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
      if (problems.length > 0) throw damaged(dbPath, problems[0]);
    } else {
      db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
      const events = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get();
      if (events) db.prepare('SELECT * FROM events ORDER BY position DESC LIMIT 1').get();
    }
    refuseUnknownMigrations(db, dbPath);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') {
      throw new StartupRefusal(`${dbPath} is not a SQLite database; point FINE_TUNING_STUDIO_SQLITE_DB at the studio's database, or ${moveAside}.`);
    }
    if (code === 'SQLITE_CORRUPT') throw damaged(dbPath, (e as Error).message);
    if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') throw readOnly(dbPath, (e as Error).message);
    throw e;
  } finally {
    db?.close();
  }
}

/** Above this size start-up does not read every page (quick_check): it would grow with the log. */
export const FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The file's 100-byte header: the SQLite magic, a valid page size, and a file
 * at least as long as the page count the header records (when that count is
 * valid: its change counter matches). A truncated file fails here without
 * reading its pages. Returns what is wrong, or undefined.
 */
function checkHeader(dbPath: string): string | undefined {
  const fd = fs.openSync(dbPath, 'r');
  try {
    const h = Buffer.alloc(100);
    const n = fs.readSync(fd, h, 0, 100, 0);
    if (n === 0) return undefined; // an empty file: SQLite treats it as a new database
    // Not a database at all: left to SQLite, which answers SQLITE_NOTADB (and its own sentence).
    if (n < 100 || h.toString('latin1', 0, 16) !== 'SQLite format 3\0') return undefined;
    const raw = h.readUInt16BE(16);
    const pageSize = raw === 1 ? 65536 : raw;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return `the header's page size ${raw} is not valid`;
    const pages = h.readUInt32BE(28);
    const countValid = h.readUInt32BE(24) === h.readUInt32BE(92);
    const size = fs.fstatSync(fd).size;
    if (countValid && pages > 0 && size < pages * pageSize) return `the file is ${size} bytes, its header says ${pages * pageSize}`;
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

function requireWritable(dbPath: string): void {
  // SQLite writes the -wal and -shm files beside the database, so the folder must be writable too.
  for (const target of [dbPath, path.dirname(dbPath)]) {
    try {
      fs.accessSync(target, fs.constants.R_OK | fs.constants.W_OK);
    } catch (e) {
      throw readOnly(target, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
    }
  }
}

const readOnly = (file: string, why: string) =>
  new StartupRefusal(
    `${file} is read-only (${why}) and the studio must write its database there; make it writable (chmod u+w ${file}) or point FINE_TUNING_STUDIO_SQLITE_DB at a writable copy.`,
  );

const damaged = (dbPath: string, why: string) =>
  new StartupRefusal(`the database ${dbPath} is damaged (${why}: truncated or overwritten); restore it from a backup, or ${moveAside}.`);

function refuseUnknownMigrations(db: Database.Database, dbPath: string): void {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get();
  if (!table) return;
  const unknown = (db.prepare('SELECT name FROM migrations ORDER BY timestamp').all() as { name: string }[])
    .map((r) => r.name)
    .filter((name) => !KNOWN_MIGRATIONS.has(name));
  if (unknown.length > 0) {
    throw new StartupRefusal(
      `the database ${dbPath} was written by a newer build of Fine Tuning Studio (schema ${unknown.join(', ')}, unknown to this build); run that build or a later one, or restore a backup made with this one.`,
    );
  }
}
