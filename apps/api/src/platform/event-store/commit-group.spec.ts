import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { addPrompt, removePrompt, type AddPrompt, type DecideContext, type RecordedEvent } from '@fts/domain';
import { openDatabase, type Sqlite } from '../database/open-database.js';
import { EventBus } from '../event-bus.js';
import { CommandRunner, type CallContext } from '../command-runner.js';
import { EventStore } from './event-store.js';
import { errorOf } from '../../../test/support/errors.js';

const request: CallContext = { transport: 'grpc' };
const supervisor: CallContext = { transport: 'system', actor: 'supervisor' };
const turn = () => new Promise<void>((r) => setImmediate(r));

describe('commit group: the writes of one turn share a transaction', () => {
  let dir: string;
  let dbPath: string;
  let ds: DataSource;
  let db: Sqlite;
  let store: EventStore;
  let bus: EventBus;
  let runner: CommandRunner;
  /** Another connection: it sees only what is committed. */
  let other: Sqlite;
  let published: RecordedEvent[];

  const prompt = (id: string, name = `p-${id}`): AddPrompt =>
    ({ id, name, type: 'in_place', dataset_id: 'd1', prompt_template: 'Q: {instruction}\nA: {intent}', input_template: 'Q: {instruction}\nA: ', completion_template: '{intent}' }) as AddPrompt;
  const add = (id: string, call = request, name?: string) => runner.run('AddPrompt', (ctx: DecideContext) => addPrompt(prompt(id, name), ctx), call);
  const committedPrompts = () => (other.prepare('SELECT id FROM prompts ORDER BY rowid').all() as { id: string }[]).map((r) => r.id);

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-group-'));
    dbPath = path.join(dir, 'state.db');
    ({ dataSource: ds, db } = await openDatabase(dbPath, 'NORMAL'));
    db.prepare(`INSERT INTO datasets (id, name) VALUES ('d1', 'tickets')`).run();
    store = new EventStore(db);
    bus = new EventBus();
    published = [];
    bus.events$.subscribe((e) => published.push(e));
    runner = new CommandRunner(store, bus, undefined, undefined, undefined, { groupRequests: true });
    other = new Database(dbPath, { readonly: true });
  });
  afterEach(async () => {
    other.close();
    if (ds.isInitialized) await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits the requests of one turn together, once the turn is over; until then nobody else sees them and nothing is published', async () => {
    add('a');
    add('b');
    add('c');
    expect(store.pending).toBe(true);
    expect(db.inTransaction).toBe(true);
    expect(store.reader.get('prompts', 'c')).toMatchObject({ id: 'c' }); // this connection's next decision sees them
    expect(committedPrompts()).toEqual([]);
    expect(published).toEqual([]);
    expect(store.writes).toBe(3);
    expect(store.committedWrites).toBe(0);

    await store.settled();
    expect(store.pending).toBe(false);
    expect(committedPrompts()).toEqual(['a', 'b', 'c']);
    expect(published.map((e) => e.streamId)).toEqual(['prompt-a', 'prompt-b', 'prompt-c']);
    expect(store.committedWrites).toBe(3);
  });

  it('rolls back a refused command alone; the others of its group commit', async () => {
    add('a');
    expect(errorOf(() => add('b', request, 'p-a')).code).toBe('PROMPT.NAME_TAKEN'); // the group's first write is seen by the second's check
    add('c');
    await store.settled();
    expect(committedPrompts()).toEqual(['a', 'c']);
    expect(store.read().map((e) => [e.position, e.streamId])).toEqual([
      [1, 'prompt-a'],
      [2, 'prompt-c'],
    ]);
  });

  it('keeps per-stream versions and idempotency within a group', async () => {
    const call = { ...request, idempotencyKey: 'k1', requestHash: 'h1' };
    const first = add('a', call);
    const again = add('a', call); // the same request again, in the same turn: the first answer, nothing appended
    expect(again).toEqual(first);
    runner.run('RemovePrompt', (ctx) => removePrompt({ id: 'a' }, ctx), request);
    expect(errorOf(() => runner.run('RemovePrompt', (ctx) => removePrompt({ id: 'a' }, ctx), request)).code).toBe('PROMPT.NOT_FOUND');
    await store.settled();
    expect(store.read().map((e) => [e.type, e.streamVersion])).toEqual([
      ['PromptAdded', 1],
      ['PromptRemoved', 2],
    ]);
  });

  it('shows readers of the log only committed events, so a follower never gets one a failed commit takes back', async () => {
    add('a');
    await store.settled();
    add('b');
    expect(store.lastPosition()).toBe(1);
    expect(store.read().map((e) => e.position)).toEqual([1]);
    expect(store.read({ toPosition: 5 }).map((e) => e.position)).toEqual([1]);
    await store.settled();
    expect(store.lastPosition()).toBe(2);
    expect(store.read().map((e) => e.position)).toEqual([1, 2]);
  });

  it('commits the open group at once when a write that acts on its result at once (the supervisor, the CLI) comes', async () => {
    add('a');
    add('b', supervisor);
    expect(store.pending).toBe(false);
    expect(committedPrompts()).toEqual(['a', 'b']);
    expect(published.map((e) => e.streamId)).toEqual(['prompt-a', 'prompt-b']);
    await store.settled();
  });

  it('fails every write of a group whose COMMIT fails, publishes none of them, and drops what caches read of them', async () => {
    // A deferred foreign key is checked at COMMIT: the one way to make a real COMMIT fail on demand.
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE parent (id TEXT PRIMARY KEY); CREATE TABLE child (pid TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)');
    add('a');
    db.prepare(`INSERT INTO child VALUES ('none')`).run();
    const version = store.tableVersion('prompts');
    const settled = store.settled();
    await expect(settled).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    // A request that asks only after the group ended still learns its write was lost.
    await expect(store.committed(0, 1)).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(db.inTransaction).toBe(false);
    expect(committedPrompts()).toEqual([]);
    expect(store.reader.get('prompts', 'a')).toBeUndefined();
    expect(published).toEqual([]);
    expect(store.tableVersion('prompts')).toBeGreaterThan(version);
    db.pragma('foreign_keys = OFF');

    const before = store.writes;
    add('a'); // the id is free again: nothing of the failed group is left
    await store.committed(before, store.writes);
    expect(committedPrompts()).toEqual(['a']);
  });

  it('groups nothing without groupRequests (the CLI, the import worker, specs): each write is committed on return', async () => {
    runner = new CommandRunner(store, bus);
    add('a');
    expect(store.pending).toBe(false);
    expect(committedPrompts()).toEqual(['a']);
    expect(published).toHaveLength(1);
    await turn();
  });
});
