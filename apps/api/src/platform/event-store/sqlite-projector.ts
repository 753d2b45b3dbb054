import type { Statement } from 'better-sqlite3';
import type { Mutation, Row } from '@fts/domain';
import type { Sqlite } from '../database/open-database.js';

const IDENT = /^[a-z_][a-z0-9_]*$/;
const ident = (s: string) => {
  if (!IDENT.test(s)) throw new Error(`not an identifier: ${s}`);
  return s;
};

/** Applies projection mutations with cached prepared statements. `suffix` targets rebuilt tables during replay. */
export class SqliteProjector {
  private readonly cache = new Map<string, Statement>();
  private readonly inserts = new Map<string, Statement>();

  constructor(
    private readonly db: Sqlite,
    private readonly suffix = '',
  ) {}

  apply(mutations: Mutation[]): void {
    for (const m of mutations) {
      const table = ident(m.table) + this.suffix;
      if (m.op === 'insert') {
        const cols = Object.keys(m.row);
        // Keyed by table and columns, so the SQL is built (and its names checked) once per shape, not per row (replay).
        const key = `${table}\0${cols.join('\0')}`;
        let insert = this.inserts.get(key);
        if (!insert) {
          insert = this.stmt(`INSERT INTO ${table} (${cols.map(ident).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
          this.inserts.set(key, insert);
        }
        const args = new Array(cols.length);
        for (let i = 0; i < cols.length; i++) args[i] = toSql(m.row[cols[i]]);
        insert.run(args);
      } else if (m.op === 'update') {
        const cols = Object.keys(m.set);
        if (cols.length === 0) continue;
        this.stmt(`UPDATE ${table} SET ${cols.map((c) => `${ident(c)} = ?`).join(', ')} WHERE id = ?`).run(
          ...cols.map((c) => toSql(m.set[c])),
          m.id,
        );
      } else {
        this.stmt(`DELETE FROM ${table} WHERE id = ?`).run(m.id);
      }
    }
  }

  private stmt(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) this.cache.set(sql, (s = this.db.prepare(sql)));
    return s;
  }
}

function toSql(v: Row[string] | boolean | undefined) {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}
