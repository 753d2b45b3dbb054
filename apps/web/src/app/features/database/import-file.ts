import type { Needs, Schemas } from '../../core/models';

/** What an export file holds, read in the browser before anything is sent. */
export interface FileSummary { tables: { table: string; rows: number }[]; total: number }

/**
 * Rows per table of an export document (`{ <table>: { schema, data: [...] } }`), or the reason
 * it is not one. The server checks everything again on import; this only tells the user what
 * the file holds before they decide.
 */
export function summarizeExport(text: string): { summary: FileSummary } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { error: `This file is not JSON: ${(e as Error).message}` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { error: 'This file is not a database export: it should be a JSON object of tables.' };
  const tables: FileSummary['tables'] = [];
  for (const [table, info] of Object.entries(doc as Record<string, unknown>)) {
    const data = info && typeof info === 'object' ? (info as { data?: unknown }).data : undefined;
    if (!Array.isArray(data)) return { error: `Table "${table}" has no list of rows ("data"): this is not a database export.` };
    tables.push({ table, rows: data.length });
  }
  if (!tables.length) return { error: 'This export holds no tables.' };
  return { summary: { tables, total: tables.reduce((n, t) => n + t.rows, 0) } };
}

/** One import problem, as the server reports it (or as read from an older server's `<id>: <why>` conflict line). */
/** POST /api/database/import answers { report }. */
/** unchanged and problems are this server's; an older one sent only the proto's conflict lines. */
export type ImportTableReport = Needs<Schemas['HttpImportTableReport'], 'table' | 'imported' | 'skipped'>;
export type ImportReport = Omit<Schemas['HttpImportReport'], 'tables' | 'warnings'> & { tables: ImportTableReport[]; warnings?: string[] };
export type ImportProblem = Schemas['ImportProblem'];

/** The singular entity of a table ("fine_tuning_jobs" → "fine-tuning job"). */
export function entityOf(table: string): string {
  const singular = table.replace(/ies$/, 'y').replace(/s$/, '');
  return singular.replace(/_/g, ' ').replace('fine tuning', 'fine-tuning');
}

/** Every problem of the report, one row each: the server's list, else the table's conflict lines. */
export function problemRows(report: ImportReport, nameOf: (id: string, table: string) => string): ImportProblem[] {
  return report.tables.flatMap((t) => {
    if (Array.isArray(t.problems)) return t.problems.map((p) => ({ ...p, entity: p.entity || entityOf(t.table), name: p.name || nameOf(p.id, t.table) }));
    if (!Array.isArray(t.conflicts)) return [];
    return t.conflicts.map((line) => {
      const i = line.indexOf(': ');
      const id = i > 0 ? line.slice(0, i) : '';
      return { entity: entityOf(t.table), id, name: id ? nameOf(id, t.table) : '', reason: i > 0 ? line.slice(i + 2) : line };
    });
  });
}

/** Number of conflicts in a table's report. */
export function conflictCount(t: ImportTableReport): number {
  if (Array.isArray(t.problems)) return t.problems.length;
  return t.conflicts?.length ?? 0;
}
