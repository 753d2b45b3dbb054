import type { CatalogReader, Mutation, Row } from './catalog.js';
import type { TableName, TableRows } from '../catalog/tables.js';
import type { NewEvent } from './event.js';

/**
 * Projection tables held in memory: applies the same mutations the SQLite
 * projector applies, so decider tests run without a database.
 */
export class InMemoryCatalog implements CatalogReader {
  private readonly tables = new Map<string, Map<string, Row>>();
  private readonly versions = new Map<string, number>();

  apply(mutations: Mutation[]): void {
    for (const m of mutations) {
      const t = this.table(m.table);
      switch (m.op) {
        case 'insert':
          if (t.has(String(m.row.id))) throw new Error(`duplicate id ${m.row.id} in ${m.table}`);
          t.set(String(m.row.id), { ...m.row });
          break;
        case 'update': {
          const row = t.get(m.id);
          if (row) t.set(m.id, { ...row, ...m.set });
          break;
        }
        case 'delete':
          t.delete(m.id);
          break;
      }
    }
  }

  /** Records events against their streams, for streamVersion(). */
  recordStreams(events: NewEvent[]): void {
    for (const e of events) this.versions.set(e.streamId, (this.versions.get(e.streamId) ?? 0) + 1);
  }

  get<T extends TableName>(table: T, id: string): TableRows[T] | undefined {
    const row = this.table(table).get(id);
    return row ? ({ ...row } as TableRows[T]) : undefined;
  }

  find<T extends TableName>(table: T, where: Partial<TableRows[T]> = {}): TableRows[T][] {
    const w = where as Row;
    const keys = Object.keys(w);
    return [...this.table(table).values()].filter((r) => keys.every((k) => (r[k] ?? null) === w[k])).map((r) => ({ ...r }) as TableRows[T]);
  }

  streamVersion(streamId: string): number {
    return this.versions.get(streamId) ?? 0;
  }

  private table(name: string): Map<string, Row> {
    let t = this.tables.get(name);
    if (!t) this.tables.set(name, (t = new Map()));
    return t;
  }
}
