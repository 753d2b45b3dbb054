import path from 'node:path';
import {
  adapterDirOf,
  attemptOf,
  datasetSplitByAdapter,
  type AdapterComparisonRow,
  type AdapterRow,
  type CatalogReader,
  type DatasetRow,
  type EvaluationJobRow,
  type FineTuningJobRow,
  type ModelRow,
  type PromptRow,
  type TableName,
  type TableRows,
} from '@fts/domain';
import { jobRunsDir } from '../platform/paths/job-runs-dir.js';

/**
 * spec.json for each job template (job-templates/README.md): everything
 * resolved from the catalog, so a template needs nothing but its spec.
 * Every location from the catalog is resolved again here, symlinks followed,
 * and must still be inside the project: a registered file may have been
 * replaced by a link to /etc since it was checked.
 */

export interface SpecContext {
  read: CatalogReader;
  projectRoot: string;
  stateDir: string;
  /** The real absolute path of a project location (symlinks followed); throws when it is outside the project. */
  confine(p: string): string;
}

const str = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
const json = (v: unknown): unknown => {
  if (!str(v)) return null;
  try {
    return JSON.parse(String(v));
  } catch {
    return null;
  }
};
const list = (v: unknown): string[] => {
  const parsed = json(v);
  return Array.isArray(parsed) ? parsed.map(String) : [];
};

/** A catalog row a job needs is gone (removed after the job was queued), or cannot be used; the job fails with the message. */
export class MissingInput extends Error {}

/** A location a job would read or write resolves outside the project. */
export class PathOutsideProject extends MissingInput {}

/** `what`'s location as an absolute path inside the project, or null when it has none. */
export function confinedPath(ctx: Pick<SpecContext, 'confine'>, p: unknown, what: string): string | null {
  const loc = str(p);
  if (!loc) return null;
  try {
    return ctx.confine(loc);
  } catch {
    throw new PathOutsideProject(`The ${what} location '${loc}' resolves outside the project (symlinks followed); the job was not started.`);
  }
}

function need<T extends TableName>(ctx: SpecContext, table: T, id: string | null, what: string): TableRows[T] {
  const row = id ? ctx.read.get(table, id) : undefined;
  if (!row) throw new MissingInput(`The ${what} '${id}' this job needs no longer exists.`);
  return row;
}

const modelSpec = (ctx: SpecContext, m: ModelRow) => ({
  id: m.id,
  name: m.name,
  huggingface_name: str(m.huggingface_model_name),
  location: confinedPath(ctx, m.location, 'base model'),
});
const datasetSpec = (ctx: SpecContext, d: DatasetRow) => ({
  id: d.id,
  type: d.type,
  huggingface_name: str(d.huggingface_name),
  location: confinedPath(ctx, d.location, 'dataset'),
  features: list(d.features),
});
const promptSpec = (p: PromptRow) => ({
  type: p.type ?? null,
  prompt_template: p.prompt_template,
  input_template: p.input_template,
  completion_template: p.completion_template,
});
const adapterSpec = (ctx: SpecContext, a: AdapterRow) => ({
  id: a.id,
  name: a.name,
  location: confinedPath(ctx, a.location, `adapter '${a.name}'`),
  huggingface_name: str(a.huggingface_name),
});

export function fineTuneSpec(ctx: SpecContext, job: FineTuningJobRow): Record<string, unknown> {
  const model = need(ctx, 'models', job.base_model_id, 'base model');
  const dataset = need(ctx, 'datasets', job.dataset_id, 'dataset');
  const prompt = need(ctx, 'prompts', job.prompt_id, 'prompt');
  return {
    job_id: job.id,
    kind: 'fine_tune',
    project_root: ctx.projectRoot,
    // A folder from the request is confined; the default one is the server's own, under its state folder.
    output_dir: job.out_dir ? confinedPath(ctx, adapterDirOf(job), 'output') : path.resolve(ctx.projectRoot, adapterDirOf(job, jobRunsDir(ctx.projectRoot, ctx.stateDir))),
    base_model: modelSpec(ctx, model),
    dataset: datasetSpec(ctx, dataset),
    prompt: promptSpec(prompt),
    adapter_name: job.adapter_name,
    num_epochs: job.num_epochs,
    learning_rate: job.learning_rate,
    train_test_split: job.train_test_split,
    dataset_fraction: job.dataset_fraction,
    seed: 42,
    lora_config: json(job.lora_config),
    bnb_config: json(job.adapter_bnb_config) ?? json(job.model_bnb_config),
    training_arguments: json(job.training_arguments_config),
    completion_only_loss: true,
    num_workers: job.num_workers,
    gpus: job.num_gpu,
    ...checkpointSpec(ctx, job),
  };
}

/**
 * Where a fine-tuning run keeps its checkpoints (one folder for every attempt,
 * in the job's first run folder), how often it saves one, and the checkpoint
 * a retried or resumed run starts from.
 */
export function checkpointSpec(ctx: SpecContext, job: FineTuningJobRow): Record<string, unknown> {
  const every = job.checkpoint_every_steps ?? 0;
  return {
    checkpoint_dir: path.join(path.resolve(ctx.stateDir), 'job_runs', job.id, 'checkpoints'),
    checkpoint_every_steps: Number.isInteger(every) && every > 0 ? every : null,
    attempt: attemptOf(job),
    resume_from: job.resume_from ? confinedPath(ctx, job.resume_from, 'checkpoint') : null,
    early_stopping:
      job.early_stopping_patience && job.early_stopping_patience > 0
        ? { metric: job.early_stopping_metric || 'eval_loss', patience: job.early_stopping_patience, min_delta: job.early_stopping_min_delta ?? 0 }
        : null,
  };
}


export function evaluateSpec(ctx: SpecContext, job: EvaluationJobRow): Record<string, unknown> {
  const model = need(ctx, 'models', job.base_model_id, 'base model');
  const dataset = need(ctx, 'datasets', job.dataset_id, 'dataset');
  const prompt = need(ctx, 'prompts', job.prompt_id, 'prompt');
  const adapter = str(job.adapter_id) ? need(ctx, 'adapters', job.adapter_id, 'adapter') : null;
  // The held-out split the adapter's training did not see (same fractions, same seed).
  const split = adapter ? datasetSplitByAdapter(ctx.read, adapter.id) : { dataset_fraction: 1, train_test_split: 0.9 };
  return {
    job_id: job.id,
    kind: 'evaluate',
    project_root: ctx.projectRoot,
    output_dir: job.evaluation_dir
      ? confinedPath(ctx, path.join(job.evaluation_dir, job.id), 'evaluation output')
      : path.resolve(ctx.projectRoot, jobRunsDir(ctx.projectRoot, ctx.stateDir), job.id),
    base_model: modelSpec(ctx, model),
    adapter: adapter ? adapterSpec(ctx, adapter) : null,
    dataset: datasetSpec(ctx, dataset),
    prompt: promptSpec(prompt),
    train_test_split: split.train_test_split,
    dataset_fraction: split.dataset_fraction,
    seed: 42,
    bnb_config: json(job.adapter_bnb_config) ?? json(job.model_bnb_config),
    generation_config: json(job.generation_config),
    selected_features: list(job.selected_features),
    eval_dataset_fraction: job.eval_dataset_fraction ?? 1,
  };
}

export function compareSpec(ctx: SpecContext, job: AdapterComparisonRow): Record<string, unknown> {
  const model = need(ctx, 'models', job.base_model_id, 'base model');
  const adapters = list(job.adapter_ids).map((id) => adapterSpec(ctx, need(ctx, 'adapters', id, 'adapter')));
  return {
    job_id: job.id,
    kind: 'compare',
    project_root: ctx.projectRoot,
    output_dir: path.join(ctx.stateDir, 'job_runs', job.id, 'outputs'),
    base_model: modelSpec(ctx, model),
    adapters,
    input_text: job.input_text,
    generation_config: json(job.generation_config),
  };
}
