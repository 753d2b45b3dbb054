import fs from 'node:fs';
import { jest } from '@jest/globals';
import os from 'node:os';
import path from 'node:path';
import { lastValueFrom, of } from 'rxjs';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DurableAckInterceptor } from '../transport/durable-ack.interceptor.js';
import type { EventStore } from '../event-store/event-store.js';
import { openDatabase, type Sqlite } from './open-database.js';
import { GroupCommit, synchronousFor } from './group-commit.js';
import { durabilityOf } from '../config/app-config.js';

describe('durability', () => {
  let dir: string;
  let ds: DataSource;
  let db: Sqlite;
  let dbPath: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-durable-'));
    dbPath = path.join(dir, 'state.db');
  });
  afterEach(async () => {
    if (ds?.isInitialized) await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write by default: the server groups fsyncs, anything else opens with synchronous=FULL', async () => {
    expect(durabilityOf({})).toBe('group');
    expect(durabilityOf({ FTS_DURABILITY: 'full' })).toBe('full');
    expect(durabilityOf({ FTS_DURABILITY: 'normal' })).toBe('normal');
    expect(synchronousFor('full')).toBe('FULL');
    ({ dataSource: ds, db } = await openDatabase(dbPath));
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
  });

  it('group commit: one fdatasync covers every commit made before it, commits during it wait for the next', async () => {
    ({ dataSource: ds, db } = await openDatabase(dbPath, 'NORMAL'));
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL: the WAL is synced by GroupCommit
    db.exec('CREATE TABLE t (x)');
    let commits = 0;
    const write = () => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      commits++;
    };
    const group = new GroupCommit(dbPath, 'group', () => commits);

    await group.durable();
    expect(group.flushes).toBe(0); // nothing committed: nothing to wait for

    for (let i = 0; i < 16; i++) write();
    const waits = Array.from({ length: 16 }, () => group.durable());
    write(); // while the first fdatasync runs
    const late = group.durable();
    await Promise.all([...waits, late]);
    expect(group.flushes).toBe(2);

    await group.durable();
    expect(group.flushes).toBe(2);
  });

  it('full and normal modes never wait', async () => {
    let commits = 5;
    for (const mode of ['full', 'normal'] as const) {
      const group = new GroupCommit(dbPath, mode, () => commits++);
      await group.durable();
      expect(group.flushes).toBe(0);
    }
  });

  describe('DurableAckInterceptor', () => {
    const http = { getType: () => 'http', getArgByIndex: () => undefined } as unknown as ExecutionContext;
    const handler = (value: unknown, commit: () => void): CallHandler => ({
      handle: () => {
        commit();
        return of(value);
      },
    });

    it('holds the answer of a request that committed until its commit is durable; reads are not held', async () => {
      const store = { commits: 0 } as EventStore;
      let release!: () => void;
      const durable = jest.fn(() => new Promise<void>((r) => (release = r)));
      const interceptor = new DurableAckInterceptor(store, { durable } as unknown as GroupCommit);

      expect(await lastValueFrom(interceptor.intercept(http, handler('read', () => undefined)))).toBe('read');
      expect(durable).not.toHaveBeenCalled();

      let answered = false;
      const write = lastValueFrom(interceptor.intercept(http, handler('written', () => store.commits++))).then((v) => ((answered = true), v));
      await new Promise((r) => setImmediate(r));
      expect(durable).toHaveBeenCalledTimes(1);
      expect(answered).toBe(false);
      release();
      expect(await write).toBe('written');
    });
  });
});
