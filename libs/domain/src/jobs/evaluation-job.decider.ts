import type { DatasetRow, EvaluationJobRow, NewRow } from '../catalog/tables.js';
import { runnerChoice } from './runner-choice.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import type { NewEvent } from '../shared/event.js';
import { invalidArgument } from '../shared/domain-error.js';
import { MAX_FIELD_LENGTH, requireFields, requireMaxLength, requireNotBlank } from '../shared/validation.js';
import { streamIdOf } from '../catalog/catalog.projection.js';
import { parseJobConfig, validateEvaluationNumbers } from './job-numbers.validation.js';
import { pyJsonStringList } from '@fts/py-compat';
import {
  EVALUATION_TYPE_MLFLOW,
  JOB_QUEUED,
  JOB_QUEUED_MESSAGE,
  MAX_EVALUATION_COMBINATIONS,
  type RemoveJob,
  type StartEvaluationJob,
} from './job.commands.js';
import { evaluationFractionInvalid, evaluationJobNotFound } from './jobs.errors.js';
import { adapterNotFound } from '../adapters/adapters.errors.js';
import { datasetNotFound } from '../datasets/datasets.errors.js';
import { modelNotFound } from '../models/models.errors.js';
import { promptNotFound } from '../prompts/prompts.errors.js';
import { assertRemovable } from '../lifecycle/job-lifecycle.decider.js';

export const EVALUATION_JOB_STREAM = 'evaluation_job';
/** An unset eval_dataset_fraction (0) evaluates on the whole evaluation split. */
export const DEFAULT_EVAL_DATASET_FRACTION = 1.0;

const REQUEST = 'StartEvaluationJobRequest';

/** The dataset's features when they are known (a JSON list of names); undefined when not. */
function featuresOf(dataset: DatasetRow): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(dataset.features ?? '');
    return Array.isArray(parsed) && parsed.length ? parsed.map(String) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * StartEvaluationJob (spec/behaviour.md §1) with the original's quirks
 * fixed: gpu 0 is allowed (CPU-only evaluation), every combination's
 * adapter is checked as well as its base model, selected features must be
 * features of the dataset. One job per combination, each its own stream,
 * all sharing a parent_job_id; every one is returned.
 */
export function startEvaluationJob(cmd: StartEvaluationJob, ctx: DecideContext): Decision<NewRow<EvaluationJobRow>[]> {
  const combos = cmd.model_adapter_combinations ?? [];
  requireFields(REQUEST, {
    model_adapter_combinations: combos,
    dataset_id: cmd.dataset_id,
    prompt_id: cmd.prompt_id,
    cpu: cmd.cpu,
    memory: cmd.memory,
  });
  if (combos.length > MAX_EVALUATION_COMBINATIONS) {
    throw invalidArgument(
      'EVALUATION.TOO_MANY_COMBINATIONS',
      `At most ${MAX_EVALUATION_COMBINATIONS} model/adapter combinations can be evaluated at once; ${combos.length} were given.`,
    );
  }
  const features = cmd.selected_features ?? [];
  requireMaxLength({ dataset_id: cmd.dataset_id, prompt_id: cmd.prompt_id });
  combos.forEach((c) => requireMaxLength({ base_model_id: c.base_model_id, adapter_id: c.adapter_id }));
  features.forEach((f) => requireMaxLength({ selected_features: f }));
  requireMaxLength(
    { model_bnb_config: cmd.model_bnb_config, adapter_bnb_config: cmd.adapter_bnb_config, generation_config: cmd.generation_config },
    MAX_FIELD_LENGTH,
  );
  if (!(cmd.cpu > 0)) throw invalidArgument('JOB.CPU_INVALID', 'CPU allocation must be greater than 0.');
  if (!(cmd.gpu >= 0)) throw invalidArgument('JOB.GPU_INVALID', 'GPU allocation must be 0 or greater.');
  if (!(cmd.memory > 0)) throw invalidArgument('JOB.MEMORY_INVALID', 'Memory allocation must be greater than 0.');
  validateEvaluationNumbers(cmd);
  requireNotBlank({ dataset_id: cmd.dataset_id, prompt_id: cmd.prompt_id });
  const placement = runnerChoice(cmd);

  const datasetId = cmd.dataset_id.trim();
  const dataset = ctx.read.get('datasets', datasetId);
  if (!dataset) throw datasetNotFound(cmd.dataset_id);

  const pairs = combos.map((c) => {
    const baseModelId = (c.base_model_id ?? '').trim();
    if (!baseModelId) {
      throw invalidArgument('FIELD.REQUIRED', "Field 'base_model_id' is required in EvaluationJobModelCombination.");
    }
    if (!ctx.read.get('models', baseModelId)) throw modelNotFound(c.base_model_id);
    const adapterId = (c.adapter_id ?? '').trim();
    if (adapterId && !ctx.read.get('adapters', adapterId)) throw adapterNotFound(c.adapter_id);
    return { baseModelId, adapterId };
  });

  const promptId = cmd.prompt_id.trim();
  if (!ctx.read.get('prompts', promptId)) throw promptNotFound(cmd.prompt_id);

  const known = featuresOf(dataset);
  if (known) {
    for (const f of features) {
      if (!known.includes(f)) {
        throw invalidArgument(
          'EVALUATION.UNKNOWN_FEATURE',
          `Selected feature '${f}' is not a feature of dataset '${dataset.name}' (features: ${known.join(', ')}).`,
        );
      }
    }
  }

  const fraction = cmd.eval_dataset_fraction || DEFAULT_EVAL_DATASET_FRACTION;
  if (!(fraction > 0 && fraction <= 1)) {
    throw evaluationFractionInvalid();
  }

  const json = (field: 'model_bnb_config' | 'adapter_bnb_config' | 'generation_config') =>
    cmd[field] ? parseJobConfig(field, cmd[field]).text : null;
  const modelBnb = json('model_bnb_config');
  const adapterBnb = json('adapter_bnb_config');
  const generation = json('generation_config');

  const parentId = ctx.newId();
  const comparisonAdapterId = pairs.find((p) => p.adapterId)?.adapterId ?? null;
  const rows: NewRow<EvaluationJobRow>[] = [];
  const events: NewEvent[] = [];
  pairs.forEach((p, index) => {
    const id = ctx.newId();
    const row: NewRow<EvaluationJobRow> = {
      id,
      type: EVALUATION_TYPE_MLFLOW,
      cml_job_id: null,
      parent_job_id: parentId,
      base_model_id: p.baseModelId,
      dataset_id: datasetId,
      prompt_id: promptId,
      num_workers: 1,
      adapter_id: p.adapterId,
      num_cpu: cmd.cpu,
      num_gpu: cmd.gpu,
      num_memory: cmd.memory,
      evaluation_dir: `mlflow_results/${parentId}`,
      model_bnb_config: modelBnb,
      adapter_bnb_config: adapterBnb,
      generation_config: generation,
      gpu_label_id: cmd.gpu_label_id,
      selected_features: pyJsonStringList(features),
      eval_dataset_fraction: Math.fround(fraction),
      comparison_adapter_id: comparisonAdapterId,
      run_number: index,
      ...placement,
      cluster_job_id: null,
      cluster_nodes: null,
      status: JOB_QUEUED,
      status_message: JOB_QUEUED_MESSAGE,
      created_at: ctx.now,
      updated_at: ctx.now,
    };
    rows.push(row);
    events.push({
      type: 'EvaluationJobQueued',
      streamId: streamIdOf(EVALUATION_JOB_STREAM, id),
      streamType: EVALUATION_JOB_STREAM,
      data: { row },
      expectedVersion: 0,
    });
  });
  return { events, result: rows };
}

export function removeEvaluationJob(cmd: RemoveJob, ctx: DecideContext): Decision<void> {
  requireFields('RemoveEvaluationJobRequest', { id: cmd.id });
  requireMaxLength({ id: cmd.id });
  if (!ctx.read.get('evaluation_jobs', cmd.id)) throw evaluationJobNotFound(cmd.id);
  assertRemovable({ streamType: 'evaluation_job', id: cmd.id }, ctx);
  return {
    events: [
      { type: 'EvaluationJobRemoved', streamId: streamIdOf(EVALUATION_JOB_STREAM, cmd.id), streamType: EVALUATION_JOB_STREAM, data: { id: cmd.id } },
    ],
    result: undefined,
  };
}
