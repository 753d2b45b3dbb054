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
    db = new Database(dbPath, { fileMustExist: true, timeout: 5000 });
    // quick_check reads every page (through the WAL), so a truncated or overwritten file is found now, not mid-request.
    const problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) throw damaged(dbPath, problems[0]);
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
