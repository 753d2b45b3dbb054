import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMPORTED_JOB_STATUS, type Row } from '@fts/domain';
import type { Sqlite } from '../platform/database/open-database.js';
import Database from 'better-sqlite3';
import { EventStore } from '../platform/event-store/event-store.js';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { EventBus } from '../platform/event-bus.js';
import { verify } from '../platform/replay/replay.js';
import { DatabaseTransfer } from './database-transfer.js';
import { errorOf } from '../../test/support/errors.js';
import { openTestStore, type TestStore } from '../../test/support/test-store.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const FIXTURE = path.join(repoRoot, 'tests/fixtures/original-export.json');
const fixtureText = fs.readFileSync(FIXTURE, 'utf8');
const fixture = JSON.parse(fixtureText) as Record<string, { schema: string; data: Row[] }>;
const call: CallContext = { transport: 'system', actor: 'test' };

describe('DatabaseTransfer on SQLite', () => {
  let root: string;
  let outside: string;
  let t: TestStore;
  let db: Sqlite;
  let store: EventStore;
  let transfer: DatabaseTransfer;

  beforeEach(async () => {
    t = await openTestStore('fts-db-');
    root = t.root;
    outside = t.outsideDir();
    db = t.db;
    store = t.store;
    transfer = new DatabaseTransfer(db, t.commands, t.paths);
    fs.mkdirSync(path.join(root, 'imports'));
    fs.copyFileSync(FIXTURE, path.join(root, 'imports', 'original-export.json'));
  });
  afterEach(async () => {
    await t.close();
  });

  it('imports the original export into a fresh database and exports it back byte for byte', () => {
    fs.mkdirSync(path.join(root, 'data', 'samples'), { recursive: true });
    fs.writeFileSync(path.join(root, 'data', 'samples', 'tickets.csv'), 'instruction,intent\n');
    const report = transfer.import({ path: 'imports/original-export.json' }, call);
    expect(report.tables).toEqual(
      Object.entries(fixture).map(([table, t]) => ({ table, imported: t.data.length, conflicts: [], skipped: 0, unchanged: 0, problems: [] })),
    );
    // Files the original's rows point at that this project lacks; the CSV exists, so it is not listed.
    expect(report.warnings).toHaveLength(4);
    expect(report.warnings.join('\n')).toContain("location 'data/datasets/clean_ticketing.csv' does not exist in this project.");
    expect(report.warnings.join('\n')).toContain("location 'data/adapters/llama-2-sql' does not exist in this project.");
    expect(report.warnings.join('\n')).not.toContain('tickets.csv');

    const events = store.read();
    expect(events).toHaveLength(17);
    expect(new Set(events.map((e) => e.metadata.correlation_id)).size).toBe(1); // one command
    expect(events.find((e) => e.streamId === 'adapter-cf0c06f9-0435-49f8-b660-5126bd4cde29')?.type).toBe('AdapterImported');

    const text = transfer.export({ includeExtensions: false });
    const out = JSON.parse(text) as typeof fixture;
    for (const t of Object.keys(fixture)) {
      expect(out[t].schema).toBe(fixture[t].schema);
      expect(out[t].data).toEqual(fixture[t].data);
    }
    expect(text).toBe(fixtureText);

    const ext = JSON.parse(transfer.export({ includeExtensions: true })) as typeof fixture;
    expect(ext.prompts.schema).toContain('\tcreated_at VARCHAR, \n');
    expect(ext.prompts.data[0]).toMatchObject({ ...fixture.prompts.data[0], created_at: expect.any(String) });

    expect(verify(db, store).differences).toEqual([]);
  });

  it('re-importing the same file imports nothing and reports every row as unchanged, not as a conflict', () => {
    transfer.import({ path: 'imports/original-export.json' }, call);
    const before = store.lastPosition();
    const report = transfer.import({ json: fixtureText }, call);
    expect(store.lastPosition()).toBe(before);
    for (const t of report.tables) {
      expect(t.imported).toBe(0);
      expect(t).toMatchObject({ unchanged: fixture[t.table].data.length, conflicts: [], problems: [] });
    }
    expect(report.warnings).toEqual([]);
  });

  it('imports the rows that are new beside rows already present, and keeps going after a conflict', () => {
    const partial = JSON.parse(fixtureText) as typeof fixture;
    partial.prompts.data = partial.prompts.data.slice(0, 1);
    transfer.import({ json: JSON.stringify(partial) }, call);
    const mixed = JSON.parse(fixtureText) as typeof fixture;
    mixed.prompts.data.splice(1, 0, { ...mixed.prompts.data[0], id: 'p-new', name: 'SQL Creation' });
    const report = transfer.import({ json: JSON.stringify(mixed) }, call);
    const prompts = report.tables.find((t) => t.table === 'prompts');
    expect(prompts).toEqual({
      table: 'prompts',
      imported: 2,
      conflicts: ["p-new: name 'SQL Creation' is already used by 6dd9fb67-5654-4466-a15c-cc07fb397142"],
      skipped: 0,
      unchanged: 1,
      problems: [
        { entity: 'prompt', id: 'p-new', name: 'SQL Creation', reason: "name 'SQL Creation' is already used by 6dd9fb67-5654-4466-a15c-cc07fb397142" },
      ],
    });
    expect(store.reader.find('prompts').map((r) => r.name)).toEqual(['SQL Creation', 'Ticketing Prompt with Actions', 'Sample tickets prompt']);
  });

  it('imports jobs as "imported" and keeps projections replayable', () => {
    const doc = {
      fine_tuning_jobs: { schema: '', data: [{ id: 'j1', base_model_id: 'm-gone', learning_rate: 0.0002, dataset_fraction: 1, num_epochs: 2 }] },
      evaluation_jobs: { schema: '', data: [{ id: 'e1', parent_job_id: 'g1', status: 'running' }] },
    };
    const report = transfer.import({ json: JSON.stringify(doc) }, call);
    expect(report.warnings).toEqual(["fine_tuning_jobs j1: base_model_id 'm-gone' matches no row in models."]);
    expect(store.reader.get('fine_tuning_jobs', 'j1')).toMatchObject({ status: IMPORTED_JOB_STATUS, learning_rate: 0.0002 });
    expect(store.reader.get('evaluation_jobs', 'e1')).toMatchObject({ status: IMPORTED_JOB_STATUS });
    const text = transfer.export({ includeExtensions: false });
    expect(text).toContain('"learning_rate": 0.0002,');
    expect(text).toContain('"dataset_fraction": 1.0,');
    expect(text).not.toContain('"status"');
    expect(verify(db, store).differences).toEqual([]);
  });

  it('writes nothing for a malformed document, whatever table the problem is in', () => {
    const bad = (mutate: (d: Record<string, unknown>) => void) => {
      const d = JSON.parse(fixtureText) as Record<string, unknown>;
      mutate(d);
      return JSON.stringify(d);
    };
    const cases: [string, string][] = [
      ['{"prompts": ', 'IMPORT.INVALID_JSON'],
      ['[]', 'IMPORT.INVALID_STRUCTURE'],
      [bad((d) => (d.evaluation_jobs = { schema: '', data: [{ id: 'e1', owner: 'me' }] })), 'IMPORT.UNKNOWN_COLUMN'],
      [bad((d) => (d.sqlite_sequence = { schema: 'DROP TABLE events', data: [] })), 'IMPORT.UNKNOWN_TABLE'],
      [bad((d) => (d.configs = { schema: '' })), 'IMPORT.MISSING_SCHEMA_OR_DATA'],
      [bad((d) => ((d.prompts as { data: unknown[] }).data[2] = { name: 'no id' })), 'IMPORT.INVALID_ROW'],
    ];
    for (const [text, code] of cases) {
      const e = errorOf(() => transfer.import({ json: text }, call));
      expect([e.kind, e.code]).toEqual(['invalid_argument', code]);
    }
    expect(store.lastPosition()).toBe(0);
    expect(store.reader.find('models')).toEqual([]);
    // The schema text is never executed.
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'events'").get()).toBeTruthy();
  });

  it('reads only files inside the project, and says which are missing', () => {
    fs.writeFileSync(path.join(outside, 'x.json'), fixtureText);
    fs.symlinkSync(path.join(outside, 'x.json'), path.join(root, 'imports', 'link.json'));
    for (const p of ['../x.json', path.join(outside, 'x.json'), 'imports/link.json', '/etc/passwd']) {
      const e = errorOf(() => transfer.import({ path: p }, call));
      expect([e.kind, e.code]).toEqual(['invalid_argument', 'PATH.OUTSIDE_PROJECT']);
    }
    const missing = errorOf(() => transfer.import({ path: 'imports/nope.json' }, call));
    expect([missing.kind, missing.message]).toEqual(['not_found', 'JSON file not found: imports/nope.json']);
    expect(errorOf(() => transfer.import({ path: 'imports' }, call)).code).toBe('IMPORT.NOT_A_FILE');
    expect(errorOf(() => transfer.import({}, call)).kind).toBe('invalid_argument');
    expect(errorOf(() => transfer.import({ path: 'imports/original-export.json', json: '{}' }, call)).code).toBe('IMPORT.SOURCE_AMBIGUOUS');
    fs.writeFileSync(path.join(root, 'imports', 'latin1.json'), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]));
    expect(errorOf(() => transfer.import({ path: 'imports/latin1.json' }, call)).code).toBe('IMPORT.NOT_UTF8');
    expect(store.lastPosition()).toBe(0);
  });

  it('refuses, row by row, locations outside the project, symlinks resolved; imports the rest (issue 10.1)', () => {
    fs.writeFileSync(path.join(outside, 'secret.csv'), 'a,b\n');
    fs.mkdirSync(path.join(root, 'data'), { recursive: true });
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'data', 'link.csv'));
    fs.symlinkSync(outside, path.join(root, 'data', 'outdir'));
    fs.writeFileSync(path.join(root, 'data', 'ok.csv'), 'a,b\n');
    const row = (id: string, location: string) => ({ id, type: 'project_csv', name: id, location });
    const doc = {
      datasets: {
        schema: '',
        data: [row('etc', '/etc/passwd.csv'), row('tmp', '/tmp/x.csv'), row('dotdot', '../x.csv'), row('link', 'data/link.csv'), row('ok', 'data/ok.csv')],
      },
      models: { schema: '', data: [{ id: 'm-root', type: 'project', name: 'root', location: '/root' }] },
      adapters: { schema: '', data: [{ id: 'a-link', type: 'project', name: 'a', model_id: 'm-root', location: 'data/outdir' }] },
    };
    const report = transfer.import({ json: JSON.stringify(doc) }, call);
    expect(report.tables.map((t) => [t.table, t.imported, t.problems.map((p) => `${p.id}: ${p.reason}`)])).toEqual([
      [
        'datasets',
        1,
        [
          "etc: location '/etc/passwd.csv' is outside the project",
          "tmp: location '/tmp/x.csv' is outside the project",
          "dotdot: location '../x.csv' is outside the project",
          "link: location 'data/link.csv' is outside the project",
        ],
      ],
      ['models', 0, ["m-root: location '/root' is outside the project"]],
      ['adapters', 0, ["a-link: location 'data/outdir' is outside the project"]],
    ]);
    expect(store.reader.find('datasets').map((r) => r.id)).toEqual(['ok']);
  });

  it('refuses a document over 64 MiB before reading it', () => {
    const big = path.join(root, 'imports', 'big.json');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 64 * 1024 * 1024 + 1); // sparse: nothing is written to disk
    const e = errorOf(() => transfer.import({ path: 'imports/big.json' }, call));
    expect([e.kind, e.code]).toEqual(['invalid_argument', 'IMPORT.TOO_LARGE']);
  });

  it('exportFramed (ExportDatabase) answers what export() writes; a kept table part never outlives a write, by this process or another connection', async () => {
    const cached = new DatabaseTransfer(db, t.commands, t.paths, store);
    const exported = async (includeExtensions = false) => {
      const { bytes } = await cached.exportFramed({ includeExtensions });
      let at = 1;
      while (bytes[at] & 0x80) at++;
      return bytes.subarray(at + 1).toString('utf8');
    };
    const doc = (id: string) => JSON.stringify({ models: { schema: '', data: [{ id, type: 'huggingface', name: id, huggingface_model_name: `o/${id}` }] } });
    transfer.import({ json: doc('m-1') }, call);
    expect(await exported()).toBe(transfer.export({ includeExtensions: false }));
    expect(await exported()).toBe(transfer.export({ includeExtensions: false })); // from the kept parts
    expect(await exported(true)).toBe(transfer.export({ includeExtensions: true }));
    transfer.import({ json: doc('m-2') }, call);
    expect(await exported()).toContain('"m-2"');
    expect(await exported()).toBe(transfer.export({ includeExtensions: false }));
    // Another connection (the import's child process, the CLI) commits: this process's table versions do not move.
    const other = new Database(t.dbPath);
    new DatabaseTransfer(other, new CommandRunner(new EventStore(other), new EventBus()), t.paths).import({ json: doc('m-3') }, call);
    other.close();
    expect(await exported()).toContain('"m-3"');
    expect(await exported()).toBe(transfer.export({ includeExtensions: false }));
    expect(await exported(true)).toBe(transfer.export({ includeExtensions: true }));
  });
});
