import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { ALL_TABLES, DomainError, type Decision, type EventMetadata, type NewEvent, type RecordedEvent } from '@fts/domain';
import { openDatabase, type Sqlite } from '../database/open-database.js';
import { EventBus } from '../event-bus.js';
import { CommandRunner, MAX_ATTEMPTS } from '../command-runner.js';
import { replay, verify } from '../replay/replay.js';
import { ConcurrencyError, EventStore } from './event-store.js';
import { errorOf } from '../../../test/support/errors.js';

const meta: EventMetadata = { correlation_id: 'c', actor: 'test', transport: 'system' };

const promptAdded = (id: string, name = `name-${id}`): NewEvent => ({
  type: 'PromptAdded',
  streamId: `prompt-${id}`,
  streamType: 'prompt',
  data: { row: { id, name, type: 'in_place', dataset_id: 'd1' } },
  expectedVersion: 0,
});

describe('EventStore on SQLite', () => {
  let dir: string;
  let ds: DataSource;
  let db: Sqlite;
  let store: EventStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-store-'));
    ({ dataSource: ds, db } = await openDatabase(path.join(dir, 'state.db')));
    store = new EventStore(db);
  });
  afterEach(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs migrations with WAL and assigns global positions and per-stream versions', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const [a] = store.append([promptAdded('a')], meta);
    const [b, b2] = store.append(
      [promptAdded('b'), { type: 'PromptRemoved', streamId: 'prompt-b', streamType: 'prompt', data: { id: 'b' } }],
      meta,
    );
    expect([a.position, b.position, b2.position]).toEqual([1, 2, 3]);
    expect([a.streamVersion, b.streamVersion, b2.streamVersion]).toEqual([1, 1, 2]);
    expect(store.reader.get('prompts', 'a')).toMatchObject({ id: 'a', name: 'name-a' });
    expect(store.reader.get('prompts', 'b')).toBeUndefined();
    expect(store.read({ streamId: 'prompt-b' }).map((e) => e.type)).toEqual(['PromptAdded', 'PromptRemoved']);
  });

  it('migrates every projection table to exactly the columns the domain declares', () => {
    for (const t of ALL_TABLES) {
      const cols = (db.prepare(`PRAGMA table_info(${t.name})`).all() as { name: string }[]).map((c) => c.name);
      expect({ table: t.name, cols }).toEqual({ table: t.name, cols: t.columns.map((c) => c.name) });
    }
  });

  it('refuses an append at the wrong stream version and writes nothing', () => {
    store.append([promptAdded('a')], meta);
    expect(() => store.append([promptAdded('z'), promptAdded('a', 'again')], meta)).toThrow(ConcurrencyError);
    expect(store.lastPosition()).toBe(1);
    expect(store.reader.get('prompts', 'z')).toBeUndefined();
  });

  it('writes nothing when the decider throws, and publishes only after commit', () => {
    const bus = new EventBus();
    const seen: RecordedEvent[] = [];
    bus.events$.subscribe((e) => seen.push(e));
    const runner = new CommandRunner(store, bus);
    expect(() =>
      runner.run(
        'Fail',
        () => {
          throw new DomainError('invalid_argument', 'X', 'no');
        },
        { transport: 'system' },
      ),
    ).toThrow('no');
    expect(seen).toHaveLength(0);
    runner.run('Add', () => ({ events: [promptAdded('a')], result: 1 }), { transport: 'grpc', actor: 'ann' });
    expect(seen.map((e) => e.type)).toEqual(['PromptAdded']);
    expect(seen[0].metadata).toMatchObject({ actor: 'ann', transport: 'grpc' });
    expect(seen[0].metadata.correlation_id).toBeTruthy();
  });

  it('retries a version conflict a bounded number of times, then reports ABORTED', () => {
    store.append([promptAdded('a')], meta);
    const runner = new CommandRunner(store, new EventBus());
    let attempts = 0;
    const stale = (): Decision<void> => {
      attempts++;
      return { events: [{ ...promptAdded('a'), expectedVersion: 0 }], result: undefined };
    };
    const error = errorOf(() => runner.run('Stale', stale, { transport: 'system' }));
    expect(attempts).toBe(MAX_ATTEMPTS);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.kind).toBe('aborted');
    // A decider that reads fresh state succeeds on the retry.
    let n = 0;
    const runnerResult = runner.run(
      'Fresh',
      (ctx) => {
        n++;
        const v = n === 1 ? 0 : ctx.read.streamVersion('prompt-a');
        return { events: [{ type: 'PromptRemoved', streamId: 'prompt-a', streamType: 'prompt', data: { id: 'a' }, expectedVersion: v }], result: 'ok' };
      },
      { transport: 'system' },
    );
    expect(runnerResult).toBe('ok');
    expect(n).toBe(2);
  });

  it('returns the first result for a repeated idempotency key and appends nothing', () => {
    const runner = new CommandRunner(store, new EventBus());
    const call = { transport: 'grpc' as const, idempotencyKey: 'k1' };
    const r1 = runner.run('AddPrompt', () => ({ events: [promptAdded('a')], result: { id: 'a' } }), call);
    const r2 = runner.run('AddPrompt', () => ({ events: [promptAdded('b')], result: { id: 'b' } }), call);
    expect(r2).toEqual(r1);
    expect(store.lastPosition()).toBe(1);
    expect(store.read()[0].metadata.idempotency_key).toBe('k1');
  });

  it('upcasts old event shapes on read without rewriting them', () => {
    const up = new EventStore(db, undefined, undefined, {
      PromptAdded: (data, v) => (v === 1 ? { data: { ...(data as object), upcast: true }, schemaVersion: 2 } : { data, schemaVersion: v }),
    });
    up.append([promptAdded('a')], meta);
    const [e] = up.read();
    expect(e.schemaVersion).toBe(2);
    expect(e.data).toMatchObject({ upcast: true });
    expect((db.prepare('SELECT data FROM events').get() as { data: string }).data).not.toContain('upcast');
  });

  it('replay rebuilds identical projections; verify finds tampering and replay repairs it', () => {
    for (let i = 0; i < 50; i++) store.append([promptAdded(`p${i}`)], meta);
    for (let i = 0; i < 50; i += 3) {
      store.append([{ type: 'PromptRemoved', streamId: `prompt-p${i}`, streamType: 'prompt', data: { id: `p${i}` } }], meta);
    }
    expect(verify(db, store).differences).toEqual([]);
    db.prepare("UPDATE prompts SET name = 'tampered' WHERE id = 'p1'").run();
    const diff = verify(db, store).differences;
    expect(diff).toEqual([expect.objectContaining({ table: 'prompts', rows: ['p1'] })]);
    const before = db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').all('index');
    expect(replay(db, store).events).toBe(67);
    expect(verify(db, store).differences).toEqual([]);
    expect(db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').all('index')).toEqual(before);
  });
});
