/** DTOs of the HTTP API (snake_case, as the proto names them). */
export interface Dataset {
  id: string; type: string; name: string; description?: string; huggingface_name?: string; location?: string;
  features?: string; created_at?: string;
  /** Set by the server when the row's file is not in this project (an imported row, say). */
  file_missing?: boolean;
}
export interface Model {
  id: string; type: string; name: string; huggingface_model_name?: string; location?: string; model_family?: string; created_at?: string; file_missing?: boolean;
}
export interface Adapter {
  id: string; type: string; name: string; model_id: string; location?: string; huggingface_name?: string;
  fine_tuning_job_id?: string; prompt_id?: string; created_at?: string; file_missing?: boolean;
}
export interface Prompt {
  id: string; type?: string; name: string; description?: string; dataset_id: string;
  prompt_template: string; input_template?: string; completion_template?: string; created_at?: string;
}
export type ConfigType = 'lora_config' | 'bitsandbytes_config' | 'training_arguments' | 'generation_config';
export interface Config { id: string; type: string; config: string; description?: string; is_default?: boolean | number }

export type JobStatus = 'queued' | 'dispatching' | 'scheduling' | 'running' | 'cancelling' | 'retrying' | 'succeeded' | 'failed' | 'cancelled' | string;
export const TERMINAL: readonly string[] = ['succeeded', 'failed', 'cancelled'];

export interface FineTuningJob {
  id: string; adapter_name: string; base_model_id: string; dataset_id: string; prompt_id: string;
  num_workers?: number; num_cpu?: number; num_gpu?: number; num_memory?: number; num_epochs?: number;
  learning_rate?: number | string; out_dir?: string; lora_config?: string; training_arguments_config?: string;
  adapter_bnb_config?: string; model_bnb_config?: string; dataset_fraction?: number; train_test_split?: number;
  adapter_id?: string; status: JobStatus; status_message?: string; created_at?: string; updated_at?: string;
  auto_add_adapter?: boolean; gpu_label_id?: number; framework_type?: string;
  /** Where it runs: the runner asked for, its Slurm time limit, the Slurm job id and node list. */
  runner?: string; time_limit?: string; cluster_job_id?: string; cluster_nodes?: string;
  /** Checkpoints and resume: every N steps (0: per epoch), the runs allowed in all, the run it is on (1 = the first). */
  checkpoint_every_steps?: number; max_attempts?: number; attempt?: number;
  /** Early stopping on eval_loss, and the checkpoint promoted to the adapter (0/absent: the final weights). */
  early_stopping_metric?: string; early_stopping_patience?: number; early_stopping_min_delta?: number; best_checkpoint_step?: number;
}
/** A checkpoint a job's run saved (path is relative to the project). */
export interface JobCheckpoint { step: number; epoch?: number; loss?: number; eval_loss?: number; path: string; attempt: number; at: string }
export interface MetricValues { loss?: number; eval_loss?: number; learning_rate?: number; grad_norm?: number; epoch?: number }
export interface MetricPoint { step: number; total_steps?: number; values: MetricValues; at: string; attempt?: number }

export interface EvaluationJob {
  id: string; parent_job_id?: string; base_model_id: string; adapter_id?: string; dataset_id: string; prompt_id?: string;
  status: JobStatus; status_message?: string; created_at?: string; type?: string;
}
export interface EvalRow { input: string; expected: string; output: string; exact_match?: number; rouge1?: number; rouge2?: number; rougeL?: number; bleu?: number; latency_s?: number }
export interface EvalRun {
  evaluation_job_id: string; base_model_id: string; adapter_id?: string; status: string;
  aggregate?: Record<string, number>; rows?: EvalRow[];
}

export interface EventRecord {
  position: number; stream_id: string; stream_type: string; stream_version: number; type: string;
  data: Record<string, unknown>; metadata: Record<string, unknown>; recorded_at: string;
}

export interface Settings {
  runner?: string; gpu_slots?: number; project_root?: string; state_dir?: string; db_path?: string; templates_dir?: string;
  python?: { path?: string; venv?: string; packages?: Record<string, boolean | string> | string[] };
  versions?: Record<string, string>; grpc_address?: string; http_address?: string; auth?: unknown;
  slurm?: SlurmCluster | null;
}
export interface SlurmPartition {
  name: string; default: boolean; available: string; timeLimit: string; gres: string;
  nodes: { allocated: number; idle: number; other: number; total: number };
  cpus: { allocated: number; idle: number; other: number; total: number };
}
export interface SlurmCluster { partitions: SlurmPartition[]; error?: string }

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
