import type { CatalogEventOf } from '../catalog/catalog.events.js';
import type { ModelRow } from '../catalog/tables.js';

/** Every event of a model stream; a switch on `type` is exhaustive over it. */
export type ModelEvent = CatalogEventOf<'Model', ModelRow>;
export type ModelAdded = Extract<ModelEvent, { type: 'ModelAdded' }>;
export type ModelImported = Extract<ModelEvent, { type: 'ModelImported' }>;
export type ModelUpdated = Extract<ModelEvent, { type: 'ModelUpdated' }>;
export type ModelRemoved = Extract<ModelEvent, { type: 'ModelRemoved' }>;
