import type { Statement } from 'better-sqlite3';
import type { Mutation, Row } from '@fts/domain';
import type { Sqlite } from '../database/open-database.js';

const IDENT = /^[a-z_][a-z0-9_]*$/;
const ident = (s: string) => {
  if (!IDENT.test(s)) throw new Error(`not an identifier: ${s}`);
  return s;
};

/**
 * Applies projection mutations with cached prepared statements. `suffix` targets rebuilt tables during replay.
 *
 * `coalesce` (the replay's rebuild, whose tables have no triggers and which
 * nothing reads until flush()): updates of a row are held and merged (the
 * later value of a column wins) and written once, before the next insert into
 * or delete from that table, or at flush(). A job's progress events update its
 * job_runs row each time; the rebuild writes it once.
 */
export class SqliteProjector {
  private readonly cache = new Map<string, Statement>();
  private readonly inserts = new Map<string, Statement>();
  /** table → row id → the merged columns to set (coalesce only). */
  private readonly updates = new Map<string, Map<string, Record<string, unknown>>>();

  constructor(
    private readonly db: Sqlite,
    private readonly suffix = '',
    private readonly coalesce = false,
  ) {}

  /** Writes the held updates (coalesce); nothing otherwise. */
  flush(): void {
    for (const table of [...this.updates.keys()]) this.flushTable(table);
  }

  private flushTable(table: string): void {
    const held = this.updates.get(table);
    if (!held) return;
    this.updates.delete(table);
    for (const [id, set] of held) this.update(table, id, set);
  }

  private update(table: string, id: string, set: Record<string, unknown>): void {
    const cols = Object.keys(set);
    if (cols.length === 0) return;
    this.stmt(`UPDATE ${table} SET ${cols.map((c) => `${ident(c)} = ?`).join(', ')} WHERE id = ?`).run(
      ...cols.map((c) => toSql(set[c] as Row[string])),
      id,
    );
  }

  apply(mutations: Mutation[]): void {
    for (const m of mutations) {
      const table = ident(m.table) + this.suffix;
      if (this.coalesce) {
        if (m.op === 'update' && !Object.hasOwn(m.set, 'id')) {
          let held = this.updates.get(table);
          if (!held) this.updates.set(table, (held = new Map()));
          const set = held.get(m.id);
          if (set) Object.assign(set, m.set);
          else held.set(m.id, { ...m.set });
          continue;
        }
        this.flushTable(table);
      }
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
        this.update(table, m.id, m.set);
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
