import type { Statement } from 'better-sqlite3';
import { storedConfigKey, type CatalogReader, type Row, type TableName, type TableRows } from '@fts/domain';
import type { Sqlite } from '../database/open-database.js';
import { fillConfigContentKeys } from './config-content-keys.js';

const IDENT = /^[a-z_][a-z0-9_]*$/;
const ident = (s: string) => {
  if (!IDENT.test(s)) throw new Error(`not an identifier: ${s}`);
  return s;
};

/** Deciders' view of the projection tables; rows come back in creation order. */
export class SqliteCatalogReader implements CatalogReader {
  private readonly cache = new Map<string, Statement>();

  constructor(
    private readonly db: Sqlite,
    private readonly suffix = '',
  ) {}

  get<T extends TableName>(table: T, id: string): TableRows[T] | undefined {
    return this.stmt(`SELECT * FROM ${ident(table)}${this.suffix} WHERE id = ?`).get(id) as TableRows[T] | undefined;
  }

  find<T extends TableName>(table: T, where: Partial<TableRows[T]> = {}): TableRows[T][] {
    const w = where as Row;
    const cols = Object.keys(w);
    const clause = cols.length ? ` WHERE ${cols.map((c) => `${ident(c)} IS ?`).join(' AND ')}` : '';
    return this.stmt(`SELECT * FROM ${ident(table)}${this.suffix}${clause} ORDER BY rowid`).all(
      ...cols.map((c) => w[c]),
    ) as TableRows[T][];
  }

  /** A page of rows in creation order, after the row with rowid `after`, those whose columns equal `where`'s (keyset: no offset). */
  page(table: string, after: number, limit: number, where: Row = {}): { rows: Row[]; last: number } {
    const cols = Object.keys(where);
    const filter = cols.map((c) => ` AND ${ident(c)} IS ?`).join('');
    const rows = this.stmt(
      `SELECT rowid AS __rowid, * FROM ${ident(table)}${this.suffix} WHERE rowid > ?${filter} ORDER BY rowid LIMIT ?`,
    ).all(after, ...cols.map((c) => where[c]), limit) as (Row & { __rowid: number })[];
    const last = rows.length ? rows[rows.length - 1].__rowid : after;
    return { rows: rows.map(({ __rowid, ...r }) => r as Row), last };
  }

  /** AddConfig's lookup through config_content_keys (an index), after keying the configs written since the last one. */
  findConfigsByContent(type: string, modelFamily: string | null, contentKey: string): TableRows['configs'][] {
    if (this.suffix) {
      return this.find('configs', { type, model_family: modelFamily }).filter((c) => storedConfigKey(type, c.config) === contentKey);
    }
    fillConfigContentKeys(this.db);
    return this.stmt(
      `SELECT c.* FROM config_content_keys k JOIN configs c ON c.id = k.id
       WHERE k.type IS ? AND k.model_family IS ? AND k.content_key = ? ORDER BY c.rowid`,
    ).all(type, modelFamily, contentKey) as TableRows['configs'][];
  }

  streamVersion(streamId: string): number {
    const r = this.stmt('SELECT MAX(stream_version) AS v FROM events WHERE stream_id = ?').get(streamId) as {
      v: number | null;
    };
    return r.v ?? 0;
  }

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) this.cache.set(sql, (s = this.db.prepare(sql)));
    return s;
  }
}
