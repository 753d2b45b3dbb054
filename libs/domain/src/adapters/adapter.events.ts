import type { CatalogEventOf } from '../catalog/catalog.events.js';
import type { AdapterRow } from '../catalog/tables.js';

/** Every event of a adapter stream; a switch on `type` is exhaustive over it. */
export type AdapterEvent = CatalogEventOf<'Adapter', AdapterRow>;
export type AdapterAdded = Extract<AdapterEvent, { type: 'AdapterAdded' }>;
export type AdapterImported = Extract<AdapterEvent, { type: 'AdapterImported' }>;
export type AdapterUpdated = Extract<AdapterEvent, { type: 'AdapterUpdated' }>;
export type AdapterRemoved = Extract<AdapterEvent, { type: 'AdapterRemoved' }>;
