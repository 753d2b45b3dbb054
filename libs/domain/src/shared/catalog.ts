import type { TableName, TableRows } from '../catalog/tables.js';

/**
 * A row of a projection table as the store sees it: column name → value.
 * Code that knows its table reads the typed row instead (`DatasetRow`,
 * `FineTuningJobRow`, ... from catalog/tables.ts, via CatalogReader).
 */
export type Value = string | number | null;
export type Row = Record<string, Value>;

/**
 * What a projection asks the store to do to its tables. Projections are pure
 * (event → mutations); the platform applies them with prepared statements,
 * and the in-memory catalog applies them in tests.
 */
export type Mutation =
  | { op: 'insert'; table: string; row: Row }
  | { op: 'update'; table: string; id: string; set: Row }
  | { op: 'delete'; table: string; id: string };

/** Read access to projection tables, used by deciders for cross-entity rules; each table's rows come typed. */
export interface CatalogReader {
  get<T extends TableName>(table: T, id: string): TableRows[T] | undefined;
  /** Rows whose columns equal every value of `where`, in creation order. */
  find<T extends TableName>(table: T, where?: Partial<TableRows[T]>): TableRows[T][];
  /**
   * AddConfig's index: the configs of `type` and `modelFamily` whose content key
   * (configContentKey) is `contentKey`, in creation order. Optional: a reader
   * without it is scanned with find.
   */
  findConfigsByContent?(type: string, modelFamily: string | null, contentKey: string): TableRows['configs'][];
  /** Number of events in the stream so far (0: no such stream). */
  streamVersion(streamId: string): number;
}

/**
 * The port the handlers' list queries read through: a CatalogReader that can
 * also page a table in creation order. The platform's SQLite reader
 * implements it and is injected by the CATALOG_READER token.
 */
export interface PagingCatalogReader extends CatalogReader {
  /**
   * A page of rows in creation order, after the row with key `after` (0:
   * from the start), only those whose columns equal `where`'s values; `last`
   * is the key of the last row.
   */
  page(table: string, after: number, limit: number, where?: Row): { rows: Row[]; last: number };
}
