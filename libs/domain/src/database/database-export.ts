import type { Row } from '../shared/catalog.js';
import { createTableSql, originalColumns, tableByName, type TableDef, type TableName } from '../catalog/tables.js';
import { pyJsonFloat, pyJsonString, pythonJsonDumps, type PyJson } from '@fts/py-compat';

/**
 * The tables of an export, in the order the original's export lists them
 * (its sqlite_master order, as in fixtures/original-export.json). The
 * original reads the document as a dict, so order only matters for a
 * byte-for-byte comparison.
 */
export const EXPORT_TABLE_ORDER = ['models', 'datasets', 'adapters', 'fine_tuning_jobs', 'configs', 'prompts', 'evaluation_jobs'];

export const EXPORT_TABLES: TableDef[] = EXPORT_TABLE_ORDER.map((name) => {
  const t = tableByName(name);
  if (!t) throw new Error(`unknown export table ${name}`);
  return t;
});

export interface ExportOptions {
  /** Also carry this project's own columns (status, timestamps), with a DDL that has them. */
  includeExtensions: boolean;
}

/**
 * The ExportDatabase document: `{ "<table>": { "schema": "CREATE TABLE IF
 * NOT EXISTS …", "data": [ {every column, nulls included} ] } }`, written as
 * Python's `json.dumps(indent=2)` writes it. `rowsOf` gives a table's rows
 * in creation order.
 */
export function exportDatabase(rowsOf: (table: TableName) => Iterable<Row>, opts: ExportOptions): string {
  return [...exportDatabaseChunks(rowsOf, opts)].join('');
}

/**
 * The same document, one piece per row, so a caller can write it out while
 * reading rows and never hold the whole of it. A non-finite number (which
 * only a database written before numbers were validated can hold) is
 * written null: JSON has no Infinity, and the file must import again.
 */
export function* exportDatabaseChunks(rowsOf: (table: TableName) => Iterable<Row>, opts: ExportOptions): Generator<string> {
  yield EXPORT_START;
  for (const t of EXPORT_TABLES) yield* exportTableChunks(t, () => rowsOf(t.name), opts);
  yield EXPORT_END;
}

/** What the document starts and ends with; between them, each of EXPORT_TABLES as exportTableChunks writes it. */
export const EXPORT_START = '{';
export const EXPORT_END = '\n}';

/**
 * One table's part of the document (its key, schema and rows; a comma before
 * it unless it is the first), in pieces. `rows` is called after the first
 * piece, so that a reader stopped before it never opens the table's query.
 */
export function* exportTableChunks(t: TableDef, rows: () => Iterable<Row>, opts: ExportOptions): Generator<string> {
  const cols = rowWriter(opts.includeExtensions ? t.columns : originalColumns(t));
  const schema = createTableSql(t, { withExtensions: opts.includeExtensions, ifNotExists: true });
  yield `${t === EXPORT_TABLES[0] ? '' : ','}\n  ${pythonJsonDumps(t.name)}: {\n    "schema": ${pythonJsonDumps(schema)},\n    "data": `;
  let n = 0;
  for (const row of rows()) {
    yield* rowChunks(row, cols, n === 0 ? '[\n      {' : ',\n      {');
    n++;
  }
  yield n === 0 ? '[]\n  }' : '\n    ]\n  }';
}

/** Printable ASCII but '"' and '\\': what json.dumps writes as it is, between quotes. */
const PLAIN = /^[ !#-[\]-~]*$/;

/** pyJsonString, without its two passes for the usual string (an id, a name, a template without a newline). */
const pyString = (s: string) => (PLAIN.test(s) ? `"${s}"` : pyJsonString(s));

/** Strings longer than this are written in pieces of this many UTF-16 units. */
const PIECE = 64 * 1024;

interface ColumnWriter {
  name: string;
  /** What goes before the value: the separator, the indentation and the key. */
  prefix: string;
  /** A DOUBLE column has REAL affinity: Python reads its numbers back as floats (1.0, not 1). */
  double: boolean;
}

function rowWriter(cols: readonly { name: string; type: string }[]): ColumnWriter[] {
  return cols.map((c, i) => ({ name: c.name, prefix: `${i ? ',' : ''}\n        ${pyString(c.name)}: `, double: c.type === 'DOUBLE' }));
}

/**
 * A column's value as `pythonJsonDumps` writes the row's value (a
 * DOUBLE's number as a PyFloat); a non-finite number (which only a database
 * written before numbers were validated can hold) is written null: JSON has
 * no Infinity, and the file must import again.
 */
function valueJson(v: unknown, double: boolean): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return pyString(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return 'null';
    if (double || !Number.isInteger(v)) return pyJsonFloat(v);
    return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
  }
  return pythonJsonDumps(v as PyJson, 2, 4);
}

/**
 * One row, its columns in `cols` order, as `pythonJsonDumps(row, 2, 3)`
 * writes it after `open` (the separator and the row's `{`): one piece, or
 * several when a long text (a config of a million characters) is escaped a
 * slice at a time, which gives the same text (ensure_ascii escapes each
 * UTF-16 unit on its own) without one long stall.
 */
function* rowChunks(row: Row, cols: ColumnWriter[], open: string): Generator<string> {
  if (cols.length === 0) {
    yield `${open}}`;
    return;
  }
  let pending = open;
  for (const c of cols) {
    pending += c.prefix;
    const v = row[c.name];
    if (typeof v === 'string' && v.length > PIECE) {
      yield `${pending}"`;
      for (let j = 0; j < v.length; j += PIECE) yield pyString(v.slice(j, j + PIECE)).slice(1, -1);
      pending = '"';
    } else pending += valueJson(v, c.double);
  }
  yield `${pending}\n      }`;
}
