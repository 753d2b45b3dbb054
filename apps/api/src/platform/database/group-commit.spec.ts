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
import { fsyncInline, GroupCommit, INLINE_FSYNC_LIMIT_MS, synchronousFor, type CommitSource } from './group-commit.js';
import { StorageHealth } from './storage-health.js';
import { durabilityOf } from '../config/app-config.js';

/** A store whose every write is committed at once (no commit group open). */
const committedAtOnce = (count: () => number): CommitSource => ({
  get writes() {
    return count();
  },
  get committedWrites() {
    return count();
  },
  committed: () => Promise.resolve(),
});

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
    const group = new GroupCommit(dbPath, 'group', committedAtOnce(() => commits));

    await group.durable(0);
    expect(group.flushes).toBe(0); // nothing committed: nothing to wait for

    for (let i = 0; i < 16; i++) write();
    group.answeredWithoutWrite(); // a read was answered: the fdatasync runs in the thread pool, and commits can come in meanwhile
    const waits = Array.from({ length: 16 }, () => group.durable(0));
    await null; // the first fdatasync has started
    expect(group.flushes).toBe(1);
    write(); // while the first fdatasync runs
    const late = group.durable(0);
    await Promise.all([...waits, late]);
    expect(group.flushes).toBe(2);

    await group.durable(0);
    expect(group.flushes).toBe(2);
    await group.close();
  });

  it('fsyncs on the event loop only while every request in flight waits for it, and the disk answers quickly', async () => {
    expect(fsyncInline({ othersServed: false, lastFsyncMs: 0.3 })).toBe(true);
    expect(fsyncInline({ othersServed: true, lastFsyncMs: 0.3 })).toBe(false); // reads are being answered: keep the loop free
    expect(fsyncInline({ othersServed: false, lastFsyncMs: INLINE_FSYNC_LIMIT_MS })).toBe(false); // a slow disk would stall every reader

    ({ dataSource: ds, db } = await openDatabase(dbPath, 'NORMAL'));
    db.exec('CREATE TABLE t (x)');
    let commits = 0;
    const write = () => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      commits++;
    };
    const group = new GroupCommit(dbPath, 'group', committedAtOnce(() => commits));
    write();
    await group.durable(0);
    expect([group.flushes, group.inlineFlushes]).toEqual([1, 1]); // writes alone: on the loop

    write();
    group.answeredWithoutWrite();
    await group.durable(1);
    expect([group.flushes, group.inlineFlushes]).toEqual([2, 1]); // a read was answered meanwhile: in the pool

    // Each fdatasync starts a new window: only writes again, so on the loop, unless the disk was slow just now (a loaded machine).
    const quick = group.lastFsyncMs < INLINE_FSYNC_LIMIT_MS;
    write();
    await group.durable(2);
    expect([group.flushes, group.inlineFlushes]).toEqual([3, quick ? 2 : 1]);
    await group.close();
  });

  it('full and normal modes never wait', async () => {
    let commits = 5;
    for (const mode of ['full', 'normal'] as const) {
      const group = new GroupCommit(dbPath, mode, committedAtOnce(() => commits++));
      await group.durable(0);
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
      const store = { writes: 0 } as EventStore;
      let release!: () => void;
      const durable = jest.fn(() => new Promise<void>((r) => (release = r)));
      const interceptor = new DurableAckInterceptor(store, { durable, answeredWithoutWrite: () => undefined } as unknown as GroupCommit);

      expect(await lastValueFrom(interceptor.intercept(http, handler('read', () => undefined)))).toBe('read');
      expect(durable).not.toHaveBeenCalled();

      let answered = false;
      const write = lastValueFrom(interceptor.intercept(http, handler('written', () => store.writes++))).then((v) => ((answered = true), v));
      await new Promise((r) => setImmediate(r));
      expect(durable).toHaveBeenCalledTimes(1);
      expect(answered).toBe(false);
      release();
      expect(await write).toBe('written');
    });

    it('holds a unary gRPC answer too (grpc-js hands unary handlers a writable stream), and never a server stream', async () => {
      const rpc = (method: string) =>
        ({ getType: () => 'rpc', getArgByIndex: (i: number) => (i === 2 ? { write: () => true, getPath: () => `/fine_tuning_studio.FineTuningStudio/${method}` } : undefined) }) as unknown as ExecutionContext;
      const store = { writes: 0 } as EventStore;
      let release!: () => void;
      const durable = jest.fn(() => new Promise<void>((r) => (release = r)));
      const interceptor = new DurableAckInterceptor(store, { durable, answeredWithoutWrite: () => undefined } as unknown as GroupCommit);

      let answered = false;
      const write = lastValueFrom(interceptor.intercept(rpc('AddPrompt'), handler('added', () => store.writes++))).then((v) => ((answered = true), v));
      await new Promise((r) => setImmediate(r));
      expect(durable).toHaveBeenCalledWith(0);
      expect(answered).toBe(false);
      release();
      expect(await write).toBe('added');

      const streamed = interceptor.intercept(rpc('WatchEvents'), handler('event', () => store.writes++));
      expect(await lastValueFrom(streamed)).toBe('event');
      expect(durable).toHaveBeenCalledTimes(1);
    });

    it('answers a write whose shared COMMIT failed for want of space with RESOURCE_EXHAUSTED, as any write refused for a full disk', async () => {
      const store = { writes: 0 } as EventStore;
      const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      const group = { durable: () => Promise.reject(full), answeredWithoutWrite: () => undefined } as unknown as GroupCommit;
      const interceptor = new DurableAckInterceptor(store, group, undefined, new StorageHealth(dbPath));
      const error = await lastValueFrom(interceptor.intercept(http, handler('written', () => store.writes++))).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'resource_exhausted', code: 'STORE.DISK_FULL' });
    });
  });
});
