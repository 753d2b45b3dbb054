import type { Mutation, Row } from '../shared/catalog.js';
import type { RecordedEvent } from '../shared/event.js';
import type { TableName } from './tables.js';

/**
 * Generic row events shared by every catalog entity. An entity's stream type
 * is its table name in the singular (`dataset` → `datasets`); events carry
 * the row (Added/Imported), the changed columns (Updated) or just the id.
 */
export interface RowAdded {
  row: Row;
}
export interface RowUpdated {
  id: string;
  set: Row;
}
export interface RowRemoved {
  id: string;
}

const STREAM_TABLE_NAMES = {
  dataset: 'datasets',
  model: 'models',
  adapter: 'adapters',
  prompt: 'prompts',
  config: 'configs',
  fine_tuning_job: 'fine_tuning_jobs',
  evaluation_job: 'evaluation_jobs',
  model_export: 'model_exports',
  adapter_comparison: 'adapter_comparisons',
} as const satisfies Record<string, TableName>;

/** Stream type → table; indexed by a known stream type it gives that table's name (so reads come typed). */
export const STREAM_TABLES: typeof STREAM_TABLE_NAMES & Readonly<Record<string, TableName>> = STREAM_TABLE_NAMES;
export type CatalogStreamType = keyof typeof STREAM_TABLE_NAMES;

export const streamIdOf = (streamType: string, id: string) => `${streamType}-${id}`;

const tableOf = (e: RecordedEvent) => {
  const t = STREAM_TABLES[e.streamType];
  if (!t) throw new Error(`no table for stream type ${e.streamType}`);
  return t;
};

export const insertRow = (e: RecordedEvent): Mutation[] => [{ op: 'insert', table: tableOf(e), row: (e.data as RowAdded).row }];
export const updateRow = (e: RecordedEvent): Mutation[] => {
  const d = e.data as RowUpdated;
  return [{ op: 'update', table: tableOf(e), id: d.id, set: d.set }];
};
export const removeRow = (e: RecordedEvent): Mutation[] => [{ op: 'delete', table: tableOf(e), id: (e.data as RowRemoved).id }];

/** Past-tense event names per entity; the projection of each is one of insert / update / remove. */
const ENTITIES = ['Dataset', 'Model', 'Adapter', 'Prompt', 'Config', 'FineTuningJob', 'EvaluationJob', 'ModelExport'];

export const catalogProjection: Record<string, (e: RecordedEvent) => Mutation[]> = Object.fromEntries(
  ENTITIES.flatMap((n) => [
    [`${n}Added`, insertRow],
    [`${n}Imported`, insertRow],
    [`${n}Updated`, updateRow],
    [`${n}Removed`, removeRow],
  ]),
);
