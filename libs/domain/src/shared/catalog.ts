/** A row of a projection table: column name → value. */
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

/** Read access to projection tables, used by deciders for cross-entity rules. */
export interface CatalogReader {
  get(table: string, id: string): Row | undefined;
  /** Rows whose columns equal every value of `where`, in creation order. */
  find(table: string, where?: Row): Row[];
  /** Number of events in the stream so far (0: no such stream). */
  streamVersion(streamId: string): number;
}

/**
 * The port the handlers' list queries read through: a CatalogReader that can
 * also page a table in creation order. The platform's SQLite reader
 * implements it and is injected by the CATALOG_READER token.
 */
export interface PagingCatalogReader extends CatalogReader {
  /** A page of rows in creation order, after the row with key `after` (0: from the start); `last` is the key of the last row. */
  page(table: string, after: number, limit: number): { rows: Row[]; last: number };
}
