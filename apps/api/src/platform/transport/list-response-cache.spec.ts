import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { EventMetadata, NewEvent, TableName } from '@fts/domain';
import { openDatabase, type Sqlite } from '../database/open-database.js';
import { EventStore } from '../event-store/event-store.js';
import { ListResponseCache } from './list-response-cache.js';

const meta: EventMetadata = { correlation_id: 'c', actor: 'test', transport: 'system' };
const promptAdded = (id: string): NewEvent => ({
  type: 'PromptAdded',
  streamId: `prompt-${id}`,
  streamType: 'prompt',
  data: { row: { id, name: id, type: 'in_place', dataset_id: 'd1' } },
  expectedVersion: 0,
});

describe('ListResponseCache', () => {
  let dir: string;
  let ds: DataSource;
  let db: Sqlite;
  let store: EventStore;
  let cache: ListResponseCache;
  let builds: Record<string, number>;
  const list = (method: string, table: TableName, key: string) => () => {
    builds[method] = (builds[method] ?? 0) + 1;
    return { [key]: store.reader.find(table), next_page_token: '' };
  };
  const prompts = () => cache.get('ListPrompts', {}, list('ListPrompts', 'prompts', 'prompts'));
  const datasets = () => cache.get('ListDatasets', {}, list('ListDatasets', 'datasets', 'datasets'));
  const models = () => cache.get('ListModels', {}, list('ListModels', 'models', 'models'));

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-list-cache-'));
    ({ dataSource: ds, db } = await openDatabase(path.join(dir, 'state.db')));
    store = new EventStore(db);
    cache = new ListResponseCache(db, store);
    builds = {};
  });
  afterEach(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers from the cache until a table the list reads is written; writes to other tables keep it', () => {
    const first = prompts();
    datasets();
    expect(prompts()).toBe(first);
    store.append([promptAdded('a')], meta);
    const second = prompts();
    expect(second).not.toBe(first);
    expect(second.bytes.length).toBeGreaterThan(first.bytes.length);
    datasets();
    expect(builds).toEqual({ ListPrompts: 2, ListDatasets: 1 });
  });

  it('rebuilds a list whose tables it does not know after any write of this process', () => {
    models();
    models();
    store.append([promptAdded('a')], meta);
    models();
    expect(builds.ListModels).toBe(2);
  });

  it('rebuilds after another connection (another process) commits', async () => {
    prompts();
    const other = await openDatabase(path.join(dir, 'state.db'));
    try {
      new EventStore(other.db).append([promptAdded('b')], meta);
    } finally {
      await other.dataSource.destroy();
    }
    const after = prompts();
    expect(builds.ListPrompts).toBe(2);
    expect(after.bytes.includes(Buffer.from('b'))).toBe(true);
  });

  it('keeps per-request answers apart', () => {
    store.append([promptAdded('a'), promptAdded('b')], meta);
    const all = cache.get('ListPrompts', {}, list('ListPrompts', 'prompts', 'prompts'));
    const page = cache.get('ListPrompts', { page_size: 1 }, () => ({ prompts: store.reader.find('prompts').slice(0, 1), next_page_token: 'x' }));
    expect(page).not.toBe(all);
    expect(cache.get('ListPrompts', { page_size: 1 }, () => ({}))).toBe(page);
  });
});
