import type { Database as Sqlite, Statement } from 'better-sqlite3';
import { storedConfigKey } from '@fts/domain';

const BATCH = 1000;

interface Statements {
  pending: Statement;
  set: Statement;
  anyPending: Statement;
}

const prepared = new WeakMap<Sqlite, Statements | null>();

function statementsOf(db: Sqlite): Statements | null {
  let s = prepared.get(db);
  if (s === undefined) {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config_content_keys'").get();
    s = exists
      ? {
          pending: db.prepare(
            `SELECT k.id, c.type, c.config FROM config_content_keys k INDEXED BY config_content_keys_pending
             JOIN configs c ON c.id = k.id WHERE k.content_key IS NULL AND k.id > ? ORDER BY k.id LIMIT ${BATCH}`,
          ),
          set: db.prepare('UPDATE config_content_keys SET content_key = ? WHERE id = ?'),
          anyPending: db.prepare('SELECT 1 FROM config_content_keys INDEXED BY config_content_keys_pending WHERE content_key IS NULL LIMIT 1'),
        }
      : null;
    // Not cached while the table is missing (migrations not run yet on this handle).
    if (s) prepared.set(db, s);
  }
  return s;
}

/**
 * Computes the content key of every config_content_keys row still without one
 * (the rows the migration added for an existing database, and those the
 * triggers add as configs are written). Reads only the pending rows (a partial
 * index), so it costs nothing when there are none. Returns how many it filled.
 */
export function fillConfigContentKeys(db: Sqlite): number {
  const s = statementsOf(db);
  if (!s || !s.anyPending.get()) return 0; // AddConfig asks on every call: no transaction when nothing is pending
  return db.transaction(() => {
    let n = 0;
    let after = '';
    for (;;) {
      const rows = s.pending.all(after) as { id: string; type: string; config: unknown }[];
      for (const r of rows) s.set.run(storedConfigKey(r.type, r.config), r.id);
      n += rows.length;
      if (rows.length < BATCH) return n;
      after = rows[rows.length - 1].id;
    }
  })();
}
