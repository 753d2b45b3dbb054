import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DomainError } from '@fts/domain';
import { JsonRecordsFailure, readJsonArrayRecords, readJsonLinesRecords } from './json-records.js';
import { MAX_PREVIEW_RECORD_CHARS, readDatasetRows } from './dataset-rows.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-json-records-'));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const read = (p: string, limit = 10, over: { maxRecordChars?: number; skipScalars?: boolean } = {}) =>
  readJsonArrayRecords(p, { limit, maxRecordChars: 1000, ...over });
const failure = async (p: Promise<unknown>): Promise<JsonRecordsFailure> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof JsonRecordsFailure)) throw new Error(`expected a JsonRecordsFailure, got ${String(e)}`);
  return e;
};

describe('readJsonArrayRecords (stream-json)', () => {
  it('reads records whole, strings with brackets and escapes included, after a BOM', async () => {
    const p = file('a.json', '\uFEFF [ {"q": "a ] } [ {", "n": {"x": [1, 2.5, null, true]}, "e": "quote \\" }"}, [1, {"y": "z"}], {"u": "\\u00e9"} ]');
    expect(await read(p)).toEqual({
      records: [{ q: 'a ] } [ {', n: { x: [1, 2.5, null, true] }, e: 'quote " }' }, [1, { y: 'z' }], { u: 'é' }],
      end: 'array-end',
    });
  });

  it('stops at the limit without reading further (a sparse 200 MiB tail is never read)', async () => {
    const p = path.join(dir, 'big.json');
    fs.writeFileSync(p, '[{"a": 1}, {"b": 2}, ');
    fs.truncateSync(p, 200 * 1024 * 1024);
    expect(await read(p, 2)).toEqual({ records: [{ a: 1 }, { b: 2 }], end: 'limit' });
  });

  it('keeps or passes over scalars', async () => {
    const p = file('scalars.json', '[1, "s", {"a": 1}, null]');
    expect((await read(p)).records).toEqual([1, 's', { a: 1 }, null]);
    expect((await read(p, 10, { skipScalars: true })).records).toEqual([{ a: 1 }]);
  });

  it('says how the file ended: empty, truncated, array end', async () => {
    expect(await read(file('empty.json', ' \n'))).toEqual({ records: [], end: 'empty' });
    expect(await read(file('cut.json', '[{"a": 1}, {"b": '))).toEqual({ records: [{ a: 1 }], end: 'truncated' });
    expect(await read(file('none.json', '[ ]'))).toEqual({ records: [], end: 'array-end' });
  });

  it('refuses a top level that is not an array, bad JSON and a record longer than the bound', async () => {
    expect((await failure(read(file('obj.json', '{"data": []}')))).kind).toBe('not-array');
    expect((await failure(read(file('text.json', 'hello')))).kind).toBe('not-array');
    const bad = await failure(read(file('bad.json', '[{"a": tru}]')));
    expect(bad.kind).toBe('syntax');
    expect(bad.message).toMatch(/Parser/);
    const long = await failure(read(file('long.json', `[{"a": "${'x'.repeat(200_000)}"}]`)));
    expect(long.kind).toBe('too-long');
    expect(long.message).toBe('a record is longer than 1000 characters');
    const io = await failure(read(path.join(dir, 'missing.json')));
    expect(io.kind).toBe('io');
    expect((io.ioError as { code?: string }).code).toBe('ENOENT');
  });

  it('holds at most one record: an endless record fails once it passes the bound', async () => {
    const p = path.join(dir, 'endless.json');
    fs.writeFileSync(p, '[{"a": "');
    fs.appendFileSync(p, 'y'.repeat(4 * 1024 * 1024));
    const e = await failure(read(p, 1, { maxRecordChars: 256 * 1024 }));
    expect(e.kind).toBe('too-long');
  });
});

describe('readJsonLinesRecords', () => {
  it('reads the first non-empty lines, after a BOM, with CRLF, and a last line without a newline', async () => {
    const p = file('a.jsonl', '\uFEFF\r\n\n{"a": 1}\r\n\n[2]\n"s"\n{"last": true}');
    expect(await readJsonLinesRecords(p, { limit: 10, maxRecordChars: 1000 })).toEqual([{ a: 1 }, [2], 's', { last: true }]);
    expect(await readJsonLinesRecords(p, { limit: 1, maxRecordChars: 1000 })).toEqual([{ a: 1 }]);
    expect(await readJsonLinesRecords(file('blank.jsonl', '\n \n'), { limit: 10, maxRecordChars: 1000 })).toEqual([]);
  });

  it('stops at the limit without reading further, and refuses a bad line and an endless one', async () => {
    const p = path.join(dir, 'big.jsonl');
    fs.writeFileSync(p, '{"a": 1}\n');
    fs.truncateSync(p, 200 * 1024 * 1024);
    expect(await readJsonLinesRecords(p, { limit: 1, maxRecordChars: 1000 })).toEqual([{ a: 1 }]);
    expect((await failure(readJsonLinesRecords(file('bad.jsonl', '{oops}\n'), { limit: 1, maxRecordChars: 1000 }))).kind).toBe('syntax');
    const long = await failure(readJsonLinesRecords(file('long.jsonl', 'x'.repeat(200_000)), { limit: 1, maxRecordChars: 1000 }));
    expect(long.kind).toBe('too-long');
    expect(long.message).toBe('a line is longer than 1000 characters');
  });
});

describe('readDatasetRows on JSON', () => {
  it('previews records with the union of their keys, and a file cut short gives what it has', async () => {
    const p = file('rows.json', '[{"a": 1}, 7, {"b": "x", "a": 2}, {"c"');
    expect(await readDatasetRows(p, 'json', 'rows.json', 5)).toEqual({ features: ['a', 'b'], rows: [{ a: 1 }, { b: 'x', a: 2 }] });
  });

  it('refuses a top level that is not an array and an overlong record, naming the file', async () => {
    const e = await readDatasetRows(file('top.json', '{"a": 1}'), 'json', 'top.json', 5).then(
      () => undefined,
      (err: unknown) => err as DomainError,
    );
    expect(e?.code).toBe('DATASET.FILE_UNREADABLE');
    expect(e?.message).toBe("Dataset file 'top.json' could not be previewed: its top level is not an array of records.");
    const long = await readDatasetRows(file('longrow.json', `[{"a": "${'x'.repeat(MAX_PREVIEW_RECORD_CHARS + 100_000)}"}]`), 'json', 'longrow.json', 5).then(
      () => undefined,
      (err: unknown) => err as DomainError,
    );
    expect(long?.message).toBe(`Dataset file 'longrow.json' could not be previewed: a record is longer than ${MAX_PREVIEW_RECORD_CHARS} characters.`);
  });
});
