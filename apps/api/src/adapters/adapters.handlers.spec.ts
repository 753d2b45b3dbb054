import fs from 'node:fs';
import path from 'node:path';
import type { AddAdapter, EventMetadata } from '@fts/domain';
import type { EventStore } from '../platform/event-store/event-store.js';
import type { CallContext } from '../platform/command-runner.js';
import { AdaptersHandlers } from './adapters.handlers.js';
import { errorOf } from '../../test/support/errors.js';
import { openTestStore, type TestStore } from '../../test/support/test-store.js';

const call: CallContext = { transport: 'system' };
const meta: EventMetadata = { correlation_id: 'c', actor: 'test', transport: 'system' };

describe('AdaptersHandlers on SQLite', () => {
  let root: string;
  let outside: string;
  let t: TestStore;
  let store: EventStore;
  let adapters: AdaptersHandlers;
  const cmd = (over: Partial<AddAdapter> = {}): AddAdapter => ({ type: '', name: 'a1', model_id: 'm1', location: 'data/adapters/a1', ...over });

  beforeEach(async () => {
    t = await openTestStore('fts-adapters-');
    root = t.root;
    outside = t.outsideDir();
    fs.mkdirSync(path.join(root, 'data', 'adapters', 'a1'), { recursive: true });
    fs.writeFileSync(path.join(root, 'data', 'adapters', 'file'), 'x');
    fs.symlinkSync(outside, path.join(root, 'data', 'adapters', 'out'));
    store = t.store;
    store.append([{ type: 'ModelAdded', streamId: 'model-m1', streamType: 'model', data: { row: { id: 'm1', name: 'org/m' } } }], meta);
    adapters = new AdaptersHandlers(t.commands, store.reader, t.paths);
  });
  afterEach(async () => {
    await t.close();
  });

  it('adds an adapter whose folder is in the project, storing the relative path', () => {
    const row = adapters.add(cmd({ location: path.join(root, 'data/adapters/a1') }), call);
    expect(row).toMatchObject({ type: 'project', name: 'a1', model_id: 'm1', location: 'data/adapters/a1' });
    expect(adapters.get(String(row.id))).toEqual(row);
    expect(adapters.list({}).rows).toHaveLength(1);
    const dup = errorOf(() => adapters.add(cmd(), call));
    expect(dup.kind).toBe('already_exists');
    expect(dup.message).toBe("An adapter with the name 'a1' already exists.");
  });

  it('checks the location (3) before the model (4)', () => {
    const e = errorOf(() => adapters.add(cmd({ location: 'data/adapters/nope', model_id: 'missing' }), call));
    expect(e.kind).toBe('invalid_argument');
    expect(e.message).toBe("Location 'data/adapters/nope' must be a valid directory.");
    expect(errorOf(() => adapters.add(cmd({ location: 'data/adapters/file' }), call)).kind).toBe('invalid_argument');
    expect(errorOf(() => adapters.add(cmd({ model_id: 'missing' }), call)).message).toBe("Model with ID 'missing' does not exist.");
  });

  it('refuses a folder outside the project, by ../ or by symlink', () => {
    expect(errorOf(() => adapters.add(cmd({ location: '../' }), call)).code).toBe('PATH.OUTSIDE_PROJECT');
    expect(errorOf(() => adapters.add(cmd({ location: 'data/adapters/out' }), call)).code).toBe('PATH.OUTSIDE_PROJECT');
    expect(errorOf(() => adapters.add(cmd({ location: outside }), call)).kind).toBe('invalid_argument');
    expect(store.lastPosition()).toBe(1);
  });

  it('removes, then NOT_FOUND', () => {
    const row = adapters.add(cmd(), call);
    adapters.remove(String(row.id), call);
    expect(errorOf(() => adapters.get(String(row.id))).kind).toBe('not_found');
    expect(errorOf(() => adapters.remove(String(row.id), call)).kind).toBe('not_found');
  });
});
