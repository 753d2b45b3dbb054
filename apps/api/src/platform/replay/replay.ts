import { ALL_TABLES, projectEvent } from '@fts/domain';
import type { Sqlite } from '../database/open-database.js';
import type { EventStore } from '../event-store/event-store.js';
import { SqliteProjector } from '../event-store/sqlite-projector.js';
import { fillConfigContentKeys } from '../event-store/config-content-keys.js';

const PROJECTION_TABLES = ALL_TABLES.map((t) => t.name);

export interface TableDifference {
  table: string;
  /** Row ids (or `#n` positions) that differ between the live table and the rebuilt one. */
  rows: string[];
  liveCount: number;
  rebuiltCount: number;
}

/**
 * Rebuilds every projection from position 0 into `<table><suffix>` tables
 * created with the live tables' own DDL. Returns the number of events read.
 */
export function rebuildProjections(db: Sqlite, store: EventStore, suffix: string): number {
  for (const t of PROJECTION_TABLES) {
    db.exec(`DROP TABLE IF EXISTS ${t}${suffix}`);
    db.exec(liveDdl(db, t).replace(new RegExp(`^CREATE TABLE "?${t}"?`), `CREATE TABLE ${t}${suffix}`));
  }
  // Updates of a row merged and written once (a running job's progress updates its job_runs row at every event).
  const projector = new SqliteProjector(db, suffix, true);
  let n = 0;
  for (const e of store.iterate()) {
    projector.apply(projectEvent(e));
    n++;
  }
  projector.flush();
  return n;
}

/** Rebuilds the projections and swaps them in, all in one transaction. */
export function replay(db: Sqlite, store: EventStore): { events: number } {
  const suffix = '__replay';
  return db
    .transaction(() => {
      const indexes = PROJECTION_TABLES.flatMap((t) => liveIndexes(db, t));
      const events = rebuildProjections(db, store, suffix);
      const keyed = keepConfigKeys(db, suffix);
      for (const t of PROJECTION_TABLES) {
        db.exec(`DROP TABLE ${t}`);
        db.exec(`ALTER TABLE ${t}${suffix} RENAME TO ${t}`);
      }
      for (const sql of indexes) db.exec(sql);
      if (keyed) rekeyConfigs(db);
      return { events };
    })
    .immediate();
}


/** Rebuilds beside the live tables and lists every difference; changes nothing. */
export function verify(db: Sqlite, store: EventStore): { events: number; differences: TableDifference[] } {
  const suffix = '__verify';
  const run = db.transaction(() => {
    const events = rebuildProjections(db, store, suffix);
    const differences = PROJECTION_TABLES.map((t) => compareTables(db, t, `${t}${suffix}`)).filter(
      (d): d is TableDifference => d !== undefined,
    );
    for (const t of PROJECTION_TABLES) db.exec(`DROP TABLE ${t}${suffix}`);
    return { events, differences };
  });
  return run.immediate();
}

function compareTables(db: Sqlite, live: string, rebuilt: string): TableDifference | undefined {
  // Integers as BigInt: a JavaScript number would round values past 2^53 and hide the difference.
  const a = db.prepare(`SELECT * FROM ${live} ORDER BY rowid`).safeIntegers(true).all() as Record<string, unknown>[];
  const b = db.prepare(`SELECT * FROM ${rebuilt} ORDER BY rowid`).safeIntegers(true).all() as Record<string, unknown>[];
  const rows: string[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (!sameRow(a[i], b[i])) rows.push(String(a[i]?.id ?? b[i]?.id ?? `#${i}`));
  }
  return rows.length ? { table: live, rows, liveCount: a.length, rebuiltCount: b.length } : undefined;
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
