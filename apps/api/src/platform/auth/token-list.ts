import fs from 'node:fs';
import path from 'node:path';
import { isRole, ROLES, type Principal } from './access-policy.js';

export interface TokenEntry extends Principal {
  token: string;
}

/** The name the single FTS_AUTH_TOKEN is recorded under. */
export const SINGLE_TOKEN_NAME = 'admin';

/**
 * Parses a token list: one `token:name:role` per line (or separated by commas),
 * `#` starts a comment. The token may itself contain `:` (name and role are the
 * last two fields). Throws one sentence naming `source` and the bad entry.
 */
export function parseTokenList(text: string, source: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  const seen = new Set<string>();
  const items = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, ''))
    .flatMap((line) => line.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const [i, item] of items.entries()) {
    const parts = item.split(':');
    const where = `${source}, entry ${i + 1}`;
    if (parts.length < 3) throw new Error(`${where}: write each entry as token:name:role (role one of ${ROLES.join(', ')}).`);
    const role = parts.pop()!.trim();
    const name = parts.pop()!.trim();
    const token = parts.join(':').trim();
    if (!token) throw new Error(`${where}: the token is empty.`);
    if (!name) throw new Error(`${where}: the name is empty.`);
    if (!isRole(role)) throw new Error(`${where}: "${role}" is not a role; use one of ${ROLES.join(', ')}.`);
    if (seen.has(token)) throw new Error(`${where}: the token of ${name} is listed twice.`);
    seen.add(token);
    entries.push({ token, name, role });
  }
  if (!entries.length) throw new Error(`${source} lists no token: write one token:name:role per line.`);
  return entries;
}

/**
 * Every token this server accepts: FTS_AUTH_TOKENS (a file path, or the list
 * itself) plus FTS_AUTH_TOKEN as one admin. Empty: auth is off.
 */
export function authTokensFromEnv(env: NodeJS.ProcessEnv, cwd: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  const list = env.FTS_AUTH_TOKENS?.trim();
  if (list) {
    const file = path.resolve(cwd, list);
    if (fs.existsSync(file) && fs.statSync(file).isFile()) entries.push(...parseTokenList(fs.readFileSync(file, 'utf8'), `FTS_AUTH_TOKENS file ${file}`));
    else if (list.includes(':')) entries.push(...parseTokenList(list, 'FTS_AUTH_TOKENS'));
    else throw new Error(`FTS_AUTH_TOKENS names no file (${file}) and is not a token:name:role list.`);
  }
  const single = env.FTS_AUTH_TOKEN;
  if (single && !entries.some((e) => e.token === single)) entries.push({ token: single, name: SINGLE_TOKEN_NAME, role: 'admin' });
  return entries;
}
