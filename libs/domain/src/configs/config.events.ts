import type { CatalogEventOf } from '../catalog/catalog.events.js';
import type { ConfigRow } from '../catalog/tables.js';

/** Every event of a config stream; a switch on `type` is exhaustive over it. */
export type ConfigEvent = CatalogEventOf<'Config', ConfigRow>;
export type ConfigAdded = Extract<ConfigEvent, { type: 'ConfigAdded' }>;
export type ConfigImported = Extract<ConfigEvent, { type: 'ConfigImported' }>;
export type ConfigUpdated = Extract<ConfigEvent, { type: 'ConfigUpdated' }>;
export type ConfigRemoved = Extract<ConfigEvent, { type: 'ConfigRemoved' }>;
