import type { Row } from '../shared/catalog.js';
import { createTableSql, originalColumns, tableByName, type TableDef } from '../catalog/tables.js';
import { PyFloat, pythonJsonDumps, type PyJson } from './python-json.js';

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
export function exportDatabase(rowsOf: (table: string) => Row[], opts: ExportOptions): string {
  const doc: Record<string, PyJson> = {};
  for (const t of EXPORT_TABLES) {
    const cols = opts.includeExtensions ? t.columns : originalColumns(t);
    doc[t.name] = {
      schema: createTableSql(t, { withExtensions: opts.includeExtensions, ifNotExists: true }),
      data: rowsOf(t.name).map((row) => {
        const out: Record<string, PyJson> = {};
        for (const c of cols) {
          const v = row[c.name] ?? null;
          // A DOUBLE column has REAL affinity: Python reads its numbers back as floats (1.0, not 1).
          out[c.name] = typeof v === 'number' && c.type === 'DOUBLE' ? new PyFloat(v) : v;
        }
        return out;
      }),
    };
  }
  return pythonJsonDumps(doc, 2);
}
