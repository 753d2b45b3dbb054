import fs from 'node:fs';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import { Assembler } from 'stream-json/assembler.js';
import { jsonParser, type Token } from 'stream-json/parser.js';

/**
 * The one streaming reader of JSON dataset files. A top-level array of
 * records is read on stream-json's parser and assembler: the file is read in
 * chunks and fed to the parser piece by piece, each record is assembled on
 * its own, and reading stops as soon as `limit` records are complete or the
 * array ends, so what a file costs is at most one record (bounded by
 * `maxRecordChars`) plus one chunk, whatever its size or what follows.
 * JSON Lines are read line by line, each non-empty line parsed on its own.
 */
export interface JsonArrayOptions {
  /** Stop once this many records are read. */
  limit: number;
  /** The most characters one record may take; a longer one fails with kind `too-long`. */
  maxRecordChars: number;
  /** Elements that are not objects or arrays are passed over instead of returned. */
  skipScalars?: boolean;
}

export type JsonArrayEnd =
  /** `limit` records were read (the rest of the file was not). */
  | 'limit'
  /** The top-level array closed. */
  | 'array-end'
  /** The file ended inside the array (a record, or the array, is cut short). */
  | 'truncated'
  /** The file has nothing but white space. */
  | 'empty';

export type JsonRecordsFailureKind = 'io' | 'not-array' | 'too-long' | 'syntax';

/** Why the records could not be read; callers word it for their request. */
export class JsonRecordsFailure extends Error {
  constructor(
    readonly kind: JsonRecordsFailureKind,
    message: string,
    readonly ioError?: unknown,
  ) {
    super(message);
    this.name = 'JsonRecordsFailure';
  }
}

const CHUNK = 64 * 1024;

/** A chunk cut after every '}' and ']', so a record's tokens reach the assembler before whatever follows it is parsed. */
const pieces = (chunk: string): string[] => chunk.split(/(?<=[}\]])/);

export async function readJsonArrayRecords(absPath: string, opts: JsonArrayOptions): Promise<{ records: unknown[]; end: JsonArrayEnd }> {
  const records: unknown[] = [];
  if (opts.limit <= 0) return { records, end: 'limit' };
  const parse = jsonParser({ packValues: true, streamValues: false, maxPackedLength: opts.maxRecordChars });
  let depth = 0;
  let opened = false;
  let element: { asm: Assembler; chars: number } | undefined;
  let first = true;

  /** Handles one token; true once reading can stop. */
  const take = (t: Token): JsonArrayEnd | undefined => {
    if (!opened) {
      if (t.name === 'whitespace') return undefined;
      if (t.name !== 'startArray') throw new JsonRecordsFailure('not-array', 'its top level is not an array of records');
      opened = true;
      depth = 1;
      return undefined;
    }
    if (depth === 1 && !element) {
      switch (t.name) {
        case 'endArray':
          depth = 0;
          return 'array-end';
        case 'startObject':
        case 'startArray':
          element = { asm: new Assembler(), chars: 0 };
          break;
        case 'stringValue':
        case 'numberValue':
        case 'nullValue':
        case 'trueValue':
        case 'falseValue':
          if (!opts.skipScalars) records.push(new Assembler().consume(t).current);
          return records.length >= opts.limit ? 'limit' : undefined;
        default:
          return undefined;
      }
    }
    if (!element) return undefined;
    element.asm.consume(t);
    if (t.name === 'startObject' || t.name === 'startArray') depth++;
    else if (t.name === 'endObject' || t.name === 'endArray') depth--;
    if (depth === 1) {
      records.push(element.asm.current);
      element = undefined;
      if (records.length >= opts.limit) return 'limit';
    }
    return undefined;
  };

  const feed = (text: string | typeof none): JsonArrayEnd | undefined => {
    let out;
    try {
      out = parse(text as string);
    } catch (e) {
      if (e instanceof RangeError) throw tooLong(opts);
      if (text === none) return undefined; // the file ended inside the array: judged below
      if (!opened) throw new JsonRecordsFailure('not-array', 'its top level is not an array of records');
      throw new JsonRecordsFailure('syntax', (e as Error).message);
    }
    const tokens: Token[] = out === none ? [] : isMany(out) ? getManyValues(out as never) : [out as Token];
    for (const t of tokens) {
      const end = take(t);
      if (end) return end;
    }
    return undefined;
  };

  const stream = fs.createReadStream(absPath, { encoding: 'utf8', highWaterMark: CHUNK });
  let sawText = false;
  try {
    for await (const raw of stream) {
      let chunk = raw as string;
      if (first) {
        chunk = chunk.replace(/^\uFEFF/, '');
        first = false;
      }
      if (!sawText && chunk.trim() !== '') sawText = true;
      for (const piece of pieces(chunk)) {
        const end = feed(piece);
        if (end) return { records, end };
        if (element) {
          element.chars += piece.length;
          if (element.chars > opts.maxRecordChars) throw tooLong(opts);
        }
      }
    }
  } catch (e) {
    if (e instanceof JsonRecordsFailure) throw e;
    throw new JsonRecordsFailure('io', (e as Error).message ?? String(e), e);
  } finally {
    stream.destroy();
  }
  // White space first: the parser waits for more text before judging a short literal ('tru}'), so a
  // malformed value is a syntax error here; what fails only at the flush is a file cut short.
  const end = feed(' '.repeat(64)) ?? feed(none);
  if (end) return { records, end };
  if (!sawText) return { records, end: 'empty' };
  if (!opened) throw new JsonRecordsFailure('not-array', 'its top level is not an array of records');
  return { records, end: 'truncated' };
}

const tooLong = (opts: JsonArrayOptions) => new JsonRecordsFailure('too-long', `a record is longer than ${opts.maxRecordChars} characters`);

/**
 * The first `limit` non-empty lines of a JSON Lines file, parsed (a BOM and
 * CRLF allowed); reading stops there. A line longer than `maxRecordChars`
 * fails with kind `too-long` before it is held whole.
 */
export async function readJsonLinesRecords(absPath: string, opts: Omit<JsonArrayOptions, 'skipScalars'>): Promise<unknown[]> {
  const records: unknown[] = [];
  if (opts.limit <= 0) return records;
  const parseLine = (line: string) => {
    const text = line.replace(/^\uFEFF/, '');
    if (text.trim() === '') return;
    try {
      records.push(JSON.parse(text));
    } catch (e) {
      throw new JsonRecordsFailure('syntax', (e as Error).message);
    }
  };
  const stream = fs.createReadStream(absPath, { encoding: 'utf8', highWaterMark: CHUNK });
  let pending = '';
  try {
    for await (const chunk of stream) {
      pending += chunk as string;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        parseLine(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        if (records.length >= opts.limit) return records;
      }
      if (pending.trim() === '') pending = '';
      if (pending.length > opts.maxRecordChars) throw new JsonRecordsFailure('too-long', `a line is longer than ${opts.maxRecordChars} characters`);
    }
  } catch (e) {
    if (e instanceof JsonRecordsFailure) throw e;
    throw new JsonRecordsFailure('io', (e as Error).message ?? String(e), e);
  } finally {
    stream.destroy();
  }
  parseLine(pending);
  return records;
}
