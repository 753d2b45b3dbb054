import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@fts/migrations';
import { fillConfigContentKeys } from '../event-store/config-content-keys.js';

export type Sqlite = Database.Database;
export type Synchronous = 'FULL' | 'NORMAL';

/**
 * Opens the state database through TypeORM (better-sqlite3 driver, WAL),
 * runs pending migrations, and hands back the raw better-sqlite3 handle the
 * event store uses for synchronous transactions.
 */
export async function openDatabase(dbPath: string, synchronous: Synchronous = 'FULL'): Promise<{ dataSource: DataSource; db: Sqlite }> {
  if (dbPath !== ':memory:') fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: dbPath,
    enableWAL: true,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    prepareDatabase: (db: Sqlite) => {
      db.pragma('busy_timeout = 5000');
      // FULL: every commit is on disk before it returns. NORMAL survives kill -9 but not power loss;
      // the server pairs it with a group fsync before acknowledging (see group-commit.ts).
      db.pragma(`synchronous = ${synchronous}`);
    },
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const db = (dataSource.driver as unknown as { databaseConnection: Sqlite }).databaseConnection;
  // Declared, not enforced, as in the original: imported rows may point at nothing (the import reports them).
  db.pragma('foreign_keys = OFF');
  // AddConfig's index: keys the configs of a database that predates it (once; nothing pending costs nothing).
  fillConfigContentKeys(db);
  return { dataSource, db };
}
