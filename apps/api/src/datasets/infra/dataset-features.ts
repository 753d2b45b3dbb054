import fs from 'node:fs';
import { parse } from 'csv-parse';
import { invalidArgument, type DatasetFileFormat } from '@fts/domain';
import { JsonRecordsFailure, readJsonArrayRecords, readJsonLinesRecords } from './json-records.js';

/**
 * The column names of a project dataset file, read from its beginning only,
 * so a file of any size costs at most one record: the CSV header row, the
 * keys of the first element of a JSON array, or the keys of the first
 * non-empty line of a JSON Lines file. A file that cannot be read that way is
 * INVALID_ARGUMENT, naming the file and the reason.
 */

/** Largest CSV header row read. */
export const MAX_HEADER_BYTES = 1024 * 1024;
/** Largest first record (JSON element or JSON Lines line) read. */
export const MAX_FIRST_RECORD_CHARS = 16 * 1024 * 1024;

const CHUNK = 64 * 1024;

/** `absPath` is resolved already (inside the project); `shownAs` is how the request named it. */
export async function readDatasetFeatures(absPath: string, format: DatasetFileFormat, shownAs: string): Promise<string[]> {
  switch (format) {
    case 'csv':
      return csvHeader(absPath, shownAs);
    case 'json':
      return keysOf(await firstJsonArrayElement(absPath, shownAs), shownAs, 'the first element of its top-level array');
    case 'jsonl':
      return keysOf(await firstJsonLine(absPath, shownAs), shownAs, 'its first line');
  }
}

const unreadable = (shownAs: string, what: string, reason: string) =>
  invalidArgument('DATASET.FILE_UNREADABLE', `Dataset file '${shownAs}' could not be read as ${what}: ${reason}.`);

const ioReason = (e: unknown) => {
  const err = e as { code?: string; message?: string };
  return err.code ? `${err.code} (${err.message ?? ''})` : (err.message ?? String(e));
};

async function csvHeader(absPath: string, shownAs: string): Promise<string[]> {
  const source = fs.createReadStream(absPath, { highWaterMark: CHUNK });
  const parser = parse({ bom: true, to: 1, max_record_size: MAX_HEADER_BYTES, skip_empty_lines: true, relax_column_count: true });
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  let header: string[] | undefined;
  try {
    for await (const record of parser) {
      header = (record as unknown[]).map(String);
      break;
    }
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === 'CSV_MAX_RECORD_SIZE') throw unreadable(shownAs, 'CSV', `its header row is longer than ${MAX_HEADER_BYTES} bytes`);
    if (err.code?.startsWith('CSV_')) throw unreadable(shownAs, 'CSV', err.message ?? err.code);
    throw unreadable(shownAs, 'CSV', ioReason(e));
  } finally {
    source.destroy();
    parser.destroy();
  }
  if (!header || header.length === 0 || header.every((h) => h.trim() === '')) {
    throw unreadable(shownAs, 'CSV', 'it has no header row');
  }
  return header;
}

/**
 * The first element of the top-level JSON array, read with the streaming
 * reader (json-records.ts) without reading past it. `undefined` for an
 * empty array.
 */
async function firstJsonArrayElement(absPath: string, shownAs: string): Promise<unknown> {
  const what = 'JSON';
  let read;
  try {
    read = await readJsonArrayRecords(absPath, { limit: 1, maxRecordChars: MAX_FIRST_RECORD_CHARS });
  } catch (e) {
    if (e instanceof JsonRecordsFailure) throw unreadable(shownAs, what, failureReason(e, 'record'));
    throw e;
  }
  if (read.end === 'empty') throw unreadable(shownAs, what, 'the file is empty');
  if (read.end === 'truncated') throw unreadable(shownAs, what, 'the file ends inside its first record');
  const [first] = read.records;
  if (read.records.length > 0 && (first === null || typeof first !== 'object' || Array.isArray(first))) {
    throw unreadable(shownAs, what, 'the first element of its top-level array is not an object');
  }
  return first;
}

/** Wording for a failure of the streaming reader; `first` names the record for its too-long sentence. */
function failureReason(e: JsonRecordsFailure, first: string): string {
  if (e.kind === 'io') return ioReason(e.ioError);
  if (e.kind === 'too-long') return `its first ${first} is longer than ${MAX_FIRST_RECORD_CHARS} characters`;
  return e.message;
}

/** The first non-empty line of a JSON Lines file, parsed. */
async function firstJsonLine(absPath: string, shownAs: string): Promise<unknown> {
  const what = 'JSON Lines';
  let records;
  try {
    records = await readJsonLinesRecords(absPath, { limit: 1, maxRecordChars: MAX_FIRST_RECORD_CHARS });
  } catch (e) {
    if (e instanceof JsonRecordsFailure) throw unreadable(shownAs, what, failureReason(e, 'line'));
    throw e;
  }
  if (records.length === 0) throw unreadable(shownAs, what, 'the file has no records');
  return records[0];
}

function keysOf(record: unknown, shownAs: string, where: string): string[] {
  if (record === undefined) throw unreadable(shownAs, 'JSON', 'its top-level array is empty');
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw invalidArgument('DATASET.FILE_UNREADABLE', `Dataset file '${shownAs}': ${where} is not a JSON object, so it has no column names.`);
  }
  const keys = Object.keys(record);
  if (keys.length === 0) {
    throw invalidArgument('DATASET.FILE_UNREADABLE', `Dataset file '${shownAs}': ${where} is an empty object, so it has no column names.`);
  }
  return keys;
}
