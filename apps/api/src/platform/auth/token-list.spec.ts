import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { authTokensFromEnv, parseTokenList } from './token-list.js';
import { bearerToken, TokenTable } from './token-table.js';

describe('parseTokenList', () => {
  it('token:name:role per line or comma, comments, a token containing colons', () => {
    expect(parseTokenList('a1:alice:admin, b2:bob:viewer\n# ops\nc:3:carol:editor  # rotated\n', 'list')).toEqual([
      { token: 'a1', name: 'alice', role: 'admin' },
      { token: 'b2', name: 'bob', role: 'viewer' },
      { token: 'c:3', name: 'carol', role: 'editor' },
    ]);
  });

  it('refuses each bad entry with a sentence naming it', () => {
    expect(() => parseTokenList('a1:alice', 'F')).toThrow('F, entry 1: write each entry as token:name:role');
    expect(() => parseTokenList('a1:alice:root', 'F')).toThrow('F, entry 1: "root" is not a role; use one of viewer, editor, admin.');
    expect(() => parseTokenList('a1:alice:admin,a1:bob:viewer', 'F')).toThrow('F, entry 2: the token of bob is listed twice.');
    expect(() => parseTokenList(':alice:admin', 'F')).toThrow('the token is empty');
    expect(() => parseTokenList('# nothing\n', 'F')).toThrow('F lists no token');
  });
});

describe('authTokensFromEnv', () => {
  it('off without either variable; FTS_AUTH_TOKEN alone is one admin', () => {
    expect(authTokensFromEnv({}, '/')).toEqual([]);
    expect(authTokensFromEnv({ FTS_AUTH_TOKEN: 's' }, '/')).toEqual([{ token: 's', name: 'admin', role: 'admin' }]);
  });

  it('FTS_AUTH_TOKENS from a file (relative to the working folder) or inline, plus FTS_AUTH_TOKEN', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-tokens-'));
    fs.writeFileSync(path.join(dir, 'tokens.txt'), 'a1:alice:admin\nb2:bob:viewer\n');
    expect(authTokensFromEnv({ FTS_AUTH_TOKENS: 'tokens.txt' }, dir).map((e) => e.name)).toEqual(['alice', 'bob']);
    expect(authTokensFromEnv({ FTS_AUTH_TOKENS: 'x:eve:editor', FTS_AUTH_TOKEN: 's' }, dir)).toEqual([
      { token: 'x', name: 'eve', role: 'editor' },
      { token: 's', name: 'admin', role: 'admin' },
    ]);
    expect(() => authTokensFromEnv({ FTS_AUTH_TOKENS: 'missing.txt' }, dir)).toThrow(/names no file .*missing\.txt/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('TokenTable', () => {
  it('identifies a listed token, nothing else', () => {
    const t = new TokenTable([{ token: 'a1', name: 'alice', role: 'admin' }]);
    expect(t.enabled).toBe(true);
    expect(t.identify('a1')).toEqual({ name: 'alice', role: 'admin' });
    expect(t.identify('a')).toBeUndefined();
    expect(t.identify(undefined)).toBeUndefined();
    expect(new TokenTable([]).enabled).toBe(false);
  });

  it('reads the bearer token of an authorization header', () => {
    expect(bearerToken('Bearer abc ')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
