import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { ALL_TABLES, projectEvent, upcasters, type EventMetadata } from '@fts/domain';
import { openDatabase, type Sqlite } from '../database/open-database.js';
import { EventStore } from '../event-store/event-store.js';
import { replay, verify } from './replay.js';
import { buildMetrics, buildMetricsJs, FastPathUnsupported } from './fast-rebuild.js';

const meta: EventMetadata = { correlation_id: 'c', actor: 'test', transport: 'system' };

/**
 * `replay --verify` must see every difference between a live projection and
 * its rebuild, whatever the column type: JSON.stringify turned ±Infinity into
 * null (so Infinity in the table matched NULL in the rebuild) and rounded
 * integers past 2^53.
 */
describe('replay --verify compares column values exactly', () => {
  let dir: string;
  let ds: DataSource;
  let db: Sqlite;
  let store: EventStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-verify-'));
    ({ dataSource: ds, db } = await openDatabase(path.join(dir, 'state.db')));
    store = new EventStore(db);
    store.append(
      [
        {
          type: 'FineTuningJobQueued',
          streamId: 'fine_tuning_job-j1',
          streamType: 'fine_tuning_job',
          data: {
            row: {
              id: 'j1',
              adapter_name: 'a',
              num_epochs: 9007199254740992,
              learning_rate: null,
              dataset_fraction: 0.5,
              training_arguments_config: '{"x": 1}',
              status: 'queued',
            },
          },
          expectedVersion: 0,
        },
      ],
      meta,
    );
  });
  afterEach(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds nothing when nothing was touched', () => {
    expect(verify(db, store).differences).toEqual([]);
  });

  const corruptions: [string, string][] = [
    ['DOUBLE: NULL → Infinity', 'learning_rate = 9e999'],
    ['DOUBLE: NULL → -Infinity', 'learning_rate = -9e999'],
    ['DOUBLE: 0.5 → the next double', 'dataset_fraction = 0.5000000000000001'],
    ['DOUBLE: 0.5 → a text', "dataset_fraction = 'half'"],
    ['INTEGER: 2^53 → 2^53 + 1', 'num_epochs = 9007199254740993'],
    ['INTEGER: → a text', "num_epochs = 'nine'"],
    ['INTEGER: → a blob', "num_epochs = x'01'"],
    ['VARCHAR: a → b', "adapter_name = 'b'"],
    ['VARCHAR: a → NULL', 'adapter_name = NULL'],
    ['TEXT: one more space', `training_arguments_config = '{"x":  1}'`],
    ['TEXT → blob of the same bytes', "training_arguments_config = CAST('{\"x\": 1}' AS BLOB)"],
  ];

  it.each(corruptions)('finds a hand-corrupted %s', (_what, set) => {
    db.prepare(`UPDATE fine_tuning_jobs SET ${set} WHERE id = 'j1'`).run();
    expect(verify(db, store).differences).toEqual([expect.objectContaining({ table: 'fine_tuning_jobs', rows: ['j1'] })]);
  });
});

/**
 * The set-based rebuild (fast-rebuild.ts) against the inline projection, on
 * every event type it handles without projecting each event: generic row
 * events (inserts, removals, re-adds under the same id, updates before and
 * after), job progress (several points, missing, non-number and boolean
 * values, an empty batch, events before the job_runs row exists and after it
 * was deleted and re-inserted), and the lifecycle events around them.
 * `verify` rebuilds with the fast path and compares with the live tables the
 * inline projection wrote while appending.
 */
describe('the set-based replay leaves the rows the inline projection does', () => {
  let dir: string;
  let ds: DataSource;
  let db: Sqlite;
  let store: EventStore;
  const fallbacks: string[] = [];
  const opts = { onFallback: (r: string) => fallbacks.push(r) };

  type E = { type: string; streamId: string; streamType: string; data: unknown };
  const ev = (type: string, streamType: string, id: string, data: unknown): E => ({ type, streamId: `${streamType}-${id}`, streamType, data });
  const row = (type: string, streamType: string, r: Record<string, unknown>) => ev(type, streamType, String(r.id), { row: r });
  const progress = (id: string, firstSeq: number, points: unknown[], nextOffset: number) =>
    ev('JobProgressRecorded', 'fine_tuning_job', id, { id, first_seq: firstSeq, points, next_offset: nextOffset });
  const job = (id: string, extra: Record<string, unknown> = {}) =>
    row('FineTuningJobQueued', 'fine_tuning_job', { id, adapter_name: `a-${id}`, num_epochs: 9007199254740993, learning_rate: 0.0002, dataset_fraction: 1e-7, auto_add_adapter: true, status: 'queued', ...extra });
  const append = (...events: E[]) => {
    for (const e of events) store.append([e], meta);
  };

  beforeEach(async () => {
    fallbacks.length = 0;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-fast-replay-'));
    ({ dataSource: ds, db } = await openDatabase(path.join(dir, 'state.db')));
    store = new EventStore(db);
    append(
      row('DatasetAdded', 'dataset', { id: 'd1', name: 'ds', type: 'project', features: '["a"]', created_at: 't0' }),
      row('ModelAdded', 'model', { id: 'm1', name: 'org/m', type: 'huggingface', model_family: null }),
      ...['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => row('PromptAdded', 'prompt', { id, name: `n-${id}`, prompt_template: 'say {x}', dataset_id: 'd1' })),
      ev('PromptRemoved', 'prompt', 'p2', { id: 'p2' }),
      ev('PromptUpdated', 'prompt', 'p1', { id: 'p1', set: { name: 'renamed', description: 7 } }),
      ev('PromptUpdated', 'prompt', 'p3', { id: 'p3', set: { name: 'before removal' } }),
      ev('PromptRemoved', 'prompt', 'p3', { id: 'p3' }),
      row('PromptImported', 'prompt', { id: 'p3', name: 'again', description: 1.5 }),
      ev('PromptUpdated', 'prompt', 'p3', { id: 'p3', set: { description: 'after re-import' } }),
      ev('PromptUpdated', 'prompt', 'gone', { id: 'gone', set: { name: 'nothing' } }),
      ev('PromptRemoved', 'prompt', 'p9', { id: 'p9' }),
      row('ConfigAdded', 'config', { id: 'c1', type: 'lora_config', config: '{"fan_in_fan_out": false, "inference_mode": true}', is_default: true, created_at: 't' }),
      row('ConfigAdded', 'config', { id: 'c2', type: 'lora_config', config: '{"r": 8}', is_default: false, description: 12 }),
      job('j1'),
      job('j2', { learning_rate: 3 }),
      job('j3'),
      row('EvaluationJobQueued', 'evaluation_job', { id: 'e1', status: 'queued', num_cpu: 2 }),
      progress('j2', 1, [{ step: 1, loss: 1, at: 't' }], 10),
      ev('JobDispatched', 'fine_tuning_job', 'j1', { id: 'j1', runner: 'local' }),
      ev('JobRunSubmitted', 'fine_tuning_job', 'j1', { id: 'j1', handle: { pid: 1 }, cml_job_id: 'cml-1' }),
      ev('JobStarted', 'fine_tuning_job', 'j1', { id: 'j1', message: 'go' }),
      progress('j1', 1, [{ step: 1, total_steps: 10, epoch: 0, loss: 2.5, learning_rate: 0.0002, grad_norm: 0.9, at: 't1' }, { step: 2, loss: true, eval_loss: 'x', grad_norm: null, at: 't2', attempt: 2 }, { step: 3.5, epoch: 1e308, loss: false, at: null }], 100),
      progress('j1', 4, [], 150),
      ev('JobRetryScheduled', 'fine_tuning_job', 'j1', { id: 'j1', attempt: 2, resume_from: null, resume_step: null, replay_until_step: 2, retry_at: 't3', by: 'supervisor', message: 'again' }),
      progress('j1', 4, [{ step: 4, at: 't4', attempt: 2 }], 170),
      ev('JobDispatched', 'fine_tuning_job', 'j1', { id: 'j1', runner: 'local' }),
      progress('j1', 5, [{ step: 5, at: 't5', attempt: 2, total_steps: 9007199254740993 }], 50),
      ev('JobCancelRequested', 'fine_tuning_job', 'j1', { id: 'j1', deadline_at: 't9' }),
      ev('JobDispatched', 'fine_tuning_job', 'j2', { id: 'j2', runner: 'slurm' }),
      progress('j2', 2, [{ step: 2, loss: 0.5, at: 't' }], 20),
      ev('JobCheckpointRecorded', 'fine_tuning_job', 'j1', { id: 'j1', attempt: 2, checkpoint: { step: 5, loss: 0.1, path: 'ck/5', at: 't' } }),
      ev('JobResultRecorded', 'fine_tuning_job', 'j1', { id: 'j1', result: { ok: true }, artifacts: [] }),
      ev('JobSucceeded', 'fine_tuning_job', 'j1', { id: 'j1', message: 'done' }),
      ev('JobDetailsRecorded', 'fine_tuning_job', 'j2', { id: 'j2', set: { cluster_job_id: '77' } }),
      ev('FineTuningJobRemoved', 'fine_tuning_job', 'j3', { id: 'j3' }),
      ev('JobDispatched', 'evaluation_job', 'e1', { id: 'e1', runner: 'local' }),
    );
  });
  afterEach(async () => {
    for (const k of Object.keys(upcasters)) delete upcasters[k];
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const count = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;

  it('rebuilds every table as the inline projection wrote it, without falling back', () => {
    expect([count('prompts'), count('configs'), count('job_metrics'), count('job_runs'), count('fine_tuning_jobs')]).toEqual([4, 2, 7, 3, 2]);
    expect(verify(db, store, opts)).toEqual({ events: 40, differences: [] });
    expect(fallbacks).toEqual([]);
  });

  it('builds job_metrics without the generic projection exactly as the projection does, and through it where it would not', () => {
    const rowsOf = (build: typeof buildMetrics | typeof buildMetricsJs) => {
      db.exec('DROP TABLE IF EXISTS jm; CREATE TABLE jm AS SELECT * FROM job_metrics WHERE 0');
      const targets: unknown[] = [];
      build(db, 'jm', 1e9, (t) => targets.push(t));
      return { rows: db.prepare('SELECT * FROM jm ORDER BY rowid').safeIntegers(true).raw(true).all(), targets };
    };
    const js = rowsOf(buildMetrics);
    expect(js.rows).toEqual(db.prepare('SELECT * FROM job_metrics ORDER BY rowid').safeIntegers(true).raw(true).all());
    const lean = rowsOf(buildMetricsJs);
    expect(lean.rows).toEqual(js.rows);
    // The last progress event of each job (buildMetricsJs: per job id; buildMetrics: per row it updates, checked on every event).
    expect(lean.targets).toEqual((js.targets as { id: string; position: number }[]).map(({ id, position }) => ({ id, position })));
    // What applyLastProgress relies on: besides its metrics, a progress event updates the same columns of the row keyed by its id.
    const others = (data: unknown) =>
      projectEvent({ ...store.read({ types: ['JobProgressRecorded'] })[0], data }).filter((m) => m.table !== 'job_metrics');
    const a = others({ id: 'x', first_seq: 1, points: [{ step: 1, at: 't' }], next_offset: 5 });
    const b = others({ id: 'y', first_seq: 9, points: [], next_offset: 7, extra: true });
    expect(a).toEqual([{ op: 'update', table: 'job_runs', id: 'x', set: expect.any(Object) }]);
    expect(b).toEqual([{ op: 'update', table: 'job_runs', id: 'y', set: expect.any(Object) }]);
    expect(Object.keys((b[0] as { set: object }).set)).toEqual(Object.keys((a[0] as { set: object }).set));
    // A point that is not an object, odd first_seq values and non-number values: the projection's expressions make the same rows of them.
    append(
      progress('j2', 3, [{ step: 3, at: 't' }, 7, { step: 'x', at: 5, loss: '1', attempt: 0 }], 30),
      ev('JobProgressRecorded', 'fine_tuning_job', 'j2', { id: 'j2', first_seq: '7', points: [{ step: false, at: true }], next_offset: 31 }),
      ev('JobProgressRecorded', 'fine_tuning_job', 'j2', { id: 'j2', first_seq: 2.5, points: [{ step: 1e308, epoch: 1e400 }, {}], next_offset: 32 }),
    );
    expect(rowsOf(buildMetricsJs).rows).toEqual(rowsOf(buildMetrics).rows);
    expect(verify(db, store, opts).differences).toEqual([]);
    expect(fallbacks).toEqual([]);
    // A job id that is not a string: buildMetricsJs stops, and so does buildMetrics (its job_runs update is keyed by a number):
    // the replay goes event by event, to the same rows.
    append(ev('JobProgressRecorded', 'fine_tuning_job', '12', { id: 12, first_seq: 1, points: [{ step: 1, at: 't' }], next_offset: 1 }));
    expect(() => rowsOf(buildMetricsJs)).toThrow(FastPathUnsupported);
    expect(verify(db, store, opts).differences).toEqual([]);
    expect(fallbacks).toEqual([expect.stringContaining('update job_runs')]);
  });

  it('builds job_metrics in two position ranges whose rows, appended, are the whole', () => {
    append(progress('j2', 3, [{ step: 3, at: 't' }], 30), progress('j2', 4, [{ step: 4, loss: 0.25, at: 'u' }, { step: 5, at: 'v' }], 40));
    const positions = store.read({ types: ['JobProgressRecorded'] }).map((e) => e.position);
    const whole = db.prepare('SELECT * FROM job_metrics ORDER BY rowid').safeIntegers(true).raw(true).all();
    for (const build of [buildMetricsJs, buildMetrics]) {
      for (const split of [positions[0] - 1, positions[3], positions[positions.length - 2]]) {
        db.exec('DROP TABLE IF EXISTS jm; CREATE TABLE jm AS SELECT * FROM job_metrics WHERE 0');
        const targets: { id: string; position: number }[] = [];
        build(db, 'jm', split, (t) => targets.push(t));
        build(db, 'jm', 1e9, (t) => targets.push(t), split);
        expect(db.prepare('SELECT * FROM jm ORDER BY rowid').safeIntegers(true).raw(true).all()).toEqual(whole);
        expect(targets.every((t) => positions.includes(t.position))).toBe(true);
        // Each job's last progress event is among the targets (applyLastProgress applies them in position order).
        for (const id of ['j1', 'j2']) {
          const last = Math.max(...store.read({ types: ['JobProgressRecorded'] }).filter((e) => (e.data as { id: string }).id === id).map((e) => e.position));
          expect(targets.filter((t) => t.id === id).map((t) => t.position)).toContain(last);
        }
      }
    }
    expect(verify(db, store, opts).differences).toEqual([]);
    expect(fallbacks).toEqual([]);
  });

  it('swaps in the same rows, and replays again to the same rows', () => {
    const before = snapshot(db);
    expect(replay(db, store, opts).events).toBe(40);
    expect(fallbacks).toEqual([]);
    expect(snapshot(db)).toEqual(before);
    expect(verify(db, store, { ...opts, mode: 'events' }).differences).toEqual([]);
  });

  it('rewrites only the tables that differ from the rebuild, and repairs AddConfig\'s index', () => {
    // The live prompts' rowids are 1, 2, ... where the rebuild numbers them by position: the same rows in the same order, kept as they are.
    const rowids = () => db.prepare('SELECT rowid FROM prompts ORDER BY rowid').pluck().all();
    const before = rowids();
    expect(replay(db, store, opts)).toEqual({ events: 40, rewritten: [] });
    expect(rowids()).toEqual(before);
    db.prepare("UPDATE prompts SET name = 'tampered' WHERE id = 'p1'").run();
    db.prepare('UPDATE job_metrics SET loss = 9 WHERE rowid = 1').run();
    db.prepare("DELETE FROM config_content_keys WHERE id = 'c1'").run();
    const keys = db.prepare('SELECT id, type, content_key IS NOT NULL AS keyed FROM config_content_keys ORDER BY id').all();
    expect(keys).toEqual([{ id: 'c2', type: 'lora_config', keyed: 1 }]);
    expect(replay(db, store, opts).rewritten).toEqual(['prompts', 'job_metrics']);
    expect(verify(db, store).differences).toEqual([]);
    expect(db.prepare('SELECT id, type, content_key IS NOT NULL AS keyed FROM config_content_keys ORDER BY id').all()).toEqual([
      { id: 'c1', type: 'lora_config', keyed: 1 },
      { id: 'c2', type: 'lora_config', keyed: 1 },
    ]);
    expect(fallbacks).toEqual([]);
    // Nothing of the rebuild is left behind in the connection's temporary schema.
    expect(db.prepare("SELECT name FROM temp.sqlite_master WHERE name LIKE '%replay%'").all()).toEqual([]);
  });

  it('applies upcasters: an upcast event type is projected event by event, upcast', () => {
    upcasters.PromptAdded = (data, v) => ({ data: { row: { ...(data as { row: object }).row, description: 'upcast' } }, schemaVersion: v + 1 });
    upcasters.JobProgressRecorded = (data, v) => {
      const d = data as { points: { loss?: unknown }[] };
      return { data: { ...d, points: d.points.map((p) => ({ ...p, loss: 42 })) }, schemaVersion: v + 1 };
    };
    // The live tables as the event-by-event replay rebuilds them with the upcasters, then the fast path against them.
    replay(db, store, { mode: 'events' });
    expect(db.prepare("SELECT COUNT(*) AS n FROM prompts WHERE description = 'upcast'").get()).toEqual({ n: 2 });
    expect(db.prepare('SELECT DISTINCT loss FROM job_metrics').pluck().all()).toEqual([42]);
    expect(verify(db, store, opts).differences).toEqual([]);
    expect(fallbacks).toEqual([]);
  });

  it('falls back to the event-by-event rebuild where the log holds what the SQL does not reproduce', () => {
    append(ev('PromptRemoved', 'prompt', 'p4', { id: 12345 }));
    expect(verify(db, store, opts).differences).toEqual([]);
    expect(fallbacks).toEqual([expect.stringContaining('row id')]);
  });

  it('leaves the previous tables, indexes and triggers when the replay fails midway', () => {
    db.prepare("UPDATE prompts SET name = 'tampered' WHERE id = 'p1'").run();
    const before = snapshot(db);
    const schema = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    const failing = {
      onPhase: (phase: string) => {
        // After the tampered prompts table was replaced, before the commit.
        if (phase.includes('rewritten: prompts')) throw new Error('power cut');
      },
    };
    expect(() => replay(db, store, failing)).toThrow('power cut');
    expect(snapshot(db)).toEqual(before);
    expect(db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    expect(verify(db, store).differences).toEqual([expect.objectContaining({ table: 'prompts', rows: ['p1'] })]);
  });
});

/** Every projection table's rows in rowid order, integers exact. */
function snapshot(db: Sqlite): Record<string, unknown[]> {
  return Object.fromEntries(
    ALL_TABLES.map((t) => [t.name, db.prepare(`SELECT * FROM ${t.name} ORDER BY rowid`).safeIntegers(true).raw(true).all()]),
  );
}
