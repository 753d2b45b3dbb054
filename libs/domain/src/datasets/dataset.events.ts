import type { CatalogEventOf } from '../catalog/catalog.events.js';
import type { DatasetRow } from '../catalog/tables.js';

/** Every event of a dataset stream; a switch on `type` is exhaustive over it. */
export type DatasetEvent = CatalogEventOf<'Dataset', DatasetRow>;
export type DatasetAdded = Extract<DatasetEvent, { type: 'DatasetAdded' }>;
export type DatasetImported = Extract<DatasetEvent, { type: 'DatasetImported' }>;
export type DatasetUpdated = Extract<DatasetEvent, { type: 'DatasetUpdated' }>;
export type DatasetRemoved = Extract<DatasetEvent, { type: 'DatasetRemoved' }>;
