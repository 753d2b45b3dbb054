import { ALL_TABLES, projectEvent, type Upcaster } from '@fts/domain';
import type { Sqlite } from '../database/open-database.js';
import type { EventStore } from '../event-store/event-store.js';
import { SqliteProjector } from '../event-store/sqlite-projector.js';
import { fillConfigContentKeys } from '../event-store/config-content-keys.js';
import { cleanUpScratch, fastRebuild, fastRebuildInParallel, phaseTimer, type FastRebuildOptions } from './fast-rebuild.js';

const PROJECTION_TABLES = ALL_TABLES.map((t) => t.name);

export interface TableDifference {
  table: string;
  /** Row ids (or `#n` positions) that differ between the live table and the rebuilt one. */
  rows: string[];
  liveCount: number;
  rebuiltCount: number;
}

export interface ReplayOptions {
  /** 'auto' (the default): set-based where fast-rebuild.ts can, else event by event; 'events': event by event only. */
  mode?: 'auto' | 'events';
  /** The upcasters the store applies (default: the domain's); their event types are always projected event by event. */
  upcasters?: Record<string, Upcaster>;
  /** Each phase of the rebuild and its wall time in ms (replay --profile). */
  onPhase?: (phase: string, ms: number) => void;
  /** Why the set-based rebuild gave up (it was rolled back and the replay went event by event). */
  onFallback?: (reason: string) => void;
  /** See FastRebuildOptions.whileWaiting (replayInParallel swaps the complete tables in meanwhile). */
  whileWaiting?: FastRebuildOptions['whileWaiting'];
}

/**
 * Rebuilds every projection from position 0 into `<table><suffix>` tables
 * created with the live tables' own DDL. Returns the number of events read.
 * Set-based where it can (fast-rebuild.ts); where the log holds something the
 * set-based rebuild does not reproduce, it is rolled back (a savepoint) and
 * every event is projected in turn, as the inline projection does.
 */
export function rebuildProjections(db: Sqlite, store: EventStore, suffix: string, opts: ReplayOptions = {}): number {
  createRebuildTables(db, suffix);
  if (opts.mode !== 'events') {
    db.exec('SAVEPOINT fts_replay_fast');
    try {
      const n = fastRebuild(db, store, suffix, opts);
      db.exec('RELEASE fts_replay_fast');
      return n;
    } catch (e) {
      db.exec('ROLLBACK TO fts_replay_fast');
      db.exec('RELEASE fts_replay_fast');
      opts.onFallback?.(e instanceof Error ? e.message : String(e));
    }
  }
  const started = performance.now();
  // Updates of a row merged and written once (a running job's progress updates its job_runs row at every event).
  const projector = new SqliteProjector(db, suffix, true);
  let n = 0;
  for (const e of store.iterate()) {
    projector.apply(projectEvent(e));
    n++;
  }
  projector.flush();
  opts.onPhase?.('every event (inline projection)', performance.now() - started);
  return n;
}

/** rebuildProjections, with job_metrics built by a second process meanwhile (fastRebuildInParallel): for the CLI. */
export async function rebuildProjectionsInParallel(db: Sqlite, store: EventStore, suffix: string, opts: ReplayOptions = {}): Promise<number> {
  if (opts.mode === 'events') return rebuildProjections(db, store, suffix, opts);
  createRebuildTables(db, suffix);
  db.exec('SAVEPOINT fts_replay_fast');
  try {
    const n = await fastRebuildInParallel(db, store, suffix, opts);
    db.exec('RELEASE fts_replay_fast');
    return n;
  } catch (e) {
    db.exec('ROLLBACK TO fts_replay_fast');
    db.exec('RELEASE fts_replay_fast');
    opts.onFallback?.(e instanceof Error ? e.message : String(e));
  }
  return rebuildProjections(db, store, suffix, { ...opts, mode: 'events' });
}

function createRebuildTables(db: Sqlite, suffix: string): void {
  for (const t of PROJECTION_TABLES) {
    db.exec(`DROP TABLE IF EXISTS ${t}${suffix}`);
    db.exec(liveDdl(db, t).replace(new RegExp(`^CREATE TABLE "?${t}"?`), `CREATE TABLE ${t}${suffix}`));
  }
}

/**
 * Settings for a rebuild that writes a few hundred MB in one transaction:
 * events read through a memory map (no copy into the page cache), a page
 * cache that holds the rebuilt tables (no spilling to the WAL mid-way), and
 * a temporary-table cache for the job_metrics rows staged there (fast-rebuild.ts), and
 * synchronous=NORMAL, which in WAL mode keeps every commit atomic (a crash
 * leaves the old tables or the new ones) and only skips the fsync of the
 * commit itself (after power loss the old, consistent tables may come back).
 * The previous values are restored after.
 */
const REBUILD_SETTINGS = ['cache_size = -524288', 'temp.cache_size = -262144', 'mmap_size = 2147418112', 'synchronous = NORMAL'];

function withRebuildSettings<T>(db: Sqlite, fn: () => T): T {
  const restore = applySettings(db);
  try {
    return fn();
  } finally {
    restore();
  }
}

async function withRebuildSettingsAsync<T>(db: Sqlite, fn: () => Promise<T>): Promise<T> {
  const restore = applySettings(db);
  try {
    return await fn();
  } finally {
    restore();
  }
}

function applySettings(db: Sqlite): () => void {
  const saved = REBUILD_SETTINGS.map((s) => s.split(' = ')[0]).map((n) => [n, db.pragma(n, { simple: true })] as const);
  for (const s of REBUILD_SETTINGS) db.pragma(s);
  return () => {
    for (const [n, v] of saved) db.pragma(`${n} = ${Number(v)}`);
  };
}

/** Rebuilds the projections and swaps them in, all in one transaction. */
export function replay(db: Sqlite, store: EventStore, opts: ReplayOptions = {}): { events: number } {
  const suffix = '__replay';
  const phase = phaseTimer(opts.onPhase);
  return withRebuildSettings(db, () =>
    inTransaction(db, () => {
      const indexes = PROJECTION_TABLES.flatMap((t) => liveIndexes(db, t));
      const events = rebuildProjections(db, store, suffix, opts);
      phase();
      swapIn(db, suffix, indexes, phase);
      return { events };
    }, () => phase('commit')),
  );
}

/**
 * replay, with job_metrics built by a second process meanwhile
 * (rebuildProjectionsInParallel): what `fts replay` runs. While that process
 * works, the live tables are dropped and the catalog tables that are complete
 * are renamed in and indexed; the rest follow once job_metrics is in.
 */
export async function replayInParallel(db: Sqlite, store: EventStore, opts: ReplayOptions = {}): Promise<{ events: number }> {
  const suffix = '__replay';
  const phase = phaseTimer(opts.onPhase);
  return withRebuildSettingsAsync(db, async () => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const indexes = new Map(PROJECTION_TABLES.map((t) => [t, liveIndexes(db, t)]));
      let early: { keyed: boolean; swapped: Set<string> } | undefined;
      const events = await rebuildProjectionsInParallel(db, store, suffix, {
        ...opts,
        whileWaiting: (complete, rebuildPhase) => {
          // AddConfig's index keeps the keys of configs whose text did not change: compared with the finished configs table.
          if (!complete.has('configs')) return;
          const keyed = keepConfigKeys(db, suffix);
          rebuildPhase('meanwhile: config content keys kept');
          for (const t of PROJECTION_TABLES) db.exec(`DROP TABLE ${t}`);
          rebuildPhase('meanwhile: live tables dropped');
          const swapped = new Set(PROJECTION_TABLES.filter((t) => complete.has(t)));
          for (const t of swapped) {
            db.exec(`ALTER TABLE ${t}${suffix} RENAME TO ${t}`);
            for (const sql of indexes.get(t)!) db.exec(sql);
          }
          rebuildPhase('meanwhile: catalog tables renamed, indexed');
          if (keyed) rekeyConfigs(db);
          rebuildPhase('meanwhile: configs rekeyed');
          early = { keyed, swapped };
        },
        onFallback: (reason) => {
          // The savepoint rolled the early swap back with the rest.
          early = undefined;
          opts.onFallback?.(reason);
        },
      });
      phase();
      if (!early) swapIn(db, suffix, [...indexes.values()].flat(), phase);
      else {
        for (const t of PROJECTION_TABLES) {
          if (early.swapped.has(t)) continue;
          db.exec(`ALTER TABLE ${t}${suffix} RENAME TO ${t}`);
          for (const sql of indexes.get(t)!) db.exec(sql);
        }
        phase('swap in the rest, indexes');
      }
      db.exec('COMMIT');
      phase('commit');
      return { events };
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    } finally {
      cleanUpScratch();
    }
  });
}

/** Drops the live tables, renames the rebuilt ones in their place, recreates the indexes and triggers, rekeys the configs. */
function swapIn(db: Sqlite, suffix: string, indexes: string[], phase: (name?: string) => void): void {
  const keyed = keepConfigKeys(db, suffix);
  for (const t of PROJECTION_TABLES) {
    db.exec(`DROP TABLE ${t}`);
    db.exec(`ALTER TABLE ${t}${suffix} RENAME TO ${t}`);
  }
  phase('swap tables');
  for (const sql of indexes) db.exec(sql);
  phase('indexes');
  if (keyed) rekeyConfigs(db);
  phase('config content keys');
}

/** BEGIN IMMEDIATE (other writers wait; nothing is appended meanwhile), fn, COMMIT; ROLLBACK if anything throws. */
function inTransaction<T>(db: Sqlite, fn: () => T, committed?: () => void): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const out = fn();
    db.exec('COMMIT');
    committed?.();
    return out;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

/** Rebuilds beside the live tables and lists every difference; changes nothing (the rebuild is rolled back). */
export function verify(
  db: Sqlite,
  store: EventStore,
  opts: ReplayOptions = {},
): { events: number; differences: TableDifference[] } {
  const suffix = '__verify';
  const phase = phaseTimer(opts.onPhase);
  return withRebuildSettings(db, () => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const events = rebuildProjections(db, store, suffix, opts);
      phase();
      return { events, differences: compareAll(db, suffix, phase) };
    } finally {
      db.exec('ROLLBACK');
      phase('roll back');
    }
  });
}

/** verify, with job_metrics built by a second process meanwhile: what `fts replay --verify` runs. */
export async function verifyInParallel(
  db: Sqlite,
  store: EventStore,
  opts: ReplayOptions = {},
): Promise<{ events: number; differences: TableDifference[] }> {
  const suffix = '__verify';
  const phase = phaseTimer(opts.onPhase);
  return withRebuildSettingsAsync(db, async () => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const events = await rebuildProjectionsInParallel(db, store, suffix, opts);
      phase();
      return { events, differences: compareAll(db, suffix, phase) };
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      phase('roll back');
      cleanUpScratch();
    }
  });
}

function compareAll(db: Sqlite, suffix: string, phase: (name?: string) => void): TableDifference[] {
  const differences = PROJECTION_TABLES.map((t) => compareTables(db, t, `${t}${suffix}`)).filter(
    (d): d is TableDifference => d !== undefined,
  );
  phase('compare');
  return differences;
}

/**
 * Both tables in rowid order, side by side, a row at a time (constant memory).
 * Integers as BigInt: a JavaScript number would round values past 2^53 and hide the difference.
 */
function compareTables(db: Sqlite, live: string, rebuilt: string): TableDifference | undefined {
  if (sameInSql(db, live, rebuilt)) return undefined;
  const sa = db.prepare(`SELECT * FROM ${live} ORDER BY rowid`).safeIntegers(true).raw(true);
  const sb = db.prepare(`SELECT * FROM ${rebuilt} ORDER BY rowid`).safeIntegers(true).raw(true);
  const names = sa.columns().map((c) => c.name);
  const sameShape = names.join() === sb.columns().map((c) => c.name).join();
  const idAt = names.indexOf('id');
  const ia = sa.iterate() as IterableIterator<unknown[]>;
  const ib = sb.iterate() as IterableIterator<unknown[]>;
  const rows: string[] = [];
  let liveCount = 0;
  let rebuiltCount = 0;
  try {
    for (let i = 0; ; i++) {
      const a = ia.next();
      const b = ib.next();
      if (a.done && b.done) break;
      if (!a.done) liveCount++;
      if (!b.done) rebuiltCount++;
      const x = a.done ? undefined : a.value;
      const y = b.done ? undefined : b.value;
      if (!sameShape || !x || !y || !sameValues(x, y)) rows.push(String((idAt >= 0 ? (x?.[idAt] ?? y?.[idAt]) : undefined) ?? `#${i}`));
    }
  } finally {
    ia.return?.();
    ib.return?.();
  }
  return rows.length ? { table: live, rows, liveCount, rebuiltCount } : undefined;
}

/**
 * True only if compareTables would find no difference, checked in SQL (a join
 * on rowid; a million rows in well under a second, against several seconds
 * in JavaScript): the same columns, the same rowids, and in each row every
 * value of the same storage type and equal (integers exactly, text and blobs
 * byte for byte). Where the rowids differ (the set-based rebuild numbers
 * catalog rows by position), or a column has no type (BLOB affinity keeps
 * -0.0 apart from 0.0, which = does not tell), false: compared row by row.
 */
function sameInSql(db: Sqlite, live: string, rebuilt: string): boolean {
  const columns = (t: string) => db.prepare('SELECT name, type FROM pragma_table_info(?)').all(t) as { name: string; type: string }[];
  const cols = columns(live);
  if (JSON.stringify(cols.map((c) => c.name)) !== JSON.stringify(columns(rebuilt).map((c) => c.name))) return false;
  if (cols.some((c) => !c.type || /BLOB/i.test(c.type))) return false;
  const q = (c: string) => `"${c.replace(/"/g, '""')}"`;
  const same = cols.map(({ name }) => `typeof(a.${q(name)}) = typeof(b.${q(name)}) AND a.${q(name)} IS b.${q(name)} COLLATE BINARY`);
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const n = count(`SELECT COUNT(*) FROM ${live}`);
  if (n !== count(`SELECT COUNT(*) FROM ${rebuilt}`)) return false;
  return n === count(`SELECT COUNT(*) FROM ${live} a JOIN ${rebuilt} b ON b.rowid = a.rowid WHERE ${same.join(' AND ') || '1'}`);
}

function sameValues(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
  return true;
}

/** Column by column, by storage type and exact value (not JSON.stringify, which writes ±Infinity and NaN as null). */
export function sameRow(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean {
  if (!a || !b) return a === b;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
}

function sameValue(x: unknown, y: unknown): boolean {
  if (Buffer.isBuffer(x) || Buffer.isBuffer(y)) return Buffer.isBuffer(x) && Buffer.isBuffer(y) && x.equals(y);
  return typeof x === typeof y && Object.is(x, y);
}

/**
 * The keys of the configs whose type and text the rebuild left as they were
 * (all of them, normally), kept in a temporary table so that rekeyConfigs
 * parses only the others. False when there is no index (an older schema).
 */
function keepConfigKeys(db: Sqlite, suffix: string): boolean {
  const keyed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config_content_keys'").get();
  if (!keyed) return false;
  db.exec('DROP TABLE IF EXISTS temp.replay_config_keys');
  db.exec(`CREATE TEMP TABLE replay_config_keys AS
    SELECT n.id AS id, k.content_key AS content_key FROM configs${suffix} n
    JOIN configs o ON o.id = n.id AND o.type IS n.type AND o.config IS n.config
    JOIN config_content_keys k ON k.id = n.id AND k.content_key IS NOT NULL`);
  return true;
}

/** The rebuilt configs table fired no triggers: AddConfig's index is rebuilt from it (keys kept where the text is the same). */
function rekeyConfigs(db: Sqlite): void {
  db.exec('DELETE FROM config_content_keys');
  db.exec(`INSERT INTO config_content_keys (id, type, model_family, content_key)
    SELECT c.id, c.type, c.model_family, r.content_key FROM configs c LEFT JOIN temp.replay_config_keys r ON r.id = c.id`);
  db.exec('DROP TABLE temp.replay_config_keys');
  fillConfigContentKeys(db);
}

function liveDdl(db: Sqlite, table: string): string {
  const r = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as
    | { sql: string }
    | undefined;
  if (!r) throw new Error(`table ${table} does not exist; run the migrations first`);
  return r.sql;
}

/** The table's indexes and triggers (config_content_keys' triggers live on configs), to recreate on the rebuilt table. */
function liveIndexes(db: Sqlite, table: string): string[] {
  return (
    db.prepare("SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = ? AND sql IS NOT NULL").all(table) as {
      sql: string;
    }[]
  ).map((r) => r.sql);
}
