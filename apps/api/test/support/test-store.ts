/**
 * The one builder of the handler specs' world: a temporary project root
 * (realpath, so path checks compare like the server's), a migrated SQLite
 * database at `<root>/.app/state.db`, the event store with its reader, the
 * bus and the command runner. `close()` destroys the connection and removes
 * the root and every folder made by `outsideDir()`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { EventMetadata, NewEvent, RecordedEvent } from '@fts/domain';
import { openDatabase, type Sqlite } from '../../src/platform/database/open-database.js';
import { EventStore } from '../../src/platform/event-store/event-store.js';
import type { SqliteCatalogReader } from '../../src/platform/event-store/sqlite-catalog-reader.js';
import { EventBus } from '../../src/platform/event-bus.js';
import { CommandRunner } from '../../src/platform/command-runner.js';
import { ProjectPaths } from '../../src/platform/paths/project-paths.js';

/** Metadata of the events a spec appends directly (not through a command). */
export const TEST_META: EventMetadata = { correlation_id: 'test', actor: 'test', transport: 'system' };

export interface TestStore {
  /** The project root (a fresh temporary folder). */
  root: string;
  /** `<root>/.app`, where the database and job runs live. */
  stateDir: string;
  dbPath: string;
  dataSource: DataSource;
  db: Sqlite;
  store: EventStore;
  /** The store's catalog reader (the tables its projections write). */
  reader: SqliteCatalogReader;
  bus: EventBus;
  /** Runs commands against `store`, publishing on `bus`. */
  commands: CommandRunner;
  paths: ProjectPaths;
  /** Stores events (each after its stream's current version) with `meta` and publishes them, as a committed command would. */
  append(events: NewEvent[], meta?: EventMetadata): RecordedEvent[];
  /** A fresh temporary folder outside the project (for path checks), removed by close(). */
  outsideDir(): string;
  close(): Promise<void>;
}

export async function openTestStore(prefix = 'fts-test-'): Promise<TestStore> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const stateDir = path.join(root, '.app');
  const dbPath = path.join(stateDir, 'state.db');
  const { dataSource, db } = await openDatabase(dbPath);
  const store = new EventStore(db);
  const bus = new EventBus();
  const outside: string[] = [];
  return {
    root,
    stateDir,
    dbPath,
    dataSource,
    db,
    store,
    reader: store.reader,
    bus,
    commands: new CommandRunner(store, bus),
    paths: new ProjectPaths(root),
    append(events, meta = TEST_META) {
      const recorded = store.append(events, meta);
      bus.publish(recorded);
      return recorded;
    },
    outsideDir() {
      const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}out-`)));
      outside.push(dir);
      return dir;
    },
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      for (const dir of [root, ...outside]) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
