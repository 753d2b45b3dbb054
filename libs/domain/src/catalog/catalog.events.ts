import type { EventOf } from '../shared/event.js';
import type { NewRow } from './tables.js';

/**
 * The events every catalog entity's stream can hold, by entity name
 * (`Dataset` → DatasetAdded | DatasetImported | DatasetUpdated |
 * DatasetRemoved): the row as written (Added, Imported), the changed columns
 * (Updated, projected for logs that hold it) or the id (Removed). The stored
 * JSON is these payloads as they are.
 */
export type CatalogEventOf<Entity extends string, R extends { id: string }> =
  | EventOf<`${Entity}Added`, { row: NewRow<R> }>
  | EventOf<`${Entity}Imported`, { row: NewRow<R> }>
  | EventOf<`${Entity}Updated`, { id: string; set: Partial<R> }>
  | EventOf<`${Entity}Removed`, { id: string }>;
