import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@fts/migrations';

export type Sqlite = Database.Database;

/**
 * Opens the state database through TypeORM (better-sqlite3 driver, WAL),
 * runs pending migrations, and hands back the raw better-sqlite3 handle the
 * event store uses for synchronous transactions.
 */
export async function openDatabase(dbPath: string): Promise<{ dataSource: DataSource; db: Sqlite }> {
  if (dbPath !== ':memory:') fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: dbPath,
    enableWAL: true,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    prepareDatabase: (db: Sqlite) => {
      db.pragma('busy_timeout = 5000');
      // WAL + NORMAL: a committed transaction survives a crash of this process (kill -9).
      db.pragma('synchronous = NORMAL');
    },
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const db = (dataSource.driver as unknown as { databaseConnection: Sqlite }).databaseConnection;
  // Declared, not enforced, as in the original: imported rows may point at nothing (the import reports them).
  db.pragma('foreign_keys = OFF');
  return { dataSource, db };
}
