import type { Row } from '../shared/catalog.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import type { NewEvent } from '../shared/event.js';
import { STREAM_TABLES, streamIdOf } from '../catalog/catalog.projection.js';
import { SAMPLE_DATASET, SAMPLE_PROMPT, SEED_CONFIGS, SEED_MODELS, SQL_DATASET, SQL_PROMPT } from './seed.defaults.js';

export interface SeedDefaults {
  /** Seed the sample project dataset and its prompt (only when its CSV is in the project). */
  includeSample: boolean;
}

export interface SeedReport {
  /** Ids recorded, per table. */
  added: Record<string, string[]>;
  /** Ids already present (their stream or row exists), left as they are. */
  skipped: string[];
}

const ENTITY: Record<string, string> = {
  dataset: 'Dataset',
  model: 'Model',
  prompt: 'Prompt',
  config: 'Config',
};

/**
 * The project defaults as ordinary catalog events (`DatasetAdded`,
 * `ModelAdded`, `PromptAdded`, `ConfigAdded`), so a seeded project replays
 * like any other. Anything whose stream or row already exists is skipped,
 * so seeding twice (or racing another process) writes nothing twice.
 */
export function seedDefaults(cmd: SeedDefaults, ctx: DecideContext): Decision<SeedReport> {
  const plan: [string, Row][] = [
    ['dataset', SQL_DATASET],
    ...(cmd.includeSample ? ([['dataset', SAMPLE_DATASET]] as [string, Row][]) : []),
    ...SEED_MODELS.map((m): [string, Row] => ['model', m]),
    ['prompt', SQL_PROMPT],
    ...(cmd.includeSample ? ([['prompt', SAMPLE_PROMPT]] as [string, Row][]) : []),
    ...SEED_CONFIGS.map((c): [string, Row] => ['config', c]),
  ];
  const events: NewEvent[] = [];
  const report: SeedReport = { added: {}, skipped: [] };
  for (const [streamType, template] of plan) {
    const id = String(template.id);
    const streamId = streamIdOf(streamType, id);
    const table = STREAM_TABLES[streamType];
    if (ctx.read.streamVersion(streamId) > 0 || ctx.read.get(table, id)) {
      report.skipped.push(id);
      continue;
    }
    const row: Row = { ...template, created_at: ctx.now };
    events.push({ type: `${ENTITY[streamType]}Added`, streamId, streamType, data: { row }, expectedVersion: 0 });
    (report.added[table] ??= []).push(id);
  }
  return { events, result: report };
}
