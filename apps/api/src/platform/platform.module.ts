import { APP_INTERCEPTOR } from '@nestjs/core';
import { Global, Inject, Logger, Module, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, processConfig, type AppConfig } from './config/app-config.js';
import { openDatabase } from './database/open-database.js';
import { EventStore } from './event-store/event-store.js';
import { SqliteCatalogReader } from './event-store/sqlite-catalog-reader.js';
import { EventBus } from './event-bus.js';
import { CommandRunner } from './command-runner.js';
import { ProjectPaths } from './paths/project-paths.js';
import { CATALOG_READER, DATABASE } from './platform.tokens.js';
import { StorageHealth } from './database/storage-health.js';
import { GroupCommit, synchronousFor } from './database/group-commit.js';
import { WalCheckpointer } from './database/wal-checkpointer.js';
import { DurableAckInterceptor } from './transport/durable-ack.interceptor.js';
import { ListResponseCache } from './transport/list-response-cache.js';
import { WriteGate } from './transport/write-gate.js';
import type { DataSource } from 'typeorm';
import type { Sqlite } from './database/open-database.js';

/**
 * The write and read plumbing every area uses: configuration, the SQLite
 * database (migrated at start-up), the event store, the bus, the command
 * runner, the projection reader and request-path resolution.
 */
@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useFactory: () => processConfig() },
    {
      provide: DATABASE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const synchronous = synchronousFor(config.durability);
        const opened = await openDatabase(config.dbPath, synchronous);
        // A commit group's savepoints journal every page they touch: past 64 KiB SQLite spills that to a temp file, created and deleted each time.
        opened.db.pragma('temp_store = MEMORY');
        const warn = (m: string) => new Logger('Database').warn(m);
        return { ...opened, checkpointer: WalCheckpointer.start(opened.db, { dbPath: config.dbPath, synchronous }, warn) };
      },
    },
    {
      provide: EventStore,
      inject: [DATABASE],
      useFactory: (d: { db: Sqlite }) => new EventStore(d.db),
    },
    { provide: SqliteCatalogReader, inject: [DATABASE], useFactory: (d: { db: Sqlite }) => new SqliteCatalogReader(d.db) },
    { provide: CATALOG_READER, useExisting: SqliteCatalogReader },
    { provide: EventBus, useFactory: () => new EventBus() },
    {
      provide: GroupCommit,
      inject: [APP_CONFIG, EventStore],
      useFactory: (c: AppConfig, s: EventStore) => new GroupCommit(c.dbPath, c.durability, s),
    },
    { provide: WriteGate, useFactory: () => new WriteGate() },
    { provide: APP_INTERCEPTOR, useClass: DurableAckInterceptor },
    { provide: StorageHealth, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new StorageHealth(c.dbPath) },
    {
      provide: CommandRunner,
      inject: [EventStore, EventBus, StorageHealth],
      useFactory: (s: EventStore, b: EventBus, h: StorageHealth) => new CommandRunner(s, b, undefined, undefined, h, { groupRequests: true }),
    },
    {
      provide: ListResponseCache,
      inject: [DATABASE, EventStore],
      useFactory: (d: { db: Sqlite }, s: EventStore) => new ListResponseCache(d.db, s),
    },
    { provide: ProjectPaths, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new ProjectPaths(c.projectRoot) },
  ],
  exports: [APP_CONFIG, DATABASE, EventStore, SqliteCatalogReader, CATALOG_READER, EventBus, CommandRunner, ProjectPaths, ListResponseCache, StorageHealth, WriteGate],
})
export class PlatformModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: { dataSource: DataSource; db: Sqlite; checkpointer?: WalCheckpointer },
    private readonly bus: EventBus,
    private readonly store: EventStore,
    private readonly group: GroupCommit,
  ) {}

  /** Ends every open stream (SSE and gRPC), so closing the servers never waits for a client. */
  beforeApplicationShutdown() {
    this.bus.close();
  }

  async onApplicationShutdown() {
    if (this.database.db.open) this.store.commitPending(); // closing would roll the open commit group back
    await this.group.close();
    await this.database.checkpointer?.stop(); // first: the server's connection, closing last, checkpoints what is left
    if (this.database.dataSource.isInitialized) await this.database.dataSource.destroy();
  }
}
