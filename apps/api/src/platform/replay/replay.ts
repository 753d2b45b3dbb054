import { ALL_TABLES, projectEvent, type Upcaster } from '@fts/domain';
import type { Sqlite } from '../database/open-database.js';
import type { EventStore } from '../event-store/event-store.js';
import { SqliteProjector } from '../event-store/sqlite-projector.js';
import { fillConfigContentKeys } from '../event-store/config-content-keys.js';
import { cleanUpScratch, fastRebuild, fastRebuildInParallel, phaseTimer, type FastRebuildOptions, type RebuildOutcome } from './fast-rebuild.js';
import { compareTables, sameTable, type TableDifference } from './table-compare.js';

export type { TableDifference };

const PROJECTION_TABLES = ALL_TABLES.map((t) => t.name);

export interface ReplayOptions {
  /** 'auto' (the default): set-based where fast-rebuild.ts can, else event by event; 'events': event by event only. */
  mode?: 'auto' | 'events';
  /** The upcasters the store applies (default: the domain's); their event types are always projected event by event. */
  upcasters?: Record<string, Upcaster>;
  /** Each phase of the rebuild and its wall time in ms (replay --profile). */
  onPhase?: (phase: string, ms: number) => void;
  /** Why the set-based rebuild gave up (it was rolled back and the replay went event by event). */
  onFallback?: (reason: string) => void;
  /** See FastRebuildOptions.whileWaiting (replayInParallel compares the complete tables meanwhile). */
  whileWaiting?: FastRebuildOptions['whileWaiting'];
}

export interface ReplayResult {
  /** The events read. */
  events: number;
  /** The projection tables whose rows differed from the rebuild's and were replaced by it; the others were left as they were. */
  rewritten: string[];
}

/**
 * Rebuilds every projection from position 0 into temporary tables
 * `temp.<table><suffix>` created with the live tables' own DDL (a temporary
 * table is never written to the WAL: a replay that finds the live tables
 * right writes nothing). Set-based where it can (fast-rebuild.ts); where the
 * log holds something the set-based rebuild does not reproduce, it is rolled
 * back (a savepoint) and every event is projected in turn, as the inline
 * projection does.
 */
export function rebuildProjections(db: Sqlite, store: EventStore, suffix: string, opts: ReplayOptions = {}): RebuildOutcome {
  createRebuildTables(db, suffix);
  if (opts.mode !== 'events') {
    db.exec('SAVEPOINT fts_replay_fast');
    try {
      const out = fastRebuild(db, store, suffix, opts);
      db.exec('RELEASE fts_replay_fast');
      return out;
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
  return { events: n, unchanged: new Set(), movedTo: new Map() };
}

/** rebuildProjections, with job_metrics built (and compared) by a second process meanwhile (fastRebuildInParallel): for the CLI. */
export async function rebuildProjectionsInParallel(db: Sqlite, store: EventStore, suffix: string, opts: ReplayOptions = {}): Promise<RebuildOutcome> {
  if (opts.mode === 'events') return rebuildProjections(db, store, suffix, opts);
  createRebuildTables(db, suffix);
  db.exec('SAVEPOINT fts_replay_fast');
  try {
    const out = await fastRebuildInParallel(db, store, suffix, opts);
    db.exec('RELEASE fts_replay_fast');
    return out;
  } catch (e) {
    db.exec('ROLLBACK TO fts_replay_fast');
    db.exec('RELEASE fts_replay_fast');
    opts.onFallback?.(e instanceof Error ? e.message : String(e));
  }
  return rebuildProjections(db, store, suffix, { ...opts, mode: 'events' });
}

function createRebuildTables(db: Sqlite, suffix: string): void {
  for (const t of PROJECTION_TABLES) {
    db.exec(`DROP TABLE IF EXISTS temp.${t}${suffix}`);
    db.exec(liveDdl(db, t).replace(new RegExp(`^CREATE TABLE "?${t}"?`), `CREATE TEMP TABLE ${t}${suffix}`));
  }
}

function dropRebuildTables(db: Sqlite, suffix: string): void {
  for (const t of PROJECTION_TABLES) db.exec(`DROP TABLE IF EXISTS temp.${t}${suffix}`);
}

/** The table holding `table`'s rebuilt rows. */
const sourceOf = (rebuilt: RebuildOutcome, suffix: string) => (table: string) => rebuilt.movedTo.get(table) ?? `temp.${table}${suffix}`;

/**
 * Settings for a rebuild that may write a few hundred MB in one transaction:
 * events read through a memory map (no copy into the page cache), a
 * temporary-table cache that holds the rebuilt tables (and the job_metrics
 * rows staged there, fast-rebuild.ts), a page cache that holds the tables
 * rewritten (no spilling to the WAL mid-way), and synchronous=NORMAL, which in WAL mode keeps every commit atomic (a crash
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


/**
 * Rebuilds the projections, compares each with the live table and replaces
 * those that differ, all in one transaction (replaceDiffering).
 */
export function replay(db: Sqlite, store: EventStore, opts: ReplayOptions = {}): ReplayResult {
  const suffix = '__replay';
  const phase = phaseTimer(opts.onPhase);
  return withRebuildSettings(db, () =>
    inTransaction(db, () => {
      const live = liveTables(db);
      const rebuilt = rebuildProjections(db, store, suffix, opts);
      phase();
      const tables = PROJECTION_TABLES.filter((t) => !rebuilt.unchanged.has(t));
      const rewritten = replaceDiffering(db, tables, sourceOf(rebuilt, suffix), live);
      phase(comparedPhase(tables, rewritten));
      dropRebuildTables(db, suffix);
      return { events: rebuilt.events, rewritten: inTableOrder(rewritten) };
    }, () => phase('commit')),
  );
}

/**
 * replay, with job_metrics built and compared by a second process meanwhile
 * (rebuildProjectionsInParallel): what `fts replay` runs. While that process
 * works, the tables that are complete are compared (and replaced where they
 * differ); the rest follow once job_metrics is in.
 */
export async function replayInParallel(db: Sqlite, store: EventStore, opts: ReplayOptions = {}): Promise<ReplayResult> {
  const suffix = '__replay';
  const phase = phaseTimer(opts.onPhase);
  return withRebuildSettingsAsync(db, async () => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const live = liveTables(db);
      let early: { decided: Set<string>; rewritten: string[] } | undefined;
      const rebuilt = await rebuildProjectionsInParallel(db, store, suffix, {
        ...opts,
        whileWaiting: (complete, rebuildPhase) => {
          const tables = PROJECTION_TABLES.filter((t) => complete.has(t));
          const rewritten = replaceDiffering(db, tables, (t) => `temp.${t}${suffix}`, live);
          rebuildPhase(`meanwhile: ${comparedPhase(tables, rewritten)}`);
          early = { decided: new Set(tables), rewritten };
        },
        onFallback: (reason) => {
          // The savepoint rolled the early replacements back with the rest.
          early = undefined;
          opts.onFallback?.(reason);
        },
      });
      phase();
      const tables = PROJECTION_TABLES.filter((t) => !early?.decided.has(t) && !rebuilt.unchanged.has(t));
      const rewritten = [...(early?.rewritten ?? []), ...replaceDiffering(db, tables, sourceOf(rebuilt, suffix), live)];
      phase(comparedPhase(tables, rewritten));
      dropRebuildTables(db, suffix);
      db.exec('COMMIT');
      phase('commit');
      return { events: rebuilt.events, rewritten: inTableOrder(rewritten) };
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    } finally {
      cleanUpScratch();
    }
  });
}

const inTableOrder = (tables: string[]) => PROJECTION_TABLES.filter((t) => tables.includes(t));

function comparedPhase(tables: string[], rewritten: string[]): string {
  const replaced = inTableOrder(rewritten.filter((t) => tables.includes(t)));
  return `${tables.length} tables compared, ${replaced.length ? `rewritten: ${replaced.join(', ')}` : 'none rewritten'}`;
}

/** A live table's DDL, indexes and triggers, read before any table is replaced. */
interface LiveTable {
  ddl: string;
  indexes: string[];
}

function liveTables(db: Sqlite): Map<string, LiveTable> {
  return new Map(PROJECTION_TABLES.map((t) => [t, { ddl: liveDdl(db, t), indexes: liveIndexes(db, t) }]));
}

/**
 * Compares each of `tables` with its rebuild (sameTable) and replaces those
 * that differ: dropped, created again with the live DDL, filled with the
 * rebuilt rows as stored (INSERT ... SELECT * into a table of the same shape
 * with no index yet but its primary key's: SQLite's transfer optimization
 * copies the b-tree, rowids included), indexed. Returns their names.
 * AddConfig's index (config_content_keys) is rebuilt where configs is
 * replaced or no longer matches it row for row.
 */
function replaceDiffering(db: Sqlite, tables: string[], source: (table: string) => string, live: Map<string, LiveTable>): string[] {
  const differing = tables.filter((t) => !sameTable(db, t, source(t)));
  const rekey = tables.includes('configs') && (differing.includes('configs') || !configKeysMatch(db));
  const keyed = rekey && keepConfigKeys(db, source('configs'));
  for (const t of differing) {
    const { ddl, indexes } = live.get(t)!;
    db.exec(`DROP TABLE main.${t}`);
    db.exec(ddl);
    db.exec(`INSERT INTO main.${t} SELECT * FROM ${source(t)}`);
    for (const sql of indexes) db.exec(sql);
  }
  if (keyed) rekeyConfigs(db);
  return differing;
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
      const rebuilt = rebuildProjections(db, store, suffix, opts);
      phase();
      return { events: rebuilt.events, differences: compareAll(db, rebuilt, suffix, phase) };
    } finally {
      db.exec('ROLLBACK');
      phase('roll back');
    }
  });
}

/** verify, with job_metrics built and compared by a second process meanwhile: what `fts replay --verify` runs. */
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
      const rebuilt = await rebuildProjectionsInParallel(db, store, suffix, opts);
      phase();
      return { events: rebuilt.events, differences: compareAll(db, rebuilt, suffix, phase) };
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      phase('roll back');
      cleanUpScratch();
    }
  });
}

function compareAll(db: Sqlite, rebuilt: RebuildOutcome, suffix: string, phase: (name?: string) => void): TableDifference[] {
  const source = sourceOf(rebuilt, suffix);
  const differences = PROJECTION_TABLES.filter((t) => !rebuilt.unchanged.has(t))
    .map((t) => compareTables(db, t, source(t)))
    .filter((d): d is TableDifference => d !== undefined);
  phase('compare');
  return differences;
}

/** config_content_keys holds a row with a key for each config, of its type and model family: what rekeyConfigs would leave. */
function configKeysMatch(db: Sqlite): boolean {
  const keyed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config_content_keys'").get();
  if (!keyed) return true;
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  if (count('SELECT COUNT(*) FROM configs') !== count('SELECT COUNT(*) FROM config_content_keys')) return false;
  return (
    db
      .prepare(
        `SELECT 1 FROM configs c LEFT JOIN config_content_keys k ON k.id = c.id
         WHERE k.id IS NULL OR k.type IS NOT c.type OR k.model_family IS NOT c.model_family OR k.content_key IS NULL LIMIT 1`,
      )
      .get() === undefined
  );
}

/**
 * The keys of the configs whose type and text the rebuild left as they were
 * (all of them, normally), kept in a temporary table so that rekeyConfigs
 * parses only the others. False when there is no index (an older schema).
 */
function keepConfigKeys(db: Sqlite, rebuiltConfigs: string): boolean {
  const keyed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config_content_keys'").get();
  if (!keyed) return false;
  db.exec('DROP TABLE IF EXISTS temp.replay_config_keys');
  db.exec(`CREATE TEMP TABLE replay_config_keys AS
    SELECT n.id AS id, k.content_key AS content_key FROM ${rebuiltConfigs} n
    JOIN configs o ON o.id = n.id AND o.type IS n.type AND o.config IS n.config
    JOIN config_content_keys k ON k.id = n.id AND k.content_key IS NOT NULL`);
  return true;
}

/** A replaced configs table fired no triggers (or the index no longer matched): AddConfig's index is rebuilt from it (keys kept where the text is the same). */
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
