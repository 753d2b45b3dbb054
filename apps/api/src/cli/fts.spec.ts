/**
 * The `fts` CLI end to end: the built apps/api/dist/cli/fts.js (run `npx tsc -b`
 * first) as a child process on a temporary database.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openDatabase } from '../platform/database/open-database.js';
import { EventStore } from '../platform/event-store/event-store.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const CLI = path.join(repoRoot, 'apps/api/dist/cli/fts.js');
const FIXTURE = path.join(repoRoot, 'tests/fixtures/original-export.json');
const fixtureText = fs.readFileSync(FIXTURE, 'utf8');

describe('fts CLI', () => {
  let dir: string;
  let dbPath: string;

  const fts = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      cwd: dir,
      env: { ...process.env, FINE_TUNING_STUDIO_SQLITE_DB: dbPath, FTS_PROJECT_ROOT: dir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  beforeAll(() => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build first with \`npx tsc -b\`.`);
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-cli-')));
    dbPath = path.join(dir, 'state.db');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints help, and refuses unknown commands and options with exit 2', () => {
    expect(fts('help')).toMatchObject({ code: 0, out: expect.stringContaining('replay --verify') });
    expect(fts().code).toBe(2);
    expect(fts('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining("Unknown command 'frobnicate'") });
    expect(fts('events', '--bogus').code).toBe(2);
    expect(fts('events', '--limit', 'ten').code).toBe(2);
    expect(fts('import').code).toBe(2);
  });

  it('says so when there is no database yet, without creating one', () => {
    expect(fts('events')).toMatchObject({ code: 1, err: expect.stringContaining(`No database at ${dbPath}`) });
    expect(fs.existsSync(dbPath)).toBe(false);
  });

  it('imports a file and prints the report; a bad file writes nothing', () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"datasets": {"schema": "x", "data": [{"id": "z", "owner": "me"}]}}');
    const bad = fts('import', 'bad.json');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("Unknown column 'owner'");
    expect(fts('import', 'missing.json')).toMatchObject({ code: 1, err: expect.stringContaining('JSON file not found: missing.json') });

    const r = fts('import', FIXTURE);
    expect(r.code).toBe(0);
    expect(r.out).toContain('datasets: 3 imported, 0 conflict(s)');
    expect(r.out).toContain("location 'data/samples/tickets.csv' does not exist in this project.");

    const again = fts('import', FIXTURE, '--json');
    expect(again.code).toBe(0);
    const report = JSON.parse(again.out) as { tables: { table: string; imported: number; unchanged: number; conflicts: string[] }[] };
    expect(report.tables.every((t) => t.imported === 0)).toBe(true);
    // The same rows again are unchanged, not conflicts.
    expect(report.tables.find((t) => t.table === 'configs')).toMatchObject({ unchanged: 5, conflicts: [] });
  });

  it('lists and filters the event log', () => {
    const all = fts('events').out.trim().split('\n');
    expect(all).toHaveLength(17);
    expect(all[0]).toMatch(/^1\t\S+\tmodel-f1c3d635-980d-4114-a43e-b3a2eba13910@1\tModelImported\t\S+ via cli$/);
    expect(fts('events', '--limit', '2').out.trim().split('\n')).toHaveLength(2);
    expect(fts('events', '--after', '15').out.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['16', '17']);
    const prompts = fts('events', '--type', 'PromptImported', '--type', 'ConfigImported', '--json')
      .out.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: { row: { id: string } } });
    expect(prompts.map((e) => e.type).sort()).toEqual([...Array(5).fill('ConfigImported'), ...Array(3).fill('PromptImported')]);
    const one = fts('events', '--stream', 'prompt-aa5a6c56-f3c6-4c1d-8642-a57a547c1302', '--json').out.trim().split('\n');
    expect(one).toHaveLength(1);
    expect(fts('events', '--stream-type', 'adapter').out.trim().split('\n')).toHaveLength(3);
  });

  it('stops quietly, exit 0, when the reader closes the pipe (fts events | head)', async () => {
    const child = spawn(process.execPath, [CLI, 'events'], {
      cwd: dir,
      env: { ...process.env, FINE_TUNING_STUDIO_SQLITE_DB: dbPath, FTS_PROJECT_ROOT: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone before the first line is written: every write gets EPIPE
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
  });

  it("exports the original's format, to stdout or a file", () => {
    const r = fts('export');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${fixtureText}\n`);
    expect(fts('export', '--out', 'out.json').code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe(fixtureText);
    const unwritable = fts('export', '--out', 'no/such/folder/out.json');
    expect(unwritable.code).toBe(1);
    expect(unwritable.err).toMatch(/Could not write .*no\/such\/folder\/out.json: ENOENT/);
    const ext = JSON.parse(fts('export', '--extensions').out) as Record<string, { data: Record<string, unknown>[] }>;
    expect(ext.models.data[0].created_at).toEqual(expect.any(String));
  });

  it('replays, verifies, finds tampering (exit 1) and repairs it, while another connection holds the database', () => {
    const server = new Database(dbPath);
    server.pragma('busy_timeout = 5000');
    try {
      expect(fts('replay', '--verify')).toMatchObject({ code: 0, out: expect.stringContaining('Verified 17 events') });
      expect(fts('replay')).toMatchObject({ code: 0, out: expect.stringContaining('every projection matched the rebuild: nothing rewritten.') });
      server.prepare("UPDATE prompts SET name = 'tampered' WHERE id = 'aa5a6c56-f3c6-4c1d-8642-a57a547c1302'").run();
      const v = fts('replay', '--verify');
      expect(v.code).toBe(1);
      expect(v.out).toContain('prompts: 3 live rows, 3 rebuilt; differing rows: aa5a6c56-f3c6-4c1d-8642-a57a547c1302');
      const r = fts('replay');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Replayed 17 events in [\d.]+ s \(\d+ events\/s\); rewrote prompts \(their rows differed from the rebuild\)/);
      expect(server.prepare("SELECT name FROM prompts WHERE id = 'aa5a6c56-f3c6-4c1d-8642-a57a547c1302'").get()).toEqual({
        name: 'Sample tickets prompt',
      });
      expect(fts('replay', '--verify').code).toBe(0);
    } finally {
      server.close();
    }
  });

  it('replays job progress with job_metrics built by a second process, and leaves no scratch file', async () => {
    const { dataSource, db } = await openDatabase(dbPath);
    try {
      const store = new EventStore(db);
      const meta = { correlation_id: 'c', actor: 'test', transport: 'system' as const };
      const ev = (type: string, data: unknown) => ({ type, streamId: 'fine_tuning_job-j1', streamType: 'fine_tuning_job', data });
      store.append([ev('FineTuningJobQueued', { row: { id: 'j1', adapter_name: 'a', status: 'queued' } })], meta);
      store.append([ev('JobDispatched', { id: 'j1', runner: 'local' })], meta);
      for (let i = 0; i < 40; i++) {
        const points = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ step: i * 3 + k, loss: 1 / (i + k + 1), at: `t${i}` }));
        store.append([ev('JobProgressRecorded', { id: 'j1', first_seq: i * 3 + 1, points, next_offset: i * 10 })], meta);
      }
    } finally {
      await dataSource.destroy();
    }
    const schemaOf = () => {
      const c = new Database(dbPath, { readonly: true });
      try {
        return c.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name").all();
      } finally {
        c.close();
      }
    };
    const schema = schemaOf();
    const r = fts('replay', '--profile');
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/^Replayed 59 events/) });
    expect(schemaOf()).toEqual(schema);
    expect(r.err).toContain('waited for job_metrics (child process; it ran');
    // Each phase is reported once: their times add up to no more than the replay's (each rounded to 10 ms).
    const phases = [...r.err.matchAll(/^  .*: ([\d.]+) s \(CPU/gm)].map((m) => Number(m[1]));
    const total = Number(/in ([\d.]+) s/.exec(r.out)![1]);
    expect(phases.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(total + 0.005 * (phases.length + 1));
    // The child took the first progress events, this process the rest (metricsSplit).
    expect(r.err).toContain('job_metrics after the split (this process, for the child to append)');
    expect(r.err).not.toContain('event by event');
    expect(r.err).toContain('the same as the live table');
    expect(fts('replay', '--verify')).toMatchObject({ code: 0, out: expect.stringContaining('Verified 59 events') });
    // A job_metrics row changed by hand: the child finds the difference, its rows replace the table's.
    const server = new Database(dbPath);
    try {
      server.prepare('UPDATE job_metrics SET loss = 42 WHERE rowid = (SELECT MAX(rowid) FROM job_metrics)').run();
    } finally {
      server.close();
    }
    const v = fts('replay', '--verify');
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/job_metrics: \d+ live rows, \d+ rebuilt; differing rows: j1:\d+/);
    const repaired = fts('replay', '--profile');
    expect(repaired.out).toContain('rewrote job_metrics (their rows differed from the rebuild)');
    expect(repaired.err).toContain('it differs from the live table');
    expect(schemaOf()).toEqual(schema);
    expect(fts('replay', '--verify')).toMatchObject({ code: 0, out: expect.stringContaining('Verified 59 events') });
    expect(fs.readdirSync(dir).filter((f) => f.includes('.replay-'))).toEqual([]);
  });

  it('rebuilds the progress events after the split, odd points among them, to the same rows', async () => {
    const { dataSource, db } = await openDatabase(dbPath);
    try {
      const store = new EventStore(db);
      const meta = { correlation_id: 'c', actor: 'test', transport: 'system' as const };
      const ev = (type: string, data: unknown) => ({ type, streamId: 'fine_tuning_job-j1', streamType: 'fine_tuning_job', data });
      // A point that is not an object (the projection makes a row of nulls of it), in this process's part of job_metrics.
      store.append([ev('JobProgressRecorded', { id: 'j1', first_seq: 200, points: [{ step: 200, loss: 0.5, at: 'x' }, 7], next_offset: 900 })], meta);
      store.append([ev('JobProgressRecorded', { id: 'j1', first_seq: 202, points: [{ step: 202, at: 'y', attempt: 2 }], next_offset: 950 })], meta);
    } finally {
      await dataSource.destroy();
    }
    const rows = () => {
      const c = new Database(dbPath, { readonly: true });
      try {
        return ['job_metrics', 'job_runs'].map((t) => c.prepare(`SELECT * FROM ${t} ORDER BY rowid`).raw(true).all());
      } finally {
        c.close();
      }
    };
    const before = rows();
    expect(fts('replay', '--verify')).toMatchObject({ code: 0, out: expect.stringContaining('Verified 61 events') });
    const r = fts('replay', '--profile');
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/^Replayed 61 events/) });
    expect(r.err).toContain('job_metrics after the split (this process, for the child to append)');
    expect(r.err).not.toContain('event by event');
    expect(rows()).toEqual(before);
  });
});
