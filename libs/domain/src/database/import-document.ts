import type { Row, Value } from '../shared/catalog.js';
import { invalidArgument } from '../shared/domain-error.js';
import { ORIGINAL_TABLES, type TableDef } from '../catalog/tables.js';

/**
 * Parsing and validating an ImportDatabase document (spec/behaviour.md §5).
 * Unlike the original, the `schema` SQL is never executed: every table and
 * column is checked against the known schema, and the whole document is
 * validated before anything is written.
 */

/** Bound on an import document (the gRPC message bound): larger is INVALID_ARGUMENT. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/** Tables an export of the original may carry that this server has no use for: skipped with a warning. */
export const SKIPPED_IMPORT_TABLES: Record<string, string> = {
  alembic_version: "it records the original's schema migrations, which this server does not use",
};

/** A validated row of an import file: its id is a non-empty string, its other columns any value. */
export type ImportedRow = Row & { id: string };

export interface ImportTable {
  name: string;
  /** The known table; undefined for a skipped one. */
  def?: TableDef;
  /** Validated rows: known columns only, values string / number / null. */
  rows: ImportedRow[];
  /** Why the table is skipped, when it is; its rows are only counted. */
  skipped?: { reason: string; rows: number };
}

export interface ImportDocument {
  tables: ImportTable[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const IMPORTABLE = new Map<string, TableDef>(ORIGINAL_TABLES.map((t) => [t.name, t]));

/** JSON.parse with the parser's reason in an INVALID_ARGUMENT. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw invalidArgument('IMPORT.INVALID_JSON', `Invalid JSON: ${(e as Error).message}`);
  }
}

/** Parses and validates a whole document; throws on the first problem (a bad document writes nothing). */
export function parseImportDocument(text: string): ImportDocument {
  return validateImportDocument(parseJsonText(text));
}

export function validateImportDocument(root: unknown): ImportDocument {
  // The original's checks and wording come first, table by table in file order.
  if (!isObject(root)) throw invalidArgument('IMPORT.INVALID_STRUCTURE', 'Invalid JSON structure: root must be an object');
  const tables: ImportTable[] = [];
  for (const name of Object.keys(root)) {
    const info = root[name];
    if (!isObject(info)) throw invalidArgument('IMPORT.INVALID_TABLE', `Invalid table information for table ${name}`);
    if (!('schema' in info) || !('data' in info)) {
      throw invalidArgument('IMPORT.MISSING_SCHEMA_OR_DATA', `Missing schema or data for table ${name}`);
    }
    if (typeof info.schema !== 'string') {
      throw invalidArgument('IMPORT.INVALID_TABLE', `The schema of table ${name} must be a string (it is never executed).`);
    }
    if (!Array.isArray(info.data)) throw invalidArgument('IMPORT.INVALID_TABLE', `The data of table ${name} must be a list of rows.`);
    const skipped = Object.hasOwn(SKIPPED_IMPORT_TABLES, name) ? SKIPPED_IMPORT_TABLES[name] : undefined;
    if (skipped) {
      tables.push({ name, rows: [], skipped: { reason: skipped, rows: info.data.length } });
      continue;
    }
    const def = IMPORTABLE.get(name);
    if (!def) {
      throw invalidArgument(
        'IMPORT.UNKNOWN_TABLE',
        `Unknown table '${name}': an import may hold only ${[...IMPORTABLE.keys()].join(', ')} (and the original's alembic_version, which is skipped).`,
      );
    }
    tables.push({ name, def, rows: info.data.map((r, i) => validateRow(def, r, i)) });
  }
  return { tables };
}

function validateRow(def: TableDef, raw: unknown, index: number): ImportedRow {
  const where = `row ${index + 1} of table ${def.name}`;
  if (!isObject(raw)) throw invalidArgument('IMPORT.INVALID_ROW', `The ${where} is not an object.`);
  const id = raw.id;
  if (typeof id !== 'string' || id.trim() === '') {
    throw invalidArgument('IMPORT.INVALID_ROW', `The ${where} has no 'id' (a non-empty string is required).`);
  }
  const columns = new Map(def.columns.map((c) => [c.name, c]));
  const row: Row = {};
  for (const key of Object.keys(raw)) {
    if (!columns.has(key)) {
      throw invalidArgument('IMPORT.UNKNOWN_COLUMN', `Unknown column '${key}' in table ${def.name} (${where}, id '${id}').`);
    }
    row[key] = toValue(raw[key], () => `Column '${key}' of ${where} (id '${id}')`);
  }
  // The id was checked above: a non-empty string (spreading keeps the key where the file had it).
  return { ...row, id };
}

function toValue(v: unknown, what: () => string): Value {
  if (v === null || typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw invalidArgument('IMPORT.INVALID_VALUE', `${what()} is not a finite number.`);
    return v;
  }
  throw invalidArgument('IMPORT.INVALID_VALUE', `${what()} must be a string, a number or null; got ${Array.isArray(v) ? 'a list' : typeof v}.`);
}
