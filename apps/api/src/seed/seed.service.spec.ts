import fs from 'node:fs';
import path from 'node:path';
import { SAMPLE_DATASET_LOCATION } from '@fts/domain';
import type { EventStore } from '../platform/event-store/event-store.js';
import { CommandRunner } from '../platform/command-runner.js';
import { loadConfig } from '../platform/config/app-config.js';
import { verify } from '../platform/replay/replay.js';
import { SeedService } from './seed.service.js';
import { openTestStore, type TestStore } from '../../test/support/test-store.js';

describe('SeedService', () => {
  let root: string;
  let t: TestStore;
  let store: EventStore;
  const service = (env: Record<string, string> = {}, bundled?: string) =>
    new SeedService(
      loadConfig({ FTS_PROJECT_ROOT: root, ...env }, root),
      store,
      t.commands,
      t.paths,
      bundled,
    );

  beforeEach(async () => {
    t = await openTestStore('fts-seed-');
    root = t.root;
    store = t.store;
  });
  afterEach(async () => {
    await t.close();
  });

  it('seeds an empty log once, with the sample dataset when its file is in the project', () => {
    fs.mkdirSync(path.join(root, path.dirname(SAMPLE_DATASET_LOCATION)), { recursive: true });
    fs.copyFileSync(path.resolve('data/samples/support-tickets.csv'), path.join(root, SAMPLE_DATASET_LOCATION));
    const report = service().seedIfEmpty();
    expect(report?.added.datasets).toHaveLength(2);
    expect(store.reader.find('configs').map((c) => c.is_default)).toEqual([1, 1, 1, 1]);
    expect(store.reader.find('models')).toHaveLength(3);
    expect(store.reader.find('prompts').map((p) => p.name)).toEqual(['SQL Creation', 'Support ticket intent']);
    expect(store.read({}).every((e) => e.metadata.actor === 'seed')).toBe(true);
    const events = store.lastPosition();
    expect(service().seedIfEmpty()).toBeUndefined();
    expect(store.lastPosition()).toBe(events);
    expect(verify(store.db, store).differences).toEqual([]);
  });

  it('copies the shipped sample into a project that lacks it', () => {
    const report = service().seedIfEmpty();
    expect(report?.added.datasets).toHaveLength(2);
    expect(fs.readFileSync(path.join(root, SAMPLE_DATASET_LOCATION), 'utf8')).toBe(
      fs.readFileSync(path.resolve('data/samples/support-tickets.csv'), 'utf8'),
    );
  });

  it('seeds nothing when FTS_SEED=0, and leaves out the sample when there is none to copy', () => {
    expect(service({ FTS_SEED: '0' }).seedIfEmpty()).toBeUndefined();
    expect(store.lastPosition()).toBe(0);
    const report = service({}, path.join(root, 'no-such-file.csv')).seedIfEmpty();
    expect(report?.added.datasets).toEqual(['8ba6f0d8-22a8-4a1a-a823-1dba88f2c377']);
    expect(fs.existsSync(path.join(root, SAMPLE_DATASET_LOCATION))).toBe(false);
  });
});

describe('the sample dataset file', () => {
  it('is a CSV with the instruction,intent header and about 40 rows', () => {
    const lines = fs.readFileSync(path.resolve('data/samples/support-tickets.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('instruction,intent');
    expect(lines.length - 1).toBeGreaterThanOrEqual(35);
  });
});
