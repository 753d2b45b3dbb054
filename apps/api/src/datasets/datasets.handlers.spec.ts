import fs from 'node:fs';
import path from 'node:path';
import { addPrompt, type DomainError } from '@fts/domain';
import type { EventStore } from '../platform/event-store/event-store.js';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { startFakeHub, type FakeHub } from '../../test/support/fake-hub.js';
import { HfHubClient } from './infra/hf-hub.client.js';
import { DatasetsHandlers } from './datasets.handlers.js';
import { rejectionOf } from '../../test/support/errors.js';
import { openTestStore, type TestStore } from '../../test/support/test-store.js';

const call: CallContext = { transport: 'system' };

describe('DatasetsHandlers on SQLite', () => {
  let root: string;
  let t: TestStore;
  let store: EventStore;
  let runner: CommandRunner;
  let hub: FakeHub;
  let datasets: DatasetsHandlers;

  beforeEach(async () => {
    t = await openTestStore('fts-datasets-');
    root = t.root;
    fs.mkdirSync(path.join(root, 'data'));
    fs.writeFileSync(path.join(root, 'data', 'tickets.csv'), '\uFEFFinstruction,intent\r\nhi,greet\r\n');
    store = t.store;
    runner = t.commands;
    hub = await startFakeHub();
    datasets = new DatasetsHandlers(runner, store.reader, t.paths, new HfHubClient({ endpoint: hub.url, timeoutMs: 2000 }));
  });
  afterEach(async () => {
    await hub.close();
    await t.close();
  });

  it('adds a project CSV by absolute or relative path, storing the relative path and its header', async () => {
    const row = await datasets.add({ type: 'project_csv', huggingface_name: '', location: path.join(root, 'data/tickets.csv'), name: 'Tickets' }, call);
    expect(row).toMatchObject({ type: 'project_csv', name: 'Tickets', location: 'data/tickets.csv', features: '["instruction", "intent"]' });
    expect(datasets.get(String(row.id))).toEqual(row);
    expect(store.read({ types: ['DatasetAdded'] })).toHaveLength(1);
  });

  it('refuses a file outside the project, a missing file and a directory', async () => {
    const outside = await rejectionOf(datasets.add({ type: 'project_csv', huggingface_name: '', location: '../../etc/x.csv', name: 'X' }, call));
    expect(outside.kind).toBe('invalid_argument');
    expect((await rejectionOf(datasets.add({ type: 'project_csv', huggingface_name: '', location: 'data/nope.csv', name: 'X' }, call))).kind).toBe('not_found');
    fs.mkdirSync(path.join(root, 'dir.csv'));
    expect((await rejectionOf(datasets.add({ type: 'project_csv', huggingface_name: '', location: 'dir.csv', name: 'X' }, call))).kind).toBe('invalid_argument');
    expect(store.lastPosition()).toBe(0);
  });

  it('adds a Hugging Face dataset from the Hub metadata', async () => {
    const row = await datasets.add({ type: 'huggingface', huggingface_name: ' test-org/tiny-instructions ', location: '', name: '' }, call);
    expect(row).toMatchObject({
      type: 'huggingface',
      name: 'test-org/tiny-instructions',
      huggingface_name: 'test-org/tiny-instructions',
      features: '["instruction", "response"]',
      description: 'A tiny dataset for tests.',
    });
    const missing = await rejectionOf(datasets.add({ type: 'huggingface', huggingface_name: 'test-org/nope', location: '', name: '' }, call));
    expect(missing.kind).toBe('not_found');
    expect(missing.message).toBe("Failed to add dataset. Dataset 'test-org/nope' was not found on the Hugging Face Hub.");
  });

  it('runs the cheap checks before calling the Hub', async () => {
    await datasets.add({ type: 'huggingface', huggingface_name: 'test-org/tiny-instructions', location: '', name: '' }, call);
    const before = hub.requests.length;
    const dup = await rejectionOf(datasets.add({ type: 'huggingface', huggingface_name: 'test-org/tiny-instructions', location: '', name: '' }, call));
    expect(dup.kind).toBe('already_exists');
    expect(hub.requests.length).toBe(before);
  });

  it('gives ALREADY_EXISTS to the loser of two concurrent adds of one name', async () => {
    const add = () => datasets.add({ type: 'huggingface', huggingface_name: 'test-org/tiny-instructions', location: '', name: '' }, call);
    const results = await Promise.allSettled([add(), add()]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as DomainError).code).toBe('DATASET.NAME_TAKEN');
    expect(datasets.list({}).rows).toHaveLength(1);
  });

  it('says UNAVAILABLE when the Hub cannot be reached', async () => {
    await hub.close();
    const e = await rejectionOf(datasets.add({ type: 'huggingface', huggingface_name: 'test-org/tiny-instructions', location: '', name: '' }, call));
    expect(e.kind).toBe('unavailable');
    expect(e.message).toContain('Check HF_ENDPOINT');
    hub = await startFakeHub();
  });

  it('lists in creation order with optional paging, and removes with the prompts when asked', async () => {
    const ids: string[] = [];
    for (const name of ['A', 'B', 'C']) {
      ids.push(String((await datasets.add({ type: 'project_csv', huggingface_name: '', location: 'data/tickets.csv', name }, call)).id));
    }
    expect(datasets.list({}).rows.map((r) => r.name)).toEqual(['A', 'B', 'C']);
    const first = datasets.list({ page_size: 2 });
    expect(first.rows.map((r) => r.name)).toEqual(['A', 'B']);
    expect(datasets.list({ page_size: 2, page_token: first.next_page_token }).rows.map((r) => r.name)).toEqual(['C']);

    const prompt = { type: 'in_place', dataset_id: ids[0], prompt_template: '{instruction}{intent}', input_template: '{instruction}', completion_template: '{intent}' };
    runner.run('AddPrompt', (ctx) => addPrompt({ ...prompt, id: 'p1', name: 'P1' }, ctx), call);
    runner.run('AddPrompt', (ctx) => addPrompt({ ...prompt, id: 'p2', name: 'P2', dataset_id: ids[1] }, ctx), call);
    datasets.remove({ id: ids[0], remove_prompts: true }, call);
    expect(store.reader.find('prompts').map((p) => p.id)).toEqual(['p2']);
    datasets.remove({ id: ids[1] }, call);
    expect(store.reader.find('prompts').map((p) => p.id)).toEqual(['p2']);
    expect((await rejectionOf(() => datasets.remove({ id: ids[1] }, call))).kind).toBe('not_found');
    expect((await rejectionOf(() => datasets.get(ids[1]))).message).toBe(`Dataset with ID '${ids[1]}' does not exist.`);
  });

  it('gives NOT_FOUND for the split of a missing adapter', async () => {
    expect((await rejectionOf(() => datasets.splitByAdapter('nope'))).kind).toBe('not_found');
  });
});
