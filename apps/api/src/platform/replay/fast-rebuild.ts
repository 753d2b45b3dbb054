import { fork } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database, { type Statement } from 'better-sqlite3';
import {
  STREAM_TABLES,
  insertRow,
  projectEvent,
  projectionHandlerOf,
  removeRow,
  upcasters as domainUpcasters,
  type EventMetadata,
  type Mutation,
  type RecordedEvent,
  type Row,
  type Upcaster,
} from '@fts/domain';
import type { Sqlite } from '../database/open-database.js';
import type { EventStore } from '../event-store/event-store.js';
import { SqliteProjector } from '../event-store/sqlite-projector.js';

/**
 * The log holds something the set-based rebuild does not reproduce exactly
 * (a value of an unexpected JSON type, a projection that inserts into a table
 * the SQL fills, ...): the caller rolls the attempt back and replays event by
 * event instead. Never seen with events the product writes.
 */
export class FastPathUnsupported extends Error {}

export interface FastRebuildOptions {
  /** The upcasters the store applies on read: an upcast event type is projected in JavaScript, never from its stored JSON. */
  upcasters?: Record<string, Upcaster>;
  /** Called after each phase with its wall time (replay --profile). */
  onPhase?: (phase: string, ms: number) => void;
  /**
   * fastRebuildInParallel: called while the child process builds job_metrics,
   * with the tables (without suffix) that are complete and get no further writes,
   * and the rebuild's phase clock, to report its own phases on (each once).
   */
  whileWaiting?: (complete: ReadonlySet<string>, phase: (name: string) => void) => void;
}

/** What a rebuild leaves besides the `<table><suffix>` tables it filled. */
export interface RebuildOutcome {
  /** The events read. */
  events: number;
  /** Tables found equal to the live ones as they were rebuilt (job_metrics, compared by the child process that built it): their `<table><suffix>` stays empty. */
  unchanged: Set<string>;
  /** Tables whose rebuilt rows are elsewhere than in `<table><suffix>` (job_metrics, left in the child's scratch database where it differs). */
  movedTo: Map<string, string>;
}

const PROGRESS = 'JobProgressRecorded';
const METRICS = 'job_metrics';
const UNSUPPORTED = 'fts_replay_unsupported';
const BATCH = 2000;

const IDENT = /^[a-z_][a-z0-9_]*$/;
const ident = (s: string) => {
  if (!IDENT.test(s)) throw new FastPathUnsupported(`not an identifier: ${s}`);
  return s;
};
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const list = (xs: Iterable<string>) => [...xs].map(lit).join(', ');

/**
 * What `toSql(value)` then better-sqlite3 binds for a JSON value read with
 * `->>` (the SQL expression `x`): JavaScript numbers are bound as REAL
 * (integers included: the column's affinity converts them), strings as TEXT,
 * null and a missing key as NULL, true and false as 1 and 0, bound as REAL
 * too: ->> reads them as the integers 1 and 0, and CAST makes them 1.0 and
 * 0.0 as well. (An array or object cannot be bound: an event holding one
 * where a value is bound was never projected, so it is not in the log.)
 */
const bound = (x: string) => `CASE typeof(${x}) WHEN 'integer' THEN CAST(${x} AS REAL) ELSE ${x} END`;

/**
 * Rebuilds every projection into `<table><suffix>` (created, empty) from the
 * events up to the last one, without applying a mutation per event where the
 * result does not need it:
 *
 *  - job_metrics (JobProgressRecorded's points, the bulk of a real log): the
 *    progress events are read through the events_type index and projected,
 *    and their rows inserted 32 to a statement (buildMetrics);
 *  - the catalog tables filled by the generic row events (<Entity>Added /
 *    Imported / Removed, Queued, Requested): for each id only its last insert
 *    or removal matters, so only the rows still there at the end are
 *    inserted, in one INSERT ... SELECT, each with its event's position as
 *    rowid (creation order, as the inline projection leaves it; values bound
 *    as the projector binds them, see bound());
 *  - every other event in position order through the inline projection, as
 *    the generic replay does; its updates of a catalog row apply only if they
 *    follow the row's insert (rowid < position);
 *  - JobProgressRecorded's update of the job's job_runs row: only the last
 *    progress event of each row can leave a value behind, so it alone is
 *    projected again and each column it sets is written where no later
 *    event of the replay wrote it (applyLastProgress).
 *
 * An event type with an upcaster is always projected event by event, upcast.
 * Throws FastPathUnsupported (the caller rolls back and replays event by
 * event) where the log holds something this does not reproduce.
 * replay.spec.ts compares the result with the inline projection's on every
 * event type handled here; `replay --verify` compares it with the live tables.
 */
export function fastRebuild(db: Sqlite, store: EventStore, suffix: string, opts: FastRebuildOptions = {}): RebuildOutcome {
  const plan = planRebuild(db, suffix, opts);
  const progress: ProgressTarget[] = [];
  if (plan.metrics) {
    buildMetricsFast(db, `${METRICS}${suffix}`, plan.last, (t) => progress.push(t));
    plan.phase('job_metrics');
  }
  const writer = rebuildOthers(db, store, suffix, plan);
  if (plan.metrics) {
    applyLastProgress(db, writer, progress);
    plan.phase('job progress → job_runs');
  }
  return { events: plan.count, unchanged: new Set(), movedTo: new Map() };
}

/**
 * fastRebuild, with job_metrics built meanwhile by a child process
 * (metrics-worker.ts) into a scratch database next to `db`, which the child
 * then compares with the live job_metrics: where they are the same, the
 * outcome says so (`unchanged`), else where the rebuilt rows are (`movedTo`,
 * the scratch database attached as fts_replay_scratch until
 * cleanUpScratch). The two cores work at once: the
 * child takes the progress events up to a split position (metricsSplit);
 * this process first builds the ones after it, through a second connection,
 * into a keyless table of a second scratch file, which the child appends to
 * its own rows (position order, as the inline projection inserts them) once
 * they are in; then it rebuilds the other tables while the child works.
 * In-process where there is no worker to start (an in-memory database, or
 * the sources run by Jest).
 */
export async function fastRebuildInParallel(db: Sqlite, store: EventStore, suffix: string, opts: FastRebuildOptions = {}): Promise<RebuildOutcome> {
  const worker = metricsWorkerPath();
  if (!worker || !db.name || db.memory) return fastRebuild(db, store, suffix, opts);
  const plan = planRebuild(db, suffix, opts);
  const target = `${METRICS}${suffix}`;
  const outcome: RebuildOutcome = { events: plan.count, unchanged: new Set(), movedTo: new Map() };
  let child: MetricsChild | undefined;
  try {
    const progress: ProgressTarget[] = [];
    if (plan.metrics) {
      const split = metricsSplit(db, plan);
      child = startMetricsChild(worker, db, target, split, split < plan.last);
      if (child.tail) {
        buildTail(db.name, child.tail, plainColumns(db, target)!, split, plan.last, (t) => progress.push(t));
        child.tailReady();
        plan.phase('job_metrics after the split (this process, for the child to append)');
      }
    }
    const writer = rebuildOthers(db, store, suffix, plan);
    if (child && opts.whileWaiting) opts.whileWaiting(writer.bulkTables, plan.phase);
    if (child) {
      const { targets, cpuMs, compareMs, same } = await child.done;
      const s = (ms: number) => (ms / 1000).toFixed(2);
      const ran = `it ran ${s(performance.now() - child.started)} s, compared for ${s(compareMs)} s, CPU ${s(cpuMs)} s`;
      plan.phase(`waited for job_metrics (child process; ${ran}; ${same ? 'the same as the live table' : 'it differs from the live table'})`);
      if (same) outcome.unchanged.add(METRICS);
      else {
        db.exec(`ATTACH ${lit(child.scratch)} AS fts_replay_scratch`);
        outcome.movedTo.set(METRICS, `fts_replay_scratch.${METRICS}`);
      }
      // A job's last event before the split and its last after it: both applied, in position order, leave what the last alone does.
      applyLastProgress(db, writer, [...targets, ...progress]);
      plan.phase('job progress → job_runs');
    }
    return outcome;
  } finally {
    child?.dispose(db);
  }
}

/**
 * The job_metrics rows of the progress events in (first, last] into a keyless
 * table job_metrics (no column types: the values stay as bound until the child
 * appends them, where the target's affinities convert them as a direct insert
 * would) of a fresh scratch file, through a second connection: the caller's
 * holds the write transaction, and the child reads what is committed.
 */
function buildTail(dbPath: string, file: string, cols: string[], first: number, last: number, onTarget: (t: ProgressTarget) => void): void {
  fs.rmSync(file, { force: true });
  const t = openScratch(file, dbPath);
  try {
    t.exec(`CREATE TABLE ${METRICS} (${cols.map(ident).join(', ')})`);
    t.exec('BEGIN');
    buildMetricsFast(t, METRICS, last, onTarget, first);
    t.exec('COMMIT');
  } finally {
    t.close();
  }
}

/** A scratch database (no journal, no fsync: thrown away after the replay) with the events' database attached as `ev`. */
export function openScratch(file: string, dbPath: string): Sqlite {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -524288');
    db.pragma('temp_store = MEMORY');
    db.exec(`ATTACH ${lit(dbPath)} AS ev`);
    db.pragma('ev.mmap_size = 2147418112');
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Where the child process stops building job_metrics (the last position it
 * takes): chosen so that both processes finish about together, this one
 * having the other tables to rebuild and compare as well. Per-event costs
 * measured (wall, both cores busy) on bench/log-scale.mjs's million-event log:
 * here, ~2.4 us per other event (rebuilt and compared) and ~6.7 us per
 * progress event after the split (a keyless table); in the child, ~10.2 us
 * per progress event before it (its table has the primary key), ~4.5 us to
 * append each of the others, and ~2.7 us per progress event to compare the
 * whole table with the live one.
 */
function metricsSplit(db: Sqlite, plan: Plan): number {
  const progress = (db.prepare('SELECT COUNT(*) FROM events WHERE type = ? AND position <= ?').pluck().get(PROGRESS, plan.last) as number);
  const others = plan.count - progress;
  const [other, tail, own, append, compare] = [2.4, 6.7, 10.2, 4.5, 2.7];
  // own * n + append * (progress - n) + compare * progress = other * others + tail * (progress - n)
  const estimate = (others * other + progress * (tail - append - compare)) / (own - append + tail);
  // At least one event: the child always has a part (it is started anyway), and the tail is optional.
  const n = Math.max(1, Math.min(progress, Math.round(estimate)));
  if (n >= progress) return plan.last;
  return db.prepare('SELECT position FROM events WHERE type = ? AND position <= ? ORDER BY position LIMIT 1 OFFSET ?').pluck().get(PROGRESS, plan.last, n - 1) as number;
}

interface Plan {
  last: number;
  count: number;
  present: string[];
  streamTypes: string[];
  inserts: string[];
  removes: string[];
  generic: string[];
  /** Stream type → catalog table whose inserts and removals come from the generic row events, rebuilt set-based. */
  bulk: Map<string, string>;
  metrics: boolean;
  phase: (name?: string) => void;
}

function planRebuild(db: Sqlite, suffix: string, opts: FastRebuildOptions): Plan {
  const upcast = opts.upcasters ?? domainUpcasters;
  const phase = phaseTimer(opts.onPhase);
  db.function(UNSUPPORTED, { varargs: true, deterministic: false }, (...why: unknown[]) => {
    throw new FastPathUnsupported(why.map(String).join(' '));
  });
  // Inside the caller's write transaction: nothing is appended meanwhile.
  const last = (db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number }).p;
  const count = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  const present = db.prepare('SELECT DISTINCT type FROM events').pluck().all() as string[];
  const types = present.filter((t) => !Object.hasOwn(upcast, t));
  const streamTypes = db.prepare('SELECT DISTINCT stream_type FROM events').pluck().all() as string[];
  const inserts = types.filter((t) => projectionHandlerOf(t) === insertRow);
  const removes = types.filter((t) => projectionHandlerOf(t) === removeRow);
  // A stream type with upcast row events has its table rebuilt event by event (each event upcast as read).
  const upcastGeneric = present.filter((t) => Object.hasOwn(upcast, t) && [insertRow, removeRow].includes(projectionHandlerOf(t)!));
  const mixed = new Set(
    upcastGeneric.length
      ? (db.prepare(`SELECT DISTINCT stream_type FROM events WHERE type IN (${list(upcastGeneric)})`).pluck().all() as string[])
      : [],
  );
  const bulk = new Map<string, string>();
  if (inserts.length) {
    for (const st of streamTypes) {
      if (mixed.has(st)) continue;
      const table = Object.hasOwn(STREAM_TABLES, st) ? STREAM_TABLES[st] : undefined;
      if (table && plainColumns(db, `${table}${suffix}`)) bulk.set(st, table);
    }
  }
  const metrics = types.includes(PROGRESS) && plainColumns(db, `${METRICS}${suffix}`) !== undefined;
  phase('plan');
  return { last, count, present, streamTypes, inserts, removes, generic: [...inserts, ...removes], bulk, metrics, phase };
}

/** The catalog tables set-based, then every other event but JobProgressRecorded (when `plan.metrics`) through the inline projection. */
function rebuildOthers(db: Sqlite, store: EventStore, suffix: string, plan: Plan): EventWriter {
  const { bulk, generic, last } = plan;
  for (const [st, table] of bulk) {
    insertSurvivors(db, st, `${table}${suffix}`, plan.inserts, plan.removes, last);
    plan.phase(`catalog rows (set-based): ${table}`);
  }

  // In position order, read through the events_type and events_stream_type indexes (a cursor per type, merged), not by a scan of the log.
  const writer = new EventWriter(db, suffix, new Set(bulk.values()), plan.metrics);
  const cursors: Cursor[] = [];
  for (const t of plan.present) {
    if ((plan.metrics && t === PROGRESS) || generic.includes(t)) continue;
    cursors.push(new Cursor(db.prepare(`SELECT * FROM events WHERE type = ? AND position > ? AND position <= ? ORDER BY position LIMIT ${BATCH}`), [t], last));
  }
  if (generic.length) {
    for (const st of plan.streamTypes) {
      if (bulk.has(st)) continue;
      const sql = `SELECT * FROM events WHERE stream_type = ? AND type IN (${list(generic)}) AND position > ? AND position <= ? ORDER BY position LIMIT ${BATCH}`;
      cursors.push(new Cursor(db.prepare(sql), [st], last));
    }
  }
  for (const e of merged(cursors)) writer.apply(store.toRecorded(e));
  writer.flush();
  plan.phase('other events (inline projection)');
  return writer;
}

/** The compiled metrics-worker.js beside this module, if there is one (not under Jest, which runs the sources). */
function metricsWorkerPath(): string | undefined {
  const file = fileURLToPath(new URL('./metrics-worker.js', import.meta.url));
  return fs.existsSync(file) ? file : undefined;
}

interface MetricsChild {
  scratch: string;
  /** The scratch file this process builds the rows after the split into, if any; then tailReady() once it is complete. */
  tail?: string;
  tailReady(): void;
  /** performance.now() when it was started. */
  started: number;
  done: Promise<MetricsBuilt>;
  dispose(db: Sqlite): void;
}

/** What metrics-worker.ts is sent, and answers. */
export interface MetricsJob {
  dbPath: string;
  scratch: string;
  /** The live job_metrics table's CREATE TABLE text. */
  ddl: string;
  last: number;
  /** A scratch file whose keyless job_metrics table to append once the parent sends TailReady. */
  tail?: string;
}
export interface TailReady {
  tailReady: true;
}
export type MetricsAnswer = MetricsBuilt | { error: string };
export interface MetricsBuilt {
  targets: ProgressTarget[];
  /** The child's CPU time, start-up included, and the wall time of its comparison (replay --profile). */
  cpuMs: number;
  compareMs: number;
  /** The rebuilt rows are the live job_metrics' (sameTable). */
  same: boolean;
}

function startMetricsChild(worker: string, db: Sqlite, target: string, last: number, withTail: boolean): MetricsChild {
  const scratch = `${db.name}.replay-${process.pid}-${Date.now()}`;
  const tail = withTail ? `${scratch}-tail` : undefined;
  const [schema, table] = schemaAndName(db, target);
  const ddl = (db.prepare(`SELECT sql FROM ${schema}.sqlite_master WHERE type = 'table' AND name = ?`).get(table) as { sql: string }).sql;
  const started = performance.now();
  const proc = fork(worker, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  proc.send({ dbPath: db.name, scratch, ddl: ddl.replace(new RegExp(`^CREATE TABLE "?${target}"?`), `CREATE TABLE ${METRICS}`), last, tail } satisfies MetricsJob);
  const done = new Promise<MetricsBuilt>((resolve, reject) => {
    let answered = false;
    proc.on('message', (m: MetricsAnswer) => {
      answered = true;
      if ('error' in m) reject(new FastPathUnsupported(`job_metrics: ${m.error}`));
      else resolve(m);
    });
    proc.on('error', reject);
    proc.once('exit', (code, signal) => {
      if (!answered) reject(new Error(`the job_metrics process exited (${signal ?? code}) without an answer`));
    });
  });
  return {
    scratch,
    tail,
    // A closed channel (the child failed and exited) is told to the callback, not thrown: its answer already says why.
    tailReady: () => {
      if (proc.connected) proc.send({ tailReady: true } satisfies TailReady, () => {});
    },
    started,
    done,
    dispose(db) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill();
      // The scratch file is detached (and removed) once the caller's transaction is over.
      const attached = (db.prepare('SELECT name FROM pragma_database_list').pluck().all() as string[]).includes('fts_replay_scratch');
      const remove = () => {
        for (const f of [scratch, `${scratch}-journal`, ...(tail ? [tail, `${tail}-journal`] : [])]) fs.rmSync(f, { force: true });
      };
      if (!attached) remove();
      else scratchCleanups.push(() => {
        db.exec('DETACH fts_replay_scratch');
        remove();
      });
    },
  };
}

const scratchCleanups: (() => void)[] = [];

/** Detaches and removes the scratch database of fastRebuildInParallel; call after the transaction ends. */
export function cleanUpScratch(): void {
  for (const f of scratchCleanups.splice(0)) f();
}

type EventRow = Parameters<EventStore['toRecorded']>[0];

/** Events of one type (or stream type) in position order, a batch at a time. */
class Cursor {
  rows: EventRow[] = [];
  at = 0;
  private after = 0;
  done = false;

  constructor(
    private readonly stmt: Statement,
    private readonly args: unknown[],
    private readonly last: number,
  ) {}

  /** The next row, reading a batch when the last one is used up; undefined at the end. */
  peek(): EventRow | undefined {
    if (this.at < this.rows.length) return this.rows[this.at];
    if (this.done) return undefined;
    this.rows = this.stmt.all(...this.args, this.after, this.last) as EventRow[];
    this.at = 0;
    if (this.rows.length < BATCH) this.done = true;
    if (this.rows.length === 0) return undefined;
    this.after = this.rows[this.rows.length - 1].position;
    return this.rows[0];
  }
}

/** The cursors' rows merged in position order (each batch is read before its rows are applied: no statement is left open while writing). */
function* merged(cursors: Cursor[]): Generator<EventRow> {
  for (;;) {
    let next: Cursor | undefined;
    let at = Infinity;
    for (const c of cursors) {
      const r = c.peek();
      if (r && r.position < at) ((at = r.position), (next = c));
    }
    if (!next) return;
    yield next.rows[next.at++];
  }
}

/** `schema.table`, or where `name` has no schema, the one SQL finds it in: temp first (the rebuilt tables, replay.ts), then main. */
function schemaAndName(db: Sqlite, name: string): [string, string] {
  const dot = name.indexOf('.');
  if (dot >= 0) return [ident(name.slice(0, dot)), name.slice(dot + 1)];
  const inTemp = db.prepare("SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = ?").get(name);
  return [inTemp ? 'temp' : 'main', name];
}

/** The table's column names, or undefined where a column has a default, is generated or has a collation (the SQL would not match). */
function plainColumns(db: Sqlite, name: string): string[] | undefined {
  const [schema, table] = schemaAndName(db, name);
  const cols = db.prepare(`SELECT name, dflt_value, hidden FROM pragma_table_xinfo(?, ?)`).all(table, schema) as {
    name: string;
    dflt_value: string | null;
    hidden: number;
  }[];
  const sql = (
    db.prepare(`SELECT sql FROM ${ident(schema)}.sqlite_master WHERE type = 'table' AND name = ?`).get(table) as { sql: string } | undefined
  )?.sql;
  if (!sql || /\bCOLLATE\b/i.test(sql) || cols.length === 0) return undefined;
  if (cols.some((c) => c.dflt_value !== null || c.hidden !== 0 || !IDENT.test(c.name))) return undefined;
  return cols.map((c) => c.name);
}

/** The last JobProgressRecorded (position) that updates row `id` of `table` (undefined: of whichever table it updates) besides its metrics. */
export interface ProgressTarget {
  table?: string;
  id: string;
  position: number;
}

const METRICS_BATCH = 32;

/**
 * job_metrics from every JobProgressRecorded, through its own projection:
 * each event is read (through the events_type index), parsed and projected,
 * and its job_metrics rows are inserted 32 to a statement, in position order
 * (into a temporary table, then into `target` at once).
 * Its other mutations (today: the job_runs row's outputs_offset and
 * updated_at) are not applied here: they must be updates of one row keyed
 * by the event's `id`, with the same columns in every event (checked), so
 * that only the last event of each row can leave a value behind;
 * `onTarget` is told the last position for each such row, and
 * applyLastProgress applies them once the other events are in.
 */
export function buildMetrics(db: Sqlite, target: string, last: number, onTarget: (t: ProgressTarget) => void, first = 0): number {
  const cols = plainColumns(db, target);
  if (!cols) throw new FastPathUnsupported(`${target} has defaults, generated columns or collations`);
  const known = new Set(cols);
  // The rows go to a temporary table without keys first (appends), then to `target` in one
  // INSERT ... SELECT: its primary key index takes them in random order, which costs 3-5x
  // more when interleaved with the parsing and projecting than in one statement.
  const stage = 'temp.fts_replay_metrics';
  db.exec(`DROP TABLE IF EXISTS ${stage}`);
  db.exec(`CREATE TABLE ${stage} (${cols.join(', ')})`);
  const tuple = `(${cols.map(() => '?').join(', ')})`;
  const many = db.prepare(`INSERT INTO ${stage} VALUES ${Array(METRICS_BATCH).fill(tuple).join(', ')}`);
  const one = db.prepare(`INSERT INTO ${stage} VALUES ${tuple}`);
  const read = db.prepare(
    `SELECT position, stream_id, stream_type, stream_version, type, schema_version, data, metadata, recorded_at
     FROM events WHERE type = ? AND position > ? AND position <= ? ORDER BY position LIMIT ${BATCH}`,
  );
  const width = cols.length;
  const buf: unknown[] = new Array(width * METRICS_BATCH);
  let b = 0;
  let rows = 0;
  const shape = new ProgressShape();
  let after = first;
  for (;;) {
    const batch = read.all(PROGRESS, after, last) as EventRow[];
    for (const r of batch) {
      const e = lightEvent(r);
      for (const m of projectEvent(e)) {
        if (m.table === METRICS) {
          if (m.op !== 'insert') throw new FastPathUnsupported(`${PROGRESS} at ${r.position}: ${m.op} ${METRICS}`);
          const row = m.row;
          for (const k in row) if (!known.has(k)) throw new FastPathUnsupported(`${PROGRESS} at ${r.position}: no column ${k}`);
          for (let i = 0; i < width; i++) buf[b++] = toSql(row[cols[i]]);
          rows++;
          if (b === buf.length) {
            many.run(buf);
            b = 0;
          }
          continue;
        }
        shape.add(m, e);
      }
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1].position;
  }
  for (let i = 0; i < b; i += width) one.run(buf.slice(i, i + width));
  db.exec(`INSERT INTO ${target} (${cols.join(', ')}) SELECT * FROM ${stage} ORDER BY rowid`);
  db.exec(`DROP TABLE ${stage}`);
  for (const t of shape.targets.values()) onTarget(t);
  return rows;
}

/**
 * buildMetrics without the generic projection, about 25% less CPU than the
 * same in SQL (JSON.parse against nine JSON function calls per point): each
 * event's rows are made by the very expressions of the projection's
 * JobProgressRecorded handler (libs/domain job-lifecycle.projection.ts: id
 * `<id>:<first_seq + i>`, step and at as they are, the other numbers through
 * optional(), attempt 1 when absent) and bound as SqliteProjector binds them
 * (toSql), 64 rows to a statement; into a keyless temporary table first
 * where `target` has indexes (as buildMetrics). What the projection would
 * throw on or not bind (a payload that is not an object, points that are not
 * an array, a null point, an object where a value is bound) and a job id
 * that is not a string stop it (FastPathUnsupported). For the events' other
 * mutations, `onTarget` is told each job id's last event: applyLastProgress
 * projects it; that each event updates the same columns of the row keyed by
 * its id is what buildMetrics checks on every event and replay.spec.ts on the
 * projection. replay.spec.ts compares the rows with buildMetrics'.
 */
export function buildMetricsJs(db: Sqlite, target: string, last: number, onTarget: (t: ProgressTarget) => void, first = 0): void {
  const cols = plainColumns(db, target);
  if (cols?.join() !== METRIC_COLUMNS.join()) throw new FastPathUnsupported(`${target} has other columns than expected`);
  const [schema, table] = schemaAndName(db, target);
  const keyed = (db.prepare('SELECT COUNT(*) FROM pragma_index_list(?, ?)').pluck().get(table, schema) as number) > 0;
  const stage = keyed ? 'temp.fts_replay_metrics' : target;
  if (keyed) {
    db.exec(`DROP TABLE IF EXISTS ${stage}`);
    db.exec(`CREATE TABLE ${stage} (${cols.join(', ')})`);
  }
  const width = cols.length;
  const tuple = `(${cols.map(() => '?').join(', ')})`;
  const many = db.prepare(`INSERT INTO ${stage} VALUES ${Array(JS_BATCH).fill(tuple).join(', ')}`);
  const one = db.prepare(`INSERT INTO ${stage} VALUES ${tuple}`);
  const read = db
    .prepare(`SELECT position, data FROM events WHERE type = ? AND position > ? AND position <= ? ORDER BY position LIMIT ${BATCH}`)
    .raw(true);
  const buf: unknown[] = new Array(width * JS_BATCH);
  let b = 0;
  const lastOf = new Map<string, number>();
  for (let after = first; ; ) {
    const batch = read.all(PROGRESS, after, last) as [number, string][];
    for (const [position, data] of batch) {
      const d = JSON.parse(data) as { id?: unknown; first_seq?: unknown; points?: unknown } | null;
      if (d === null || typeof d !== 'object' || typeof d.id !== 'string' || !Array.isArray(d.points)) {
        throw new FastPathUnsupported(`${PROGRESS} at ${position}: not the payload the projection reads`);
      }
      const id = d.id;
      const points = d.points as unknown[];
      for (let i = 0; i < points.length; i++) {
        const p = points[i] as Record<string, unknown> | null | undefined;
        if (p === null || p === undefined) throw new FastPathUnsupported(`${PROGRESS} at ${position}: a null point`);
        const seq = (d.first_seq as number) + i;
        buf[b++] = `${id}:${seq}`;
        buf[b++] = id;
        buf[b++] = bindable(seq, position);
        buf[b++] = bindable(p.step, position);
        buf[b++] = optional(p.total_steps);
        buf[b++] = optional(p.epoch);
        buf[b++] = optional(p.loss);
        buf[b++] = optional(p.eval_loss);
        buf[b++] = optional(p.learning_rate);
        buf[b++] = optional(p.grad_norm);
        buf[b++] = bindable(p.at, position);
        buf[b++] = optional(p.attempt) ?? 1;
        if (b === buf.length) {
          many.run(buf);
          b = 0;
        }
      }
      lastOf.set(id, position);
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1][0];
  }
  for (let i = 0; i < b; i += width) one.run(buf.slice(i, i + width));
  if (keyed) {
    db.exec(`INSERT INTO ${target} (${cols.join(', ')}) SELECT * FROM ${stage} ORDER BY rowid`);
    db.exec(`DROP TABLE ${stage}`);
  }
  for (const [id, position] of lastOf) onTarget({ id, position });
}

const JS_BATCH = 64;

/** The projection's optional(). */
const optional = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** toSql (SqliteProjector's), where the value is one better-sqlite3 binds. */
function bindable(v: unknown, position: number): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object' && v !== null) throw new FastPathUnsupported(`${PROGRESS} at ${position}: an object where a value is bound`);
  return v;
}

const METRIC_COLUMNS = ['id', 'job_id', 'seq', 'step', 'total_steps', 'epoch', 'loss', 'eval_loss', 'learning_rate', 'grad_norm', 'at', 'attempt'];

/** The check buildMetrics makes of the progress events' other mutations, and the last position per row they update. */
class ProgressShape {
  private readonly signatures = new Map<string, string>();
  readonly targets = new Map<string, ProgressTarget>();

  add(m: Mutation, e: RecordedEvent): void {
    if (m.op !== 'update' || typeof m.id !== 'string' || m.id !== (e.data as { id?: unknown }).id || Object.hasOwn(m.set, 'id')) {
      throw new FastPathUnsupported(`${PROGRESS} at ${e.position}: ${m.op} ${m.table}`);
    }
    const signature = Object.keys(m.set).sort().join();
    const seen = this.signatures.get(m.table);
    if (seen === undefined) this.signatures.set(m.table, signature);
    else if (seen !== signature) throw new FastPathUnsupported(`${PROGRESS} at ${e.position} sets other columns of ${m.table}`);
    this.targets.set(`${m.table}\0${m.id}`, { table: m.table, id: m.id, position: e.position });
  }
}

/** buildMetricsJs; where it stops (FastPathUnsupported), rolled back and buildMetrics instead. */
export function buildMetricsFast(db: Sqlite, target: string, last: number, onTarget: (t: ProgressTarget) => void, first = 0): void {
  const targets: ProgressTarget[] = [];
  db.exec('SAVEPOINT fts_replay_metrics');
  try {
    buildMetricsJs(db, target, last, (t) => targets.push(t), first);
    db.exec('RELEASE fts_replay_metrics');
  } catch (e) {
    db.exec('ROLLBACK TO fts_replay_metrics');
    db.exec('RELEASE fts_replay_metrics');
    if (!(e instanceof FastPathUnsupported)) throw e;
    targets.length = 0;
    buildMetrics(db, target, last, (t) => targets.push(t), first);
  }
  for (const t of targets) onTarget(t);
}

/** The stored event as store.toRecorded reads it (no upcaster applies to the types read this way), its metadata parsed only if read. */
function lightEvent(r: EventRow): RecordedEvent {
  let metadata: EventMetadata | undefined;
  return {
    position: r.position,
    streamId: r.stream_id,
    streamType: r.stream_type,
    streamVersion: r.stream_version,
    type: r.type,
    schemaVersion: r.schema_version,
    data: JSON.parse(r.data) as unknown,
    get metadata() {
      return (metadata ??= JSON.parse(r.metadata) as EventMetadata);
    },
    recordedAt: r.recorded_at,
  };
}

/**
 * The rows of `table` still there after the generic row events of stream type
 * `st`: per id, the last insert or removal; where it is an insert, the row as
 * that event carries it (bound()), with its position as rowid.
 */
function insertSurvivors(db: Sqlite, st: string, table: string, inserts: string[], removes: string[], last: number): void {
  const cols = plainColumns(db, table)!;
  const col = (c: string) => `c_${c}`;
  db.prepare(
    `INSERT INTO ${table} (rowid, ${cols.join(', ')})
     SELECT pos, ${cols.map((c) => bound(col(c))).join(', ')}
     FROM (
       SELECT e.position AS pos, ${cols.map((c) => `e.data ->> ${lit(`$.row.${c}`)} AS ${col(c)}`).join(', ')}
       FROM (
         SELECT max(position) AS p, ins FROM (
           SELECT position, ins, CASE WHEN typeof(rid) = 'text' THEN rid ELSE ${UNSUPPORTED}('row id at', position) END AS rid
           FROM (
             SELECT position, type IN (${list(inserts)}) AS ins, iif(type IN (${list(inserts)}), data ->> '$.row.id', data ->> '$.id') AS rid
             FROM events WHERE stream_type = ? AND type IN (${list([...inserts, ...removes])}) AND position <= ? LIMIT -1 OFFSET 0
           )
         ) GROUP BY rid
       ) s JOIN events e ON e.position = s.p
       WHERE s.ins
       ORDER BY e.position LIMIT -1 OFFSET 0
     )`,
  ).run(st, last);
}

interface Tracked {
  /** Position of the insert that made the row. */
  ins: number;
  /** Column → position of the last update that set it. */
  cols: Map<string, number>;
}

/**
 * Applies the inline projection of the events the SQL did not take, in
 * position order. Tables the SQL filled get updates only, and only where the
 * row's insert (its rowid) came first; inserts or removals there, or any
 * write to job_metrics when the SQL filled it, stop the fast path. For the
 * other tables, SqliteProjector's coalescing, plus where each row's columns
 * were last written (applyLastProgress merges by it).
 */
class EventWriter {
  private readonly projector: SqliteProjector;
  /** table → id → merged set and the row's rowid (-1: no such row). */
  private readonly bulkUpdates = new Map<string, Map<string, { rowid: number; set: Record<string, unknown> }>>();
  private readonly rowids = new Map<string, Statement>();
  readonly tracked = new Map<string, Map<string, Tracked>>();
  /** Tables whose tracking is not exact (a non-string id, an id changed by an update). */
  readonly untracked = new Set<string>();

  constructor(
    private readonly db: Sqlite,
    readonly suffix: string,
    readonly bulkTables: Set<string>,
    private readonly metrics: boolean,
  ) {
    this.projector = new SqliteProjector(db, suffix, true);
  }

  apply(e: RecordedEvent): void {
    const mutations = projectEvent(e);
    const rest: Mutation[] = [];
    for (const m of mutations) {
      if (this.metrics && m.table === METRICS) throw new FastPathUnsupported(`${e.type} writes ${METRICS}`);
      if (this.bulkTables.has(m.table)) {
        if (m.op !== 'update' || Object.hasOwn(m.set, 'id')) throw new FastPathUnsupported(`${e.type} ${m.op}s ${m.table}`);
        this.bulkUpdate(m.table, m.id, m.set, e.position);
        continue;
      }
      this.track(m, e.position);
      rest.push(m);
    }
    if (rest.length) this.projector.apply(rest);
  }

  private bulkUpdate(table: string, id: string, set: Row, position: number): void {
    let rows = this.bulkUpdates.get(table);
    if (!rows) this.bulkUpdates.set(table, (rows = new Map()));
    let held = rows.get(id);
    if (!held) {
      let stmt = this.rowids.get(table);
      if (!stmt) this.rowids.set(table, (stmt = this.db.prepare(`SELECT rowid AS r FROM ${ident(table)}${this.suffix} WHERE id = ?`).pluck()));
      const rowid = stmt.get(id) as number | undefined;
      rows.set(id, (held = { rowid: rowid ?? -1, set: {} }));
    }
    // The row the SQL inserted is the id's last incarnation: an update before its insert touched an earlier one.
    if (held.rowid >= 0 && held.rowid < position) Object.assign(held.set, set);
  }

  private track(m: Mutation, position: number): void {
    if (this.untracked.has(m.table)) return;
    let rows = this.tracked.get(m.table);
    if (!rows) this.tracked.set(m.table, (rows = new Map()));
    if (m.op === 'insert') {
      if (typeof m.row.id !== 'string') this.untracked.add(m.table);
      else rows.set(m.row.id, { ins: position, cols: new Map() });
    } else if (m.op === 'delete') {
      rows.delete(String(m.id));
    } else {
      if (Object.hasOwn(m.set, 'id') || typeof m.id !== 'string') {
        this.untracked.add(m.table);
        return;
      }
      const t = rows.get(m.id);
      if (t) for (const c of Object.keys(m.set)) t.cols.set(c, position);
    }
  }

  flush(): void {
    this.projector.flush();
    for (const [table, rows] of this.bulkUpdates) {
      for (const { rowid, set } of rows.values()) {
        const cols = Object.keys(set);
        if (rowid < 0 || cols.length === 0) continue;
        this.db
          .prepare(`UPDATE ${ident(table)}${this.suffix} SET ${cols.map((c) => `${ident(c)} = ?`).join(', ')} WHERE rowid = ?`)
          .run(...cols.map((c) => toSql(set[c])), rowid);
      }
    }
    this.bulkUpdates.clear();
  }
}

/**
 * JobProgressRecorded's effect besides its metrics (buildMetrics checked its
 * shape): for each row it updates, the last event for that row is projected
 * again and each column it sets is written unless the row was inserted after
 * it, or another event set that column after it.
 */
function applyLastProgress(db: Sqlite, writer: EventWriter, targets: ProgressTarget[]): void {
  const read = db.prepare('SELECT * FROM events WHERE position = ?');
  const updates = new Map<string, Statement>();
  const byPosition = new Map<number, ProgressTarget[]>();
  for (const t of targets) byPosition.set(t.position, [...(byPosition.get(t.position) ?? []), t]);
  for (const [position, rows] of [...byPosition].sort((a, b) => a[0] - b[0])) {
    const e = lightEvent(read.get(position) as EventRow);
    for (const m of projectEvent(e)) {
      if (m.op !== 'update' || !rows.some((t) => (t.table ?? m.table) === m.table && t.id === m.id)) continue;
      if (m.table === METRICS || m.id !== (e.data as { id?: unknown }).id || Object.hasOwn(m.set, 'id')) {
        throw new FastPathUnsupported(`${PROGRESS} at ${position}: ${m.op} ${m.table}`);
      }
      if (writer.bulkTables.has(m.table) || writer.untracked.has(m.table)) {
        throw new FastPathUnsupported(`${PROGRESS} at ${position} updates ${m.table}`);
      }
      const t = writer.tracked.get(m.table)?.get(m.id);
      if (!t || t.ins > position) continue;
      const cols = Object.keys(m.set).filter((c) => (t.cols.get(c) ?? t.ins) < position);
      if (cols.length === 0) continue;
      const sql = `UPDATE ${ident(m.table)}${writer.suffix} SET ${cols.map((c) => `${ident(c)} = ?`).join(', ')} WHERE id = ?`;
      let stmt = updates.get(sql);
      if (!stmt) updates.set(sql, (stmt = db.prepare(sql)));
      stmt.run(...cols.map((c) => toSql(m.set[c])), m.id);
    }
  }
}

function toSql(v: unknown) {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** Reports the time since the last call under `name`; without a name, restarts the clock only. */
export function phaseTimer(onPhase: FastRebuildOptions['onPhase']) {
  let t = performance.now();
  return (name?: string) => {
    const now = performance.now();
    if (name) onPhase?.(name, now - t);
    t = now;
  };
}
