import type { Row } from '../shared/catalog.js';
import { createTableSql, originalColumns, tableByName, type TableDef, type TableName } from '../catalog/tables.js';
import { PyFloat, pyJsonString as pyString, pythonJsonDumps, type PyJson } from '@fts/py-compat';

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
  yield '{';
  let first = true;
  for (const t of EXPORT_TABLES) {
    const cols = opts.includeExtensions ? t.columns : originalColumns(t);
    const schema = createTableSql(t, { withExtensions: opts.includeExtensions, ifNotExists: true });
    yield `${first ? '' : ','}\n  ${pythonJsonDumps(t.name)}: {\n    "schema": ${pythonJsonDumps(schema)},\n    "data": `;
    first = false;
    let rows = 0;
    for (const row of rowsOf(t.name)) {
      const out: Record<string, PyJson> = {};
      for (const c of cols) {
        const v = row[c.name] ?? null;
        if (typeof v === 'number' && !Number.isFinite(v)) out[c.name] = null;
        // A DOUBLE column has REAL affinity: Python reads its numbers back as floats (1.0, not 1).
        else out[c.name] = typeof v === 'number' && c.type === 'DOUBLE' ? new PyFloat(v) : v;
      }
      yield `${rows === 0 ? '[' : ','}\n      `;
      yield* rowChunks(out);
      rows++;
    }
    yield rows === 0 ? '[]\n  }' : '\n    ]\n  }';
  }
  yield '\n}';
}

/** Strings longer than this are written in pieces of this many UTF-16 units. */
const PIECE = 64 * 1024;

/**
 * One row as `pythonJsonDumps(row, 2, 3)` writes it, in pieces: a long text
 * (a config of a million characters) is escaped a slice at a time, which
 * gives the same text (ensure_ascii escapes each UTF-16 unit on its own)
 * without one long stall.
 */
function* rowChunks(row: Record<string, PyJson>): Generator<string> {
  const keys = Object.keys(row);
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  let pending = '{';
  for (let i = 0; i < keys.length; i++) {
    pending += `${i ? ',' : ''}\n        ${pyString(keys[i])}: `;
    const v = row[keys[i]];
    if (typeof v === 'string' && v.length > PIECE) {
      yield `${pending}"`;
      for (let j = 0; j < v.length; j += PIECE) yield pyString(v.slice(j, j + PIECE)).slice(1, -1);
      pending = '"';
    } else pending += pythonJsonDumps(v, 2, 4);
  }
  yield `${pending}\n      }`;
}
