import type { Row, Value } from '../shared/catalog.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import type { NewEvent } from '../shared/event.js';
import { STREAM_TABLES, streamIdOf } from '../catalog/catalog.projection.js';
import { originalColumns, type TableDef, type TableName } from '../catalog/tables.js';
import type { ImportDocument, ImportedRow } from './import-document.js';
import { importedRowProblem } from './import-validation.js';

/** A row that was not imported, and why, for people (the console's report table). */
export interface ImportProblem {
  /** The kind of row: `dataset`, `model`, `adapter`, `prompt`, `config`, `fine_tuning_job`, `evaluation_job`. */
  entity: string;
  id: string;
  /** The row's name ('' when it has none). */
  name: string;
  reason: string;
}

/** What ImportDatabase did, table by table (mirrors the proto ImportReport, plus `unchanged` and `problems`). */
export interface ImportTableReport {
  table: string;
  imported: number;
  /** `<id>: <why>` for every row that was not imported: it clashes with what exists, or is refused. */
  conflicts: string[];
  /** Rows left out for another reason (a skipped table). */
  skipped: number;
  /** Rows already present with the same id and content: nothing to do, not a conflict. */
  unchanged: number;
  /** The rows of `conflicts`, structured. */
  problems: ImportProblem[];
}

export interface ImportReport {
  tables: ImportTableReport[];
  /** References that point at nothing in this project (missing rows or files), and skipped tables. */
  warnings: string[];
}

/** What the caller found at a location on disk: outside the project (symlinks resolved), or nothing there. */
export type LocationFact = 'outside' | 'missing';

export interface ImportOptions {
  /**
   * Location → what is wrong with it; locations not in the map are inside
   * the project and exist. The caller owns the file system: it checks
   * referencedLocations(doc) first. A row whose location is outside the
   * project is refused; a missing one is imported with a warning.
   */
  locations?: ReadonlyMap<string, LocationFact>;
}

/** The status an imported job gets: this server never supervised its run, so it claims no outcome. */
export const IMPORTED_JOB_STATUS = 'imported';
export const IMPORTED_JOB_MESSAGE = 'Imported from an export; the run was not tracked by this server.';
/** Statuses an export of this server may carry that are kept as they are: outcomes, not runs in progress. */
const KEPT_JOB_STATUSES = ['succeeded', 'failed', 'cancelled', IMPORTED_JOB_STATUS];
const JOB_TABLES = ['fine_tuning_jobs', 'evaluation_jobs'];

/** Most warnings listed one by one; the rest are counted. */
export const MAX_IMPORT_WARNINGS = 1000;

const PROJECT_DATASET_TYPES = ['project', 'project_csv', 'project_json', 'project_jsonl'];

/** The original's uniqueness rules on names (spec/behaviour.md §1), applied to imported rows. */
const NAME_RULES: Record<string, { column: string; applies?: (row: Row) => boolean }[]> = {
  prompts: [{ column: 'name' }],
  adapters: [{ column: 'name' }],
  datasets: [
    { column: 'name', applies: (r) => typeof r.type === 'string' && PROJECT_DATASET_TYPES.includes(r.type) },
    { column: 'huggingface_name', applies: (r) => r.type === 'huggingface' },
  ],
  models: [{ column: 'huggingface_model_name' }],
};

/** Columns whose value is a file or folder of the project. */
const LOCATION_COLUMNS: Record<string, string[]> = {
  datasets: ['location'],
  models: ['location'],
  adapters: ['location'],
};

/** References the DDL does not declare (this project's own columns). */
const EXTRA_REFERENCES: Record<string, Record<string, TableName>> = {
  evaluation_jobs: { comparison_adapter_id: 'adapters' },
};

const STREAM_OF_TABLE: Record<string, string> = Object.fromEntries(Object.entries(STREAM_TABLES).map(([s, t]) => [t, s]));

/** `fine_tuning_job` → `FineTuningJob`: the entity name in `<Entity>Imported`. */
const entityOf = (streamType: string) =>
  streamType
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

export const importedEventType = (table: string) => `${entityOf(STREAM_OF_TABLE[table])}Imported`;

const text = (v: Value | undefined) => (v === null || v === undefined ? '' : String(v).trim());

/** Every distinct location the document's rows point at, for the caller to check on disk. */
export function referencedLocations(doc: ImportDocument): string[] {
  const out = new Set<string>();
  for (const t of doc.tables) {
    for (const col of LOCATION_COLUMNS[t.name] ?? []) {
      for (const r of t.rows) if (text(r[col])) out.add(String(r[col]));
    }
  }
  return [...out];
}

/**
 * ImportDatabase: one `<Entity>Imported` event per new row, on the row's
 * own stream, all in one command. A row whose id exists (in the database or
 * earlier in the file) or whose name is taken by another id is a conflict;
 * unlike the original, a conflict never stops the rest of its table.
 */
export function importDatabase(doc: ImportDocument, ctx: DecideContext, opts: ImportOptions = {}): Decision<ImportReport> {
  const events: NewEvent[] = [];
  const tables: ImportTableReport[] = [];
  const warnings = new Warnings();
  /** table → ids imported by this command; table.column → name → id, for names claimed in this file. */
  const importedIds = new Map<string, Set<string>>();
  const claimedNames = new Map<string, Map<string, string>>();
  const existingNames = new Map<string, Map<string, string>>();
  const accepted: { def: TableDef; row: ImportedRow }[] = [];

  for (const t of doc.tables) {
    if (t.skipped || !t.def) {
      tables.push({ table: t.name, imported: 0, conflicts: [], skipped: t.skipped?.rows ?? 0, unchanged: 0, problems: [] });
      warnings.add(`${t.name}: ${t.skipped?.rows ?? 0} row(s) skipped; ${t.skipped?.reason ?? 'not a known table'}.`);
      continue;
    }
    const def = t.def;
    const ids = importedIds.get(def.name) ?? new Set<string>();
    importedIds.set(def.name, ids);
    const report: ImportTableReport = { table: def.name, imported: 0, conflicts: [], skipped: 0, unchanged: 0, problems: [] };
    for (const fileRow of t.rows) {
      const id = fileRow.id;
      const existing = existingState(def, fileRow, ctx);
      if (existing === 'same') {
        report.unchanged++;
        continue;
      }
      const problem =
        (existing === 'different' ? 'a different row with this id already exists' : undefined) ??
        (ids.has(id) ? 'appears earlier in this file' : undefined) ??
        importedRowProblem(def, fileRow) ??
        outsideLocation(def, fileRow, opts) ??
        nameConflict(def, fileRow, ctx, claimedNames, existingNames);
      if (problem) {
        refuse(report, def, fileRow, problem);
        continue;
      }
      const row = completeRow(def, fileRow, ctx.now);
      // Every row claims its names (the original compares against rows of any type); the rules apply per row.
      for (const rule of NAME_RULES[def.name] ?? []) {
        const name = text(row[rule.column]);
        if (!name) continue;
        const key = `${def.name}.${rule.column}`;
        const claimed = claimedNames.get(key) ?? new Map<string, string>();
        claimedNames.set(key, claimed);
        claimed.set(name, id);
      }
      ids.add(id);
      const streamType = STREAM_OF_TABLE[def.name];
      const streamId = streamIdOf(streamType, id);
      // A stream whose row was removed may be restored by an import: it continues at its current version.
      const expectedVersion = ctx.read.streamVersion(streamId);
      events.push({ type: importedEventType(def.name), streamId, streamType, data: { row }, expectedVersion });
      accepted.push({ def, row });
      report.imported++;
    }
    tables.push(report);
  }

  for (const { def, row } of accepted) {
    const label = rowLabel(def, row);
    for (const col of LOCATION_COLUMNS[def.name] ?? []) {
      const loc = text(row[col]) ? String(row[col]) : '';
      if (loc && opts.locations?.get(loc) === 'missing') warnings.add(`${label}: ${col} '${loc}' does not exist in this project.`);
    }
    const refs: [string, TableName][] = [
      ...def.columns.filter((c) => c.references).map((c): [string, TableName] => [c.name, c.references as TableName]),
      ...Object.entries(EXTRA_REFERENCES[def.name] ?? {}),
    ];
    for (const [col, target] of refs) {
      const ref = text(row[col]);
      if (!ref) continue;
      if (!importedIds.get(target)?.has(ref) && !ctx.read.get(target, ref)) {
        warnings.add(`${label}: ${col} '${ref}' matches no row in ${target}.`);
      }
    }
  }

  return { events, result: { tables, warnings: warnings.list() } };
}

/** Whether a row with this id exists, and if so whether it holds the same content (the original's columns). */
function existingState(def: TableDef, fileRow: ImportedRow, ctx: DecideContext): 'same' | 'different' | undefined {
  const existing: Row | undefined = ctx.read.get(def.name, fileRow.id);
  if (!existing) return undefined;
  return originalColumns(def).every((c) => sameValue(existing[c.name], fileRow[c.name])) ? 'same' : 'different';
}

/** A file or folder outside the project would reach a job's spec.json: the row is refused. */
function outsideLocation(def: TableDef, row: Row, opts: ImportOptions): string | undefined {
  for (const col of LOCATION_COLUMNS[def.name] ?? []) {
    const loc = text(row[col]) ? String(row[col]) : '';
    if (loc && opts.locations?.get(loc) === 'outside') return `${col} '${loc}' is outside the project`;
  }
  return undefined;
}

function refuse(report: ImportTableReport, def: TableDef, row: ImportedRow, reason: string): void {
  const id = row.id;
  report.conflicts.push(`${id}: ${reason}`);
  report.problems.push({ entity: STREAM_OF_TABLE[def.name], id, name: nameOf(row), reason });
}

function nameConflict(
  def: TableDef,
  row: ImportedRow,
  ctx: DecideContext,
  claimedNames: Map<string, Map<string, string>>,
  existingNames: Map<string, Map<string, string>>,
): string | undefined {
  const id = row.id;
  for (const rule of NAME_RULES[def.name] ?? []) {
    if (rule.applies && !rule.applies(row)) continue;
    const name = text(row[rule.column]);
    if (!name) continue;
    const key = `${def.name}.${rule.column}`;
    let existing = existingNames.get(key);
    if (!existing) {
      // One read per table and column (not one scan per row): names have no index.
      existing = new Map();
      const rows: ImportedRow[] = ctx.read.find(def.name);
      for (const r of rows) {
        const n = text(r[rule.column]);
        if (n && !existing.has(n)) existing.set(n, r.id);
      }
      existingNames.set(key, existing);
    }
    const inDb = existing.get(name);
    const other = claimedNames.get(key)?.get(name) ?? (inDb !== undefined && inDb !== id ? inDb : undefined);
    if (other) return `${rule.column} '${name}' is already used by ${other}`;
  }
  return undefined;
}

/** The row as the projection stores it: every original column (nulls included) plus this project's columns. */
function completeRow(def: TableDef, fileRow: ImportedRow, now: string): ImportedRow {
  const row: ImportedRow = { id: fileRow.id };
  for (const c of def.columns) {
    if (!c.ext || fileRow[c.name] !== undefined) row[c.name] = fileRow[c.name] ?? null;
  }
  if (def.columns.some((c) => c.name === 'created_at') && !text(row.created_at)) row.created_at = now;
  if (def.columns.some((c) => c.name === 'updated_at') && !text(row.updated_at)) row.updated_at = now;
  if (JOB_TABLES.includes(def.name) && !(typeof row.status === 'string' && KEPT_JOB_STATUSES.includes(row.status))) {
    row.status = IMPORTED_JOB_STATUS;
    row.status_message = IMPORTED_JOB_MESSAGE;
  }
  return row;
}

function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === null || y === null) return x === y;
  if (String(x) === String(y)) return true;
  // SQLite's column affinity may have turned 5 into '5' (or back): compare numbers as numbers.
  const numeric = (v: string | number) => typeof v === 'number' || (v.trim() !== '' && Number.isFinite(Number(v)));
  return (typeof x === 'number' || typeof y === 'number') && numeric(x) && numeric(y) && Number(x) === Number(y);
}

const nameOf = (row: Row) => text(row.name) || text(row.adapter_name) || text(row.huggingface_model_name) || text(row.huggingface_name);

function rowLabel(def: TableDef, row: ImportedRow): string {
  const name = text(row.name) || text(row.adapter_name);
  return `${def.name} ${row.id}${name ? ` (${name})` : ''}`;
}

class Warnings {
  private readonly items: string[] = [];
  private dropped = 0;

  add(w: string) {
    if (this.items.length < MAX_IMPORT_WARNINGS) this.items.push(w);
    else this.dropped++;
  }

  list(): string[] {
    return this.dropped ? [...this.items, `… and ${this.dropped} more warning(s).`] : this.items;
  }
}
