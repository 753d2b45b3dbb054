/**
 * The projection tables. They keep the original's table and column names and
 * types (spec/behaviour.md §3) so that `sqlite3 .app/state.db` shows what users
 * of the original expect; this project's own columns are marked `ext` and are
 * left out of an export in the original's shape.
 */
export type SqlType = 'VARCHAR' | 'TEXT' | 'INTEGER' | 'DOUBLE';

export interface ColumnDef {
  name: string;
  type: SqlType;
  /** A column this project adds; the original has no such column. */
  ext?: boolean;
  /** Foreign key target table (declared, not enforced, as in the original). */
  references?: string;
}

export interface TableDef {
  name: string;
  columns: ColumnDef[];
}

const col = (name: string, type: SqlType = 'VARCHAR', references?: string): ColumnDef => ({
  name,
  type,
  ...(references ? { references } : {}),
});
const ext = (name: string, type: SqlType = 'VARCHAR'): ColumnDef => ({ name, type, ext: true });
const id = col('id');
const createdAt = ext('created_at');
const updatedAt = ext('updated_at');

export const MODELS: TableDef = {
  name: 'models',
  columns: [
    id,
    col('type'),
    col('framework'),
    col('name'),
    col('description'),
    col('huggingface_model_name'),
    col('location'),
    col('cml_registered_model_id'),
    col('mlflow_experiment_id'),
    col('mlflow_run_id'),
    ext('model_family'),
    createdAt,
  ],
};

export const DATASETS: TableDef = {
  name: 'datasets',
  columns: [
    id,
    col('type'),
    col('name'),
    col('description', 'TEXT'),
    col('huggingface_name'),
    col('location', 'TEXT'),
    col('features', 'TEXT'),
    createdAt,
  ],
};

export const ADAPTERS: TableDef = {
  name: 'adapters',
  columns: [
    id,
    col('type'),
    col('name'),
    col('description'),
    col('huggingface_name'),
    col('model_id', 'VARCHAR', 'models'),
    col('location', 'TEXT'),
    col('fine_tuning_job_id', 'VARCHAR', 'fine_tuning_jobs'),
    col('prompt_id', 'VARCHAR', 'prompts'),
    col('cml_registered_model_id'),
    col('mlflow_experiment_id'),
    col('mlflow_run_id'),
    createdAt,
  ],
};

export const FINE_TUNING_JOBS: TableDef = {
  name: 'fine_tuning_jobs',
  columns: [
    id,
    col('base_model_id', 'VARCHAR', 'models'),
    col('dataset_id', 'VARCHAR', 'datasets'),
    col('prompt_id', 'VARCHAR', 'prompts'),
    col('num_workers', 'INTEGER'),
    col('cml_job_id'),
    col('adapter_id', 'VARCHAR', 'adapters'),
    col('num_cpu', 'INTEGER'),
    col('num_gpu', 'INTEGER'),
    col('num_memory', 'INTEGER'),
    col('num_epochs', 'INTEGER'),
    col('learning_rate', 'DOUBLE'),
    col('out_dir'),
    col('training_arguments_config_id', 'VARCHAR', 'configs'),
    col('model_bnb_config_id', 'VARCHAR', 'configs'),
    col('adapter_bnb_config_id', 'VARCHAR', 'configs'),
    col('lora_config_id', 'VARCHAR', 'configs'),
    col('training_arguments_config'),
    col('model_bnb_config'),
    col('adapter_bnb_config'),
    col('lora_config'),
    col('dataset_fraction', 'DOUBLE'),
    col('train_test_split', 'DOUBLE'),
    col('user_script'),
    col('user_config_id', 'VARCHAR', 'configs'),
    col('framework_type'),
    col('axolotl_config_id', 'VARCHAR', 'configs'),
    col('gpu_label_id', 'INTEGER'),
    col('adapter_name'),
    ext('user_config', 'TEXT'),
    ext('auto_add_adapter', 'INTEGER'),
    ext('status'),
    ext('status_message', 'TEXT'),
    createdAt,
    updatedAt,
    ext('runner'),
    ext('time_limit'),
    ext('cluster_job_id'),
    ext('cluster_nodes'),
    ext('checkpoint_every_steps', 'INTEGER'),
    ext('max_attempts', 'INTEGER'),
    ext('attempt', 'INTEGER'),
    ext('resume_from', 'TEXT'),
    ext('replay_until_step', 'INTEGER'),
    ext('retry_at'),
    ext('early_stopping_metric'),
    ext('early_stopping_patience', 'INTEGER'),
    ext('early_stopping_min_delta', 'DOUBLE'),
    ext('best_checkpoint_step', 'INTEGER'),
  ],
};

export const CONFIGS: TableDef = {
  name: 'configs',
  columns: [
    id,
    col('type'),
    col('description'),
    col('config', 'TEXT'),
    col('model_family'),
    col('is_default', 'INTEGER'),
    createdAt,
  ],
};

export const PROMPTS: TableDef = {
  name: 'prompts',
  columns: [
    id,
    col('type'),
    col('name'),
    col('description'),
    col('dataset_id', 'VARCHAR', 'datasets'),
    col('prompt_template'),
    col('input_template'),
    col('completion_template'),
    createdAt,
  ],
};

export const EVALUATION_JOBS: TableDef = {
  name: 'evaluation_jobs',
  columns: [
    id,
    col('type'),
    col('cml_job_id'),
    col('parent_job_id'),
    col('base_model_id', 'VARCHAR', 'models'),
    col('dataset_id', 'VARCHAR', 'datasets'),
    col('prompt_id', 'VARCHAR', 'prompts'),
    col('num_workers', 'INTEGER'),
    col('adapter_id', 'VARCHAR', 'adapters'),
    col('num_cpu', 'INTEGER'),
    col('num_gpu', 'INTEGER'),
    col('num_memory', 'INTEGER'),
    col('evaluation_dir'),
    col('model_bnb_config_id', 'VARCHAR', 'configs'),
    col('adapter_bnb_config_id', 'VARCHAR', 'configs'),
    col('generation_config_id', 'VARCHAR', 'configs'),
    col('model_bnb_config'),
    col('adapter_bnb_config'),
    col('generation_config'),
    ext('gpu_label_id', 'INTEGER'),
    ext('selected_features', 'TEXT'),
    ext('eval_dataset_fraction', 'DOUBLE'),
    ext('comparison_adapter_id'),
    ext('run_number', 'INTEGER'),
    ext('status'),
    ext('status_message', 'TEXT'),
    createdAt,
    updatedAt,
    ext('runner'),
    ext('time_limit'),
    ext('cluster_job_id'),
    ext('cluster_nodes'),
  ],
};

/** This project's own table: export requests recorded as streams. */
export const MODEL_EXPORTS: TableDef = {
  name: 'model_exports',
  columns: [
    id,
    ext('type'),
    ext('base_model_id'),
    ext('adapter_id'),
    ext('model_name'),
    ext('artifact_location', 'TEXT'),
    ext('model_description', 'TEXT'),
    ext('generation_config', 'TEXT'),
    ext('status'),
    ext('status_message', 'TEXT'),
    createdAt,
    updatedAt,
    ext('cpu', 'INTEGER'),
    ext('memory', 'INTEGER'),
    ext('gpu', 'INTEGER'),
    ext('replicas', 'INTEGER'),
    ext('disable_authentication', 'INTEGER'),
    ext('cml_model_id'),
    ext('cml_build_id'),
    ext('cml_deployment_id'),
    ext('registered_model_id'),
  ],
};

/** A short job: one input through a base model and each chosen adapter. */
export const ADAPTER_COMPARISONS: TableDef = {
  name: 'adapter_comparisons',
  columns: [
    id,
    ext('base_model_id'),
    ext('adapter_ids', 'TEXT'),
    ext('input_text', 'TEXT'),
    ext('generation_config', 'TEXT'),
    ext('cpu', 'INTEGER'),
    ext('gpu', 'INTEGER'),
    ext('memory', 'INTEGER'),
    ext('gpu_label_id', 'INTEGER'),
    ext('outputs', 'TEXT'),
    ext('status'),
    ext('status_message', 'TEXT'),
    createdAt,
    updatedAt,
  ],
};

/** Where each job runs: the runner's handle (JSON), how far its outputs were read, its pending deadline. */
export const JOB_RUNS: TableDef = {
  name: 'job_runs',
  columns: [
    id,
    ext('job_type'),
    ext('runner'),
    ext('handle', 'TEXT'),
    ext('outputs_offset', 'INTEGER'),
    ext('deadline_kind'),
    ext('deadline_at'),
    ext('updated_at'),
  ],
};

/** Every progress point a job reported (`id` is `<job id>:<seq>`). */
export const JOB_METRICS: TableDef = {
  name: 'job_metrics',
  columns: [
    id,
    ext('job_id'),
    ext('seq', 'INTEGER'),
    ext('step', 'INTEGER'),
    ext('total_steps', 'INTEGER'),
    ext('epoch', 'DOUBLE'),
    ext('loss', 'DOUBLE'),
    ext('eval_loss', 'DOUBLE'),
    ext('learning_rate', 'DOUBLE'),
    ext('grad_norm', 'DOUBLE'),
    ext('at'),
    ext('attempt', 'INTEGER'),
  ],
};

/** Every checkpoint a job's runs saved (`id` is `<job id>:<attempt>:<step>`); `path` is project-relative. */
export const JOB_CHECKPOINTS: TableDef = {
  name: 'job_checkpoints',
  columns: [
    id,
    ext('job_id'),
    ext('attempt', 'INTEGER'),
    ext('step', 'INTEGER'),
    ext('epoch', 'DOUBLE'),
    ext('loss', 'DOUBLE'),
    ext('eval_loss', 'DOUBLE'),
    ext('path', 'TEXT'),
    ext('at'),
  ],
};

/** What a finished job produced: the template's `result` payload and artifacts (JSON). */
export const JOB_RESULTS: TableDef = {
  name: 'job_results',
  columns: [id, ext('job_type'), ext('result', 'TEXT'), ext('artifacts', 'TEXT'), ext('recorded_at')],
};

/** The original's tables, in the order its registry (and so its export) lists them. */
export const ORIGINAL_TABLES: TableDef[] = [
  DATASETS,
  MODELS,
  PROMPTS,
  ADAPTERS,
  FINE_TUNING_JOBS,
  EVALUATION_JOBS,
  CONFIGS,
];

export const ALL_TABLES: TableDef[] = [...ORIGINAL_TABLES, MODEL_EXPORTS, ADAPTER_COMPARISONS, JOB_RUNS, JOB_METRICS, JOB_RESULTS, JOB_CHECKPOINTS];

export const tableByName = (name: string): TableDef | undefined => ALL_TABLES.find((t) => t.name === name);

export const isOriginalTable = (name: string) => ORIGINAL_TABLES.some((t) => t.name === name);

export const originalColumns = (t: TableDef) => t.columns.filter((c) => !c.ext);

/**
 * The CREATE TABLE text, formatted exactly as the original's SQLAlchemy DDL
 * (so an export's `schema` is byte-for-byte what the original wrote).
 * `withExtensions` adds this project's columns, as the live table has them.
 */
export function createTableSql(t: TableDef, opts: { withExtensions: boolean; ifNotExists?: boolean; name?: string }) {
  const cols = opts.withExtensions ? t.columns : originalColumns(t);
  const lines = cols.map((c) => `${c.name} ${c.type}${c.name === 'id' ? ' NOT NULL' : ''}`);
  lines.push('PRIMARY KEY (id)');
  for (const c of cols) if (c.references) lines.push(`FOREIGN KEY(${c.name}) REFERENCES ${c.references} (id)`);
  const head = `CREATE TABLE ${opts.ifNotExists ? 'IF NOT EXISTS ' : ''}${opts.name ?? t.name}`;
  return `${head} (\n\t${lines.join(', \n\t')}\n)`;
}
