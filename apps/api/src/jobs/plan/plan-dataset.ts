import fs from 'node:fs';
import { parse } from 'csv-parse';
import { csvRows, isDomainError, type DatasetFileRow, type DatasetRow, type Known } from '@fts/domain';
import { parsePyJson, PyJsonError, type PyValue } from '@fts/py-compat';
import type { ProjectPaths } from '../../platform/paths/project-paths.js';

/**
 * Every row of a project dataset file, read the way the job reads it
 * (job-templates/fts_jobs/data.py): CSV cells typed per column like
 * read_csv_rows (int when every non-empty cell is an int, float when every
 * one is a number, empty cells None there), JSON values as json.loads gives
 * them (ints apart from floats). Files are streamed; a single `train` split.
 */
export type PlanSplits = Known<{ rows: Record<string, DatasetFileRow[]> }>;

async function readCsv(absPath: string): Promise<DatasetFileRow[]> {
  const parser = fs.createReadStream(absPath, { highWaterMark: 256 * 1024 }).pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true }));
  let header: string[] | undefined;
  const records: string[][] = [];
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!header) header = record;
    else {
      if (record.length > header.length) throw new Error(`row ${records.length + 2} has more fields than the header (the job fails on it)`);
      records.push(record);
    }
  }
  return header ? csvRows(header, records) : [];
}

function asRow(v: PyValue, where: string): DatasetFileRow {
  if (!(v instanceof Map)) throw new Error(`${where} is not a JSON object`);
  return v;
}

async function readJsonLines(absPath: string): Promise<DatasetFileRow[]> {
  const rows: DatasetFileRow[] = [];
  let pending = '';
  let line = 0;
  const take = (text: string) => {
    line++;
    const t = text.replace(/^\uFEFF/, '');
    if (!t.trim()) return;
    try {
      rows.push(asRow(parsePyJson(t.trim()), `line ${line}`));
    } catch (e) {
      if (e instanceof PyJsonError) throw new Error(`line ${line} is not valid JSON (${e.reason})`);
      throw e;
    }
  };
  for await (const chunk of fs.createReadStream(absPath, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    pending += chunk as string;
    let nl: number;
    let from = 0;
    while ((nl = pending.indexOf('\n', from)) >= 0) {
      take(pending.slice(from, nl));
      from = nl + 1;
    }
    pending = pending.slice(from);
  }
  if (pending) take(pending);
  return rows;
}

/** data.py's read_json_rows: an array of objects, {"data": [...]}, column lists, one object, or JSON lines. */
async function readJson(absPath: string): Promise<DatasetFileRow[]> {
  const text = await fs.promises.readFile(absPath, 'utf8');
  let data: PyValue;
  try {
    data = parsePyJson(text);
  } catch {
    return readJsonLines(absPath);
  }
  if (Array.isArray(data)) return data.map((r, i) => asRow(r, `element ${i}`));
  if (data instanceof Map) {
    const values = [...data.values()];
    if (data.size === 1 && Array.isArray(values[0]) && values[0].every((r) => r instanceof Map)) return values[0].map((r, i) => asRow(r, `element ${i}`));
    if (data.size && values.every(Array.isArray)) {
      const lengths = new Set(values.map((v) => (v as PyValue[]).length));
      if (lengths.size !== 1) throw new Error('column lists have different lengths');
      const n = [...lengths][0];
      return Array.from({ length: n }, (_, i) => new Map([...data as Map<string, PyValue[]>].map(([k, v]) => [k, v[i]])));
    }
    return [data];
  }
  throw new Error('expected a JSON array of objects');
}

const READERS: Record<string, (absPath: string) => Promise<DatasetFileRow[]>> = {
  project_csv: readCsv,
  project_jsonl: readJsonLines,
  project_json: readJson,
};

/** The last files read, while unchanged (a live form asks for a plan at every change). */
const MAX_CACHED_FILES = 2;
const cache = new Map<string, { stamp: string; rows: DatasetFileRow[] }>();

async function cachedRead(absPath: string, read: (absPath: string) => Promise<DatasetFileRow[]>): Promise<DatasetFileRow[]> {
  const st = await fs.promises.stat(absPath);
  const stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
  const hit = cache.get(absPath);
  if (hit?.stamp === stamp) return hit.rows;
  const rows = await read(absPath);
  cache.delete(absPath);
  cache.set(absPath, { stamp, rows });
  while (cache.size > MAX_CACHED_FILES) cache.delete(cache.keys().next().value!);
  return rows;
}

export async function readPlanSplits(paths: ProjectPaths, dataset: DatasetRow): Promise<PlanSplits> {
  const type = dataset.type ?? '';
  const location = dataset.location ?? '';
  const read = READERS[type];
  if (!read) {
    return { known: false, reason: `the ${type || 'Hugging Face'} dataset '${dataset.huggingface_name ?? dataset.name ?? dataset.id}' is downloaded by the job; the plan reads project files only` };
  }
  let absPath: string;
  try {
    if (paths.directory(location)) return { known: false, reason: `'${location}' is a dataset folder; the plan reads single project files only` };
    absPath = paths.file(location);
  } catch (e) {
    if (isDomainError(e)) return { known: false, reason: e.message };
    throw e;
  }
  try {
    return { known: true, rows: { train: await cachedRead(absPath, read) } };
  } catch (e) {
    return { known: false, reason: `dataset file '${location}' could not be read: ${(e as Error).message}` };
  }
}
