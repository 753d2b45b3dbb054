import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProjectPaths } from './project-paths.js';
import { errorOf } from '../../../test/support/errors.js';

describe('ProjectPaths', () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-paths-')));
  const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-outside-')));
  fs.mkdirSync(path.join(root, 'data'));
  fs.writeFileSync(path.join(root, 'data', 'a.csv'), 'x\n');
  fs.writeFileSync(path.join(outside, 'secret.csv'), 'x\n');
  fs.symlinkSync(outside, path.join(root, 'link-out'));
  fs.symlinkSync(path.join(root, 'data'), path.join(root, 'link-in'));
  const paths = new ProjectPaths(root);

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('resolves relative and absolute paths inside the root', () => {
    expect(paths.file('data/a.csv')).toBe(path.join(root, 'data', 'a.csv'));
    expect(paths.file(path.join(root, 'data/a.csv'))).toBe(path.join(root, 'data', 'a.csv'));
    expect(paths.file('link-in/a.csv')).toBe(path.join(root, 'data', 'a.csv'));
    expect(paths.directory('data')).toBe(path.join(root, 'data'));
    expect(paths.relative(paths.file('data/a.csv'))).toBe('data/a.csv');
  });

  it('refuses ../, absolute paths outside, and symlinks that leave the root', () => {
    expect(errorOf(() => paths.resolve('../x')).code).toBe('PATH.OUTSIDE_PROJECT');
    expect(errorOf(() => paths.resolve('/etc/passwd')).code).toBe('PATH.OUTSIDE_PROJECT');
    expect(errorOf(() => paths.file('link-out/secret.csv')).code).toBe('PATH.OUTSIDE_PROJECT');
    expect(errorOf(() => paths.resolve('link-out/not-yet/created')).code).toBe('PATH.OUTSIDE_PROJECT');
    expect(errorOf(() => paths.resolve('a\0b')).code).toBe('PATH.INVALID');
  });

  it('says NOT_FOUND for a missing file and refuses a folder where a file is needed', () => {
    expect(errorOf(() => paths.file('data/missing.csv')).code).toBe('PATH.NOT_FOUND');
    expect(errorOf(() => paths.file('data')).code).toBe('PATH.NOT_A_FILE');
    expect(paths.directory('data/a.csv')).toBeUndefined();
  });
});
