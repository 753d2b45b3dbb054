/**
 * The projection tables. They keep the original's table and column names and
 * types (spec/behaviour.md §3) so that `sqlite3 .app/state.db` shows what users
 * of the original expect; this project's own columns are marked `ext` and are
 * left out of an export in the original's shape.
 *
 * Each table's row type (`DatasetRow`, `FineTuningJobRow`, ...) is derived
 * from its definition below, so a column is declared once: text columns read
 * as `string | null`, INTEGER and DOUBLE columns as `number | null` (every
 * column but `id` may be NULL: a row imported from the original has only the
 * columns it had), `id` as `string`.
 */
export type SqlType = 'VARCHAR' | 'TEXT' | 'INTEGER' | 'DOUBLE';

export interface ColumnDef<N extends string = string, T extends SqlType = SqlType> {
  name: N;
  type: T;
  /** A column this project adds; the original has no such column. */
  ext?: boolean;
  /** Foreign key target table (declared, not enforced, as in the original). */
  references?: TableName;
}

export interface TableDef<N extends string = TableName, C extends readonly ColumnDef[] = readonly ColumnDef[]> {
  name: N;
  columns: C;
}

function col<N extends string>(name: N): ColumnDef<N, 'VARCHAR'>;
function col<N extends string, T extends SqlType>(name: N, type: T, references?: TableName): ColumnDef<N, T>;
function col(name: string, type: SqlType = 'VARCHAR', references?: TableName): ColumnDef {
  return { name, type, ...(references ? { references } : {}) };
}
function ext<N extends string>(name: N): ColumnDef<N, 'VARCHAR'>;
function ext<N extends string, T extends SqlType>(name: N, type: T): ColumnDef<N, T>;
function ext(name: string, type: SqlType = 'VARCHAR'): ColumnDef {
  return { name, type, ext: true };
}
const table = <N extends string, const C extends readonly ColumnDef[]>(name: N, columns: C): TableDef<N, C> => ({ name, columns });
const id = col('id');
const createdAt = ext('created_at');
const updatedAt = ext('updated_at');

/** The value a column of this SQL type holds when read back. */
type ValueOf<T extends SqlType> = T extends 'INTEGER' | 'DOUBLE' ? number | null : string | null;

/** A table's row: every column, typed by its SQL type; `id` is never NULL. */
export type RowOf<D extends TableDef> = {
  [C in D['columns'][number] as C['name']]: C['name'] extends 'id' ? string : ValueOf<C['type']>;
};

export const MODELS = table('models', [
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
  ]);

export const DATASETS = table('datasets', [
    id,
    col('type'),
    col('name'),
    col('description', 'TEXT'),
    col('huggingface_name'),
    col('location', 'TEXT'),
    col('features', 'TEXT'),
    createdAt,
  ]);

export const ADAPTERS = table('adapters', [
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
  ]);

export const FINE_TUNING_JOBS = table('fine_tuning_jobs', [
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
  ]);

export const CONFIGS = table('configs', [
    id,
    col('type'),
    col('description'),
    col('config', 'TEXT'),
    col('model_family'),
    col('is_default', 'INTEGER'),
    createdAt,
  ]);

export const PROMPTS = table('prompts', [
    id,
    col('type'),
    col('name'),
    col('description'),
    col('dataset_id', 'VARCHAR', 'datasets'),
    col('prompt_template'),
    col('input_template'),
    col('completion_template'),
    createdAt,
  ]);

export const EVALUATION_JOBS = table('evaluation_jobs', [
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
  ]);

/** This project's own table: export requests recorded as streams. */
export const MODEL_EXPORTS = table('model_exports', [
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
  ]);

/** A short job: one input through a base model and each chosen adapter. */
export const ADAPTER_COMPARISONS = table('adapter_comparisons', [
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
  ]);

/** Where each job runs: the runner's handle (JSON), how far its outputs were read, its pending deadline. */
export const JOB_RUNS = table('job_runs', [
    id,
    ext('job_type'),
    ext('runner'),
    ext('handle', 'TEXT'),
    ext('outputs_offset', 'INTEGER'),
    ext('deadline_kind'),
    ext('deadline_at'),
    ext('updated_at'),
  ]);

/** Every progress point a job reported (`id` is `<job id>:<seq>`). */
export const JOB_METRICS = table('job_metrics', [
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
  ]);

/** Every checkpoint a job's runs saved (`id` is `<job id>:<attempt>:<step>`); `path` is project-relative. */
export const JOB_CHECKPOINTS = table('job_checkpoints', [
    id,
    ext('job_id'),
    ext('attempt', 'INTEGER'),
    ext('step', 'INTEGER'),
    ext('epoch', 'DOUBLE'),
    ext('loss', 'DOUBLE'),
    ext('eval_loss', 'DOUBLE'),
    ext('path', 'TEXT'),
    ext('at'),
  ]);

/** What a finished job produced: the template's `result` payload and artifacts (JSON). */
export const JOB_RESULTS = table('job_results', [id, ext('job_type'), ext('result', 'TEXT'), ext('artifacts', 'TEXT'), ext('recorded_at')]);

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

/** One row type per table, derived from the definitions above. */
export type DatasetRow = RowOf<typeof DATASETS>;
export type ModelRow = RowOf<typeof MODELS>;
export type PromptRow = RowOf<typeof PROMPTS>;
export type AdapterRow = RowOf<typeof ADAPTERS>;
export type ConfigRow = RowOf<typeof CONFIGS>;
export type FineTuningJobRow = RowOf<typeof FINE_TUNING_JOBS>;
export type EvaluationJobRow = RowOf<typeof EVALUATION_JOBS>;
export type ModelExportRow = RowOf<typeof MODEL_EXPORTS>;
export type AdapterComparisonRow = RowOf<typeof ADAPTER_COMPARISONS>;
export type JobRunRow = RowOf<typeof JOB_RUNS>;
export type JobMetricRow = RowOf<typeof JOB_METRICS>;
export type JobCheckpointRow = RowOf<typeof JOB_CHECKPOINTS>;
export type JobResultRow = RowOf<typeof JOB_RESULTS>;

/** Table name → its row type: what CatalogReader.get/find return for that table. */
export interface TableRows {
  datasets: DatasetRow;
  models: ModelRow;
  prompts: PromptRow;
  adapters: AdapterRow;
  configs: ConfigRow;
  fine_tuning_jobs: FineTuningJobRow;
  evaluation_jobs: EvaluationJobRow;
  model_exports: ModelExportRow;
  adapter_comparisons: AdapterComparisonRow;
  job_runs: JobRunRow;
  job_metrics: JobMetricRow;
  job_checkpoints: JobCheckpointRow;
  job_results: JobResultRow;
}
export type TableName = keyof TableRows;
/** The tables whose rows are jobs (they share status, status_message, runner...). */
export type JobTableName = 'fine_tuning_jobs' | 'evaluation_jobs' | 'adapter_comparisons' | 'model_exports';
/**
 * A job of any kind, for code that handles every kind alike (the lifecycle,
 * the supervisor): the columns all job tables share, and those of one kind
 * only, which are absent (undefined) on the rows of the other kinds.
 */
export type JobRow = Pick<FineTuningJobRow, 'id' | 'status' | 'status_message' | 'created_at' | 'updated_at'> &
  Partial<Omit<FineTuningJobRow & EvaluationJobRow & ModelExportRow & AdapterComparisonRow, 'id' | 'status' | 'status_message' | 'created_at' | 'updated_at'>>;

/** A row as a command writes it: the id and the columns it sets; the projection stores NULL in the others. */
export type NewRow<R extends { id: string }> = Pick<R, 'id'> & Partial<Omit<R, 'id'>>;
