import fs from 'node:fs';
import { parse } from 'csv-parse';
import { invalidArgument, type DatasetFileFormat, type Row } from '@fts/domain';
import type { ProjectPaths } from '../../platform/paths/project-paths.js';
import { JsonRecordsFailure, readJsonArrayRecords, readJsonLinesRecords } from './json-records.js';

/** The most rows a preview returns. */
export const MAX_PREVIEW_ROWS = 100;
/** The most characters read for one record (or one CSV row) of a preview. */
export const MAX_PREVIEW_RECORD_CHARS = 1024 * 1024;

export interface DatasetPreview {
  features: string[];
  rows: Record<string, unknown>[];
}

const FORMATS: Record<string, DatasetFileFormat> = { project_csv: 'csv', project_json: 'json', project_jsonl: 'jsonl' };

const unreadable = (shownAs: string, reason: string) =>
  invalidArgument('DATASET.FILE_UNREADABLE', `Dataset file '${shownAs}' could not be previewed: ${reason}.`);

/**
 * The first `limit` rows of a dataset, for the prompt editor's preview: a
 * project file (csv, json, jsonl) read from its beginning only; a Hugging
 * Face dataset has its stored features and no rows (nothing is downloaded).
 */
export async function previewDataset(paths: ProjectPaths, dataset: Row, limit: number): Promise<DatasetPreview> {
  const format = FORMATS[String(dataset.type)];
  if (!format) return { features: storedFeatures(dataset.features), rows: [] };
  const location = String(dataset.location ?? '');
  return readDatasetRows(paths.file(location), format, location, limit);
}

function storedFeatures(v: unknown): string[] {
  if (typeof v !== 'string' || v.trim() === '') return [];
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** `absPath` is resolved already (inside the project); `shownAs` is how the dataset names it. */
export async function readDatasetRows(absPath: string, format: DatasetFileFormat, shownAs: string, limit: number): Promise<DatasetPreview> {
  const n = Math.max(0, Math.min(limit, MAX_PREVIEW_ROWS));
  const records = format === 'csv' ? undefined : format === 'json' ? await jsonArrayRecords(absPath, shownAs, n) : await jsonLines(absPath, shownAs, n);
  if (records === undefined) return csvRows(absPath, shownAs, n);
  const features: string[] = [];
  const rows = records.map((r) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw unreadable(shownAs, 'a record is not a JSON object');
    for (const k of Object.keys(r)) if (!features.includes(k)) features.push(k);
    return r as Record<string, unknown>;
  });
  return { features, rows };
}

async function csvRows(absPath: string, shownAs: string, n: number): Promise<DatasetPreview> {
  const source = fs.createReadStream(absPath, { highWaterMark: 64 * 1024 });
  const parser = parse({ bom: true, to: n + 1, max_record_size: MAX_PREVIEW_RECORD_CHARS, skip_empty_lines: true, relax_column_count: true });
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  const records: string[][] = [];
  try {
    for await (const record of parser) {
      records.push((record as unknown[]).map(String));
      if (records.length > n) break;
    }
  } catch (e) {
    throw unreadable(shownAs, (e as Error).message);
  } finally {
    source.destroy();
    parser.destroy();
  }
  const [features = [], ...body] = records;
  const rows = body.map((cells) => Object.fromEntries(features.map((f, i) => [f, cells[i] ?? ''])));
  return { features, rows };
}

/** The first `n` non-empty lines of a JSON Lines file, parsed (json-records.ts). */
async function jsonLines(absPath: string, shownAs: string, n: number): Promise<unknown[]> {
  try {
    return await readJsonLinesRecords(absPath, { limit: n, maxRecordChars: MAX_PREVIEW_RECORD_CHARS });
  } catch (e) {
    if (e instanceof JsonRecordsFailure) throw unreadable(shownAs, e.message);
    throw e;
  }
}

/** The first `n` objects and arrays of the top-level JSON array, read with the streaming reader (json-records.ts); a file cut short gives what it has. */
async function jsonArrayRecords(absPath: string, shownAs: string, n: number): Promise<unknown[]> {
  try {
    return (await readJsonArrayRecords(absPath, { limit: n, maxRecordChars: MAX_PREVIEW_RECORD_CHARS, skipScalars: true })).records;
  } catch (e) {
    if (e instanceof JsonRecordsFailure) throw unreadable(shownAs, e.message);
    throw e;
  }
}
