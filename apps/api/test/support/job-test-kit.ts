/**
 * A temporary project with a migrated SQLite database, the event store, the
 * bus and the command runner (test-store.ts), for the job, comparison and evaluation specs. `append` stores
 * events and publishes them, as a committed command would, so a job's life
 * can be played without the supervisor.
 */
import { streamIdOf, type JobStreamType, type MetricPoint, type NewEvent, type Row } from '@fts/domain';
import type { CallContext } from '../../src/platform/command-runner.js';
import { openTestStore, type TestStore } from './test-store.js';

export const CALL: CallContext = { transport: 'system' };

/** The test store (test-store.ts) with `append(...events)` spread, as the job specs write it. */
export interface Kit extends Omit<TestStore, 'append'> {
  /** Appends (each event after the stream's current version) and publishes on the bus. */
  append(...events: NewEvent[]): ReturnType<TestStore['append']>;
}

export async function openKit(): Promise<Kit> {
  const t = await openTestStore('fts-job-views-');
  const kit: Kit = { ...t, append: (...events) => t.append(events) };
  kit.append(...CATALOG);
  return kit;
}

const added = (entity: string, stream: string, row: Row): NewEvent => ({
  type: `${entity}Added`,
  streamId: streamIdOf(stream, String(row.id)),
  streamType: stream,
  data: { row },
});

/** A model, a dataset, a prompt and two adapters of the model. */
export const CATALOG: NewEvent[] = [
  added('Model', 'model', { id: 'm1', type: 'huggingface', name: 'org/base', huggingface_model_name: 'org/base' }),
  added('Dataset', 'dataset', { id: 'd1', type: 'project_csv', name: 'tickets', features: '["instruction", "intent"]' }),
  added('Prompt', 'prompt', { id: 'p1', type: 'in_place', name: 'Tickets', dataset_id: 'd1' }),
  added('Adapter', 'adapter', { id: 'a1', type: 'project', name: 'one', model_id: 'm1', location: 'adapters/one' }),
  added('Adapter', 'adapter', { id: 'a2', type: 'project', name: 'two', model_id: 'm1', location: 'adapters/two' }),
];

const QUEUED: Partial<Record<JobStreamType, string>> = {
  fine_tuning_job: 'FineTuningJobQueued',
  evaluation_job: 'EvaluationJobQueued',
  adapter_comparison: 'AdapterComparisonQueued',
  model_export: 'ModelExportRequested',
};

/** A queued job row of any kind (only the columns the views read). */
export function queued(streamType: JobStreamType, id: string, extra: Row = {}): NewEvent {
  const row: Row = {
    id,
    status: 'queued',
    status_message: 'Waiting for a runner.',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    ...(streamType === 'fine_tuning_job' ? { base_model_id: 'm1', dataset_id: 'd1', prompt_id: 'p1', adapter_name: `adapter-${id}`, auto_add_adapter: 0 } : {}),
    ...(streamType === 'evaluation_job' ? { base_model_id: 'm1', dataset_id: 'd1', prompt_id: 'p1', adapter_id: '', parent_job_id: 'parent' } : {}),
    ...extra,
  };
  return { type: QUEUED[streamType]!, streamId: streamIdOf(streamType, id), streamType, data: { row } };
}

/** A lifecycle event on a job's stream (the data the lifecycle decider would write). */
export function lifecycle(streamType: JobStreamType, id: string, type: string, data: Record<string, unknown> = {}): NewEvent {
  return { type, streamId: streamIdOf(streamType, id), streamType, data: { id, ...data } };
}

export const point = (step: number, over: Partial<MetricPoint> = {}): MetricPoint => ({
  step,
  total_steps: 10,
  loss: 2 - step / 10,
  at: `2026-01-01T00:00:0${step % 10}.000Z`,
  ...over,
});

/** JobProgressRecorded for points numbered from `firstSeq`. */
export const progress = (streamType: JobStreamType, id: string, firstSeq: number, points: MetricPoint[], nextOffset = firstSeq * 100): NewEvent =>
  lifecycle(streamType, id, 'JobProgressRecorded', { first_seq: firstSeq, points, next_offset: nextOffset });

/** The specs' error catchers (one copy, in errors.ts). */
export { errorOf, rejectionOf } from './errors.js';
