import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProjectPaths } from '../../platform/paths/project-paths.js';
import { MAX_HEADER_BYTES, readDatasetFeatures } from './dataset-features.js';
import { rejectionOf } from '../../../test/support/errors.js';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-features-')));
const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-features-out-')));
const paths = new ProjectPaths(root);
const write = (name: string, content: string | Buffer) => {
  fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
  fs.writeFileSync(path.join(root, name), content);
  return name;
};
const features = (name: string, format: 'csv' | 'json' | 'jsonl') => readDatasetFeatures(paths.file(name), format, name);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('CSV header', () => {
  it('reads a plain header', async () => {
    expect(await features(write('a.csv', 'instruction,intent\nhello,greet\n'), 'csv')).toEqual(['instruction', 'intent']);
  });

  it('handles quotes, commas and newlines inside quotes, a BOM and CRLF', async () => {
    const csv = '\uFEFF"instruction, long","say ""hi""","multi\nline",plain\r\na,b,c,d\r\n';
    expect(await features(write('quoted.csv', csv), 'csv')).toEqual(['instruction, long', 'say "hi"', 'multi\nline', 'plain']);
  });

  it('reads only the header of a file whose later rows are broken', async () => {
    expect(await features(write('broken-later.csv', 'a,b\n"unclosed,x\n'), 'csv')).toEqual(['a', 'b']);
  });

  it('refuses an empty file, a broken header and an endless header', async () => {
    const empty = await rejectionOf(features(write('empty.csv', ''), 'csv'));
    expect(empty.kind).toBe('invalid_argument');
    expect(empty.code).toBe('DATASET.FILE_UNREADABLE');
    expect(empty.message).toContain("'empty.csv'");
    expect((await rejectionOf(features(write('bad.csv', '"a,b\n'), 'csv'))).code).toBe('DATASET.FILE_UNREADABLE');
    const long = await rejectionOf(features(write('long.csv', 'x'.repeat(MAX_HEADER_BYTES + 10)), 'csv'));
    expect(long.message).toContain('header row is longer');
  });
});

describe('JSON', () => {
  it('reads the keys of the first element of the top-level array', async () => {
    const json = '\uFEFF  [\n {"q": "a [b] {c}", "nested": {"x": [1, 2]}, "esc": "quote \\" }"},\n {"other": 1}]';
    expect(await features(write('a.json', json), 'json')).toEqual(['q', 'nested', 'esc']);
  });

  it('reads a big file without reading past the first element', async () => {
    const head = '[{"instruction": "x", "response": "y"},';
    const fd = fs.openSync(path.join(root, 'big.json'), 'w');
    fs.writeSync(fd, head);
    fs.ftruncateSync(fd, 200 * 1024 * 1024); // sparse: 200 MiB, never read
    fs.closeSync(fd);
    expect(await features('big.json', 'json')).toEqual(['instruction', 'response']);
  });

  it('refuses an object at the top, an empty array, a non-object element and bad JSON, saying why', async () => {
    expect((await rejectionOf(features(write('obj.json', '{"data": []}'), 'json'))).message).toContain('not an array');
    expect((await rejectionOf(features(write('emptyarr.json', '[ ]'), 'json'))).message).toContain('empty');
    expect((await rejectionOf(features(write('nums.json', '[1, 2]'), 'json'))).message).toContain('not an object');
    const bad = await rejectionOf(features(write('bad.json', '[{"a": tru}]'), 'json'));
    expect(bad.code).toBe('DATASET.FILE_UNREADABLE');
    expect(bad.message).toContain("'bad.json'");
    expect((await rejectionOf(features(write('cut.json', '[{"a": 1'), 'json'))).message).toContain('ends inside');
  });
});

describe('JSON Lines', () => {
  it('reads the keys of the first non-empty line', async () => {
    expect(await features(write('a.jsonl', '\uFEFF\r\n\n{"prompt": "p", "completion": "c"}\r\n{"x": 1}\n'), 'jsonl')).toEqual(['prompt', 'completion']);
    expect(await features(write('noeol.jsonl', '{"only": 1}'), 'jsonl')).toEqual(['only']);
  });

  it('refuses an empty file and a first line that is not an object', async () => {
    expect((await rejectionOf(features(write('empty.jsonl', '\n\n'), 'jsonl'))).message).toContain('no records');
    expect((await rejectionOf(features(write('arr.jsonl', '[1]\n'), 'jsonl'))).message).toContain('not a JSON object');
    expect((await rejectionOf(features(write('bad.jsonl', '{oops}\n'), 'jsonl'))).code).toBe('DATASET.FILE_UNREADABLE');
  });
});

describe('paths', () => {
  it('refuses a symlink out of the project and a ../ path, and a missing file is NOT_FOUND', async () => {
    fs.writeFileSync(path.join(outside, 'secret.csv'), 'a,b\n');
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'link.csv'));
    expect((await rejectionOf(() => paths.file('link.csv'))).code).toBe('PATH.OUTSIDE_PROJECT');
    expect((await rejectionOf(() => paths.file(`../${path.basename(outside)}/secret.csv`))).code).toBe('PATH.OUTSIDE_PROJECT');
    const missing = await rejectionOf(() => paths.file('nope.csv'));
    expect(missing.kind).toBe('not_found');
  });
});
