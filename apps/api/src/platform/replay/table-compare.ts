import type { Sqlite } from '../database/open-database.js';

/**
 * Comparing a live projection table with its rebuild: `replay --verify` lists
 * the rows that differ (compareTables); `replay` only asks whether any does
 * (sameTable) and rewrites only the tables where one does. Two tables are the
 * same when they have the same columns and the same rows in the same (rowid)
 * order, every value of the same storage type and equal (integers exactly,
 * text and blobs byte for byte); the rowid numbers themselves may differ (the
 * set-based rebuild numbers catalog rows by their event's position, the
 * inline projection 1, 2, 3, ...: the same creation order).
 * Table names may be qualified (`temp.prompts__replay`).
 */

export interface TableDifference {
  table: string;
  /** Row ids (or `#n` positions) that differ between the live table and the rebuilt one. */
  rows: string[];
  liveCount: number;
  rebuiltCount: number;
}

/** True if compareTables would find no difference; stops at the first one. */
export function sameTable(db: Sqlite, live: string, rebuilt: string): boolean {
  const cols = sameColumns(db, live, rebuilt);
  if (!cols) return false;
  const count = (t: string) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
  if (count(live) !== count(rebuilt)) return false;
  if (comparableInSql(cols) && !differsByRowid(db, live, rebuilt, cols)) return true;
  // Where the rowids differ, or a column needs the exact comparison, row by row in rowid order.
  for (const { x, y } of rowPairs(db, live, rebuilt)) if (!x || !y || !sameValues(x, y)) return false;
  return true;
}

/** Every row that differs (its id, or `#n` where the table has no id column); undefined if none does. */
export function compareTables(db: Sqlite, live: string, rebuilt: string): TableDifference | undefined {
  const cols = sameColumns(db, live, rebuilt);
  const count = (t: string) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
  if (cols && comparableInSql(cols) && count(live) === count(rebuilt) && !differsByRowid(db, live, rebuilt, cols)) return undefined;
  const idAt = columnsOf(db, live).indexOf('id');
  const rows: string[] = [];
  let liveCount = 0;
  let rebuiltCount = 0;
  let i = 0;
  for (const { x, y } of rowPairs(db, live, rebuilt)) {
    if (x) liveCount++;
    if (y) rebuiltCount++;
    if (!cols || !x || !y || !sameValues(x, y)) rows.push(String((idAt >= 0 ? (x?.[idAt] ?? y?.[idAt]) : undefined) ?? `#${i}`));
    i++;
  }
  return rows.length ? { table: unqualified(live), rows, liveCount, rebuiltCount } : undefined;
}

/** Column by column, by storage type and exact value (not JSON.stringify, which writes ±Infinity and NaN as null). */
export function sameRow(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean {
  if (!a || !b) return a === b;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
}

interface Column {
  name: string;
  type: string;
}

const split = (t: string): [string, string] => {
  const dot = t.indexOf('.');
  return dot < 0 ? ['main', t] : [t.slice(0, dot), t.slice(dot + 1)];
};
const unqualified = (t: string) => split(t)[1];

function columnsWithTypes(db: Sqlite, t: string): Column[] {
  const [schema, table] = split(t);
  return db.prepare('SELECT name, type FROM pragma_table_info(?, ?)').all(table, schema) as Column[];
}

const columnsOf = (db: Sqlite, t: string) => columnsWithTypes(db, t).map((c) => c.name);

/** The live table's columns, if the rebuilt one has the same names in the same order. */
function sameColumns(db: Sqlite, live: string, rebuilt: string): Column[] | undefined {
  const cols = columnsWithTypes(db, live);
  return JSON.stringify(cols.map((c) => c.name)) === JSON.stringify(columnsOf(db, rebuilt)) ? cols : undefined;
}

/** A column without a type or of BLOB affinity keeps -0.0 apart from 0.0, which = does not tell: compared in JavaScript. */
const comparableInSql = (cols: Column[]) => !cols.some((c) => !c.type || /BLOB/i.test(c.type));

/**
 * A join on rowid (a million rows in well under a second, against several
 * seconds in JavaScript), stopping at the first row of `live` without a row of
 * the same rowid and the same values in `rebuilt`. With equal counts, none
 * such means the same rows in the same order.
 */
function differsByRowid(db: Sqlite, live: string, rebuilt: string, cols: Column[]): boolean {
  const q = (c: string) => `"${c.replace(/"/g, '""')}"`;
  const same = cols.map(({ name }) => `typeof(a.${q(name)}) = typeof(b.${q(name)}) AND a.${q(name)} IS b.${q(name)} COLLATE BINARY`);
  const sql = `SELECT 1 FROM ${live} a LEFT JOIN ${rebuilt} b ON b.rowid = a.rowid
    WHERE b.rowid IS NULL OR NOT (${same.join(' AND ') || '1'}) LIMIT 1`;
  return db.prepare(sql).get() !== undefined;
}

/**
 * Both tables in rowid order, side by side, a row at a time (constant memory);
 * integers as BigInt: a JavaScript number would round values past 2^53 and hide the difference.
 */
function* rowPairs(db: Sqlite, live: string, rebuilt: string): Generator<{ x?: unknown[]; y?: unknown[] }, void, undefined> {
  const ia = db.prepare(`SELECT * FROM ${live} ORDER BY rowid`).safeIntegers(true).raw(true).iterate() as IterableIterator<unknown[]>;
  const ib = db.prepare(`SELECT * FROM ${rebuilt} ORDER BY rowid`).safeIntegers(true).raw(true).iterate() as IterableIterator<unknown[]>;
  try {
    for (;;) {
      const a = ia.next();
      const b = ib.next();
      if (a.done && b.done) return;
      yield { x: a.done ? undefined : a.value, y: b.done ? undefined : b.value };
    }
  } finally {
    ia.return?.();
    ib.return?.();
  }
}

function sameValues(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
  return true;
}

function sameValue(x: unknown, y: unknown): boolean {
  if (Buffer.isBuffer(x) || Buffer.isBuffer(y)) return Buffer.isBuffer(x) && Buffer.isBuffer(y) && x.equals(y);
  return typeof x === typeof y && Object.is(x, y);
}
