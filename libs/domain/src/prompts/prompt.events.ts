import type { CatalogEventOf } from '../catalog/catalog.events.js';
import type { PromptRow } from '../catalog/tables.js';

/** Every event of a prompt stream; a switch on `type` is exhaustive over it. */
export type PromptEvent = CatalogEventOf<'Prompt', PromptRow>;
export type PromptAdded = Extract<PromptEvent, { type: 'PromptAdded' }>;
export type PromptImported = Extract<PromptEvent, { type: 'PromptImported' }>;
export type PromptUpdated = Extract<PromptEvent, { type: 'PromptUpdated' }>;
export type PromptRemoved = Extract<PromptEvent, { type: 'PromptRemoved' }>;
