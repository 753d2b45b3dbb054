/**
 * DTOs of the HTTP API, derived from the contract: api.generated.ts is generated from
 * /api/openapi.json (npm run generate:web-types; a server test fails when it is stale),
 * whose schemas are the proto messages plus the HTTP-only views. Field names and types
 * come from there; `Present<T, K>` only says which fields of a catalog row the console relies
 * on (the server leaves NULL columns out, so the contract makes every row field optional).
 */
import type { components } from './api.generated';

/** The contract's schemas by name. */
export type Schemas = components['schemas'];
/** T with the fields `K` the console relies on made required (a catalog row as the HTTP API sends it has every field optional). */
export type Present<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> };
/** Only the fields `K` of T required: for what the console also reads from older servers or partial sources. */
export type Needs<T, K extends keyof T> = Partial<T> & { [P in K]-?: NonNullable<T[P]> };

export type Dataset = Present<Schemas['DatasetListItem'], 'id' | 'type' | 'name'>;
export type Model = Present<Schemas['ModelListItem'], 'id' | 'type' | 'name'>;
export type Adapter = Present<Schemas['AdapterListItem'], 'id' | 'type' | 'name' | 'model_id'>;
export type Prompt = Present<Schemas['PromptMetadata'], 'id' | 'name' | 'dataset_id' | 'prompt_template'>;
export type ConfigType = 'lora_config' | 'bitsandbytes_config' | 'training_arguments' | 'generation_config';
export type Config = Present<Schemas['ConfigMetadata'], 'id' | 'type' | 'config'>;

export type JobStatus = 'queued' | 'dispatching' | 'scheduling' | 'running' | 'cancelling' | 'retrying' | 'succeeded' | 'failed' | 'cancelled' | string;
export const TERMINAL: readonly string[] = ['succeeded', 'failed', 'cancelled'];

export type FineTuningJob = Present<Schemas['FineTuningJobMetadata'], 'id' | 'adapter_name' | 'base_model_id' | 'dataset_id' | 'prompt_id' | 'status'>;
/** A checkpoint a job's run saved (path is relative to the project; loss is null when the template reported none). */
export type JobCheckpoint = Schemas['JobCheckpoint'];
export type MetricPoint = Schemas['JobMetricPoint'];
/** The metrics a point's `values` may hold (JobMetricPoint.values in the proto). */
export const METRIC_NAMES = ['epoch', 'loss', 'eval_loss', 'learning_rate', 'grad_norm'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export type EvaluationJob = Present<Schemas['EvaluationJobMetadata'], 'id' | 'base_model_id' | 'dataset_id' | 'status'>;
export type EvalRow = Needs<Schemas['EvaluationRowResult'], 'input' | 'expected' | 'output'>;
export type EvalRun = Omit<Needs<Schemas['EvaluationRunResult'], 'evaluation_job_id' | 'base_model_id' | 'status'>, 'rows'> & { rows?: EvalRow[] };

export type EventRecord = Needs<Schemas['Event'], 'position' | 'stream_id' | 'stream_type' | 'stream_version' | 'type' | 'data' | 'metadata' | 'recorded_at'>;

export type Settings = Schemas['Settings'];
export type SlurmPartition = Schemas['SlurmPartition'];
export type SlurmCluster = NonNullable<Settings['slurm']>;

/** Parses the `features` JSON text list of a dataset. */
export function featuresOf(d: Dataset | undefined): string[] {
  if (!d?.features) return [];
  try {
    const v = JSON.parse(d.features);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** The id of the entity an event is about (stream ids carry a type prefix, e.g. `dataset-<uuid>`). */
export function entityIdOf(e: EventRecord): string {
  const d = e.data ?? {};
  if (typeof d['id'] === 'string') return d['id'] as string;
  const row = d['row'] as { id?: unknown } | undefined;
  if (row && typeof row.id === 'string') return row.id;
  return e.stream_id.replace(/^[a-z_]+-(?=[0-9a-f]{8}-)/, '');
}
