import type { DomainError } from '../shared/domain-error.js';

/**
 * What the edge found at a path from a request (the decider does no I/O):
 * the project-relative path and what is there, or the refusal (a path
 * outside the project) to report at the right point of the validation order.
 */
export type PathFact =
  | { kind: 'directory' | 'file' | 'other' | 'missing'; relative: string }
  | { kind: 'refused'; error: DomainError };

/** StartFineTuningJobRequest, in the original's field names, plus what the edge found on disk. */
export interface StartFineTuningJob {
  adapter_name: string;
  base_model_id: string;
  dataset_id: string;
  prompt_id: string;
  num_workers: number;
  auto_add_adapter: boolean;
  num_epochs: number;
  learning_rate: number;
  cpu: number;
  gpu: number;
  memory: number;
  train_test_split: number;
  model_bnb_config: string;
  adapter_bnb_config: string;
  training_arguments_config: string;
  lora_config: string;
  output_dir: string;
  dataset_fraction: number;
  user_script: string;
  user_config_id: string;
  user_config: string;
  framework_type: string;
  axolotl_config_id: string;
  gpu_label_id: number;
  /** Extension: the runner for this job ('' → the server's), and its Slurm time limit. */
  runner?: string;
  time_limit?: string;
  /** Extension: a checkpoint every N steps (0/absent: per epoch), and the runs allowed in all (0/absent: 3). */
  checkpoint_every_steps?: number;
  max_attempts?: number;
  /** Extension: early stopping on eval_loss (patience 0/absent: off). */
  early_stopping_metric?: string;
  early_stopping_patience?: number;
  early_stopping_min_delta?: number;
  /** Facts about `output_dir` and `user_script` when they are set. */
  paths?: { output_dir?: PathFact; user_script?: PathFact };
  /** Project-relative folder under which a job without output_dir keeps its adapter (default `.app/job_runs`). */
  job_runs_dir?: string;
}

export interface EvaluationCombination {
  base_model_id: string;
  adapter_id: string;
}

/** Runners a job may ask for by name (StartFineTuningJobRequest.runner). */
export const JOB_RUNNER_NAMES = ['local', 'slurm', 'cml'] as const;

/** Slurm's time formats: minutes, minutes:seconds, hours:minutes:seconds, days-hours[:minutes[:seconds]], or UNLIMITED. */
export const CLUSTER_TIME_LIMIT = /^(?:\d{1,7}(?::\d{1,2}){0,2}|\d{1,4}-\d{1,2}(?::\d{1,2}){0,2}|UNLIMITED|INFINITE)$/i;

/** StartEvaluationJobRequest; `type`, `comparison_adapter_id`, `job_id` and `run_number` are computed, never read. */
export interface StartEvaluationJob {
  model_adapter_combinations: EvaluationCombination[];
  dataset_id: string;
  prompt_id: string;
  cpu: number;
  gpu: number;
  memory: number;
  model_bnb_config: string;
  adapter_bnb_config: string;
  generation_config: string;
  gpu_label_id: number;
  /** Extension: the runner for these jobs ('' → the server's), and their Slurm time limit. */
  runner?: string;
  time_limit?: string;
  selected_features: string[];
  eval_dataset_fraction: number;
}

export interface RemoveJob {
  id: string;
}

/** A job's first status: recorded, waiting for a runner to take it. */
export const JOB_QUEUED = 'queued';
export const JOB_QUEUED_MESSAGE = 'Waiting for a runner.';

export const FRAMEWORK_TYPES = ['legacy', 'axolotl'] as const;
export const EVALUATION_TYPE_MLFLOW = 'mlflow';
/** The most model/adapter combinations one StartEvaluationJob may ask for. */
export const MAX_EVALUATION_COMBINATIONS = 64;
