import type { ConfigRow, FineTuningJobRow, NewRow } from '../catalog/tables.js';
import type { Row } from '../shared/catalog.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import type { NewEvent } from '../shared/event.js';
import { failedPrecondition, invalidArgument, notFound } from '../shared/domain-error.js';
import { MAX_FIELD_LENGTH, requireFields, requireMaxLength } from '../shared/validation.js';
import { streamIdOf } from '../catalog/catalog.projection.js';
import { planConfig } from '../configs/config.decider.js';
import { axolotlConfigNotFound, configNotFound } from '../configs/configs.errors.js';
import { adapterNameTaken } from '../adapters/adapters.errors.js';
import { datasetNotFound } from '../datasets/datasets.errors.js';
import { modelNotFound } from '../models/models.errors.js';
import { promptNotFound } from '../prompts/prompts.errors.js';
import { planAxolotlPrompt } from './axolotl-prompt.js';
import { parseFiniteJson, parseJobConfig, validateFineTuningNumbers } from './job-numbers.validation.js';
import {
  FRAMEWORK_TYPES,
  JOB_QUEUED,
  JOB_QUEUED_MESSAGE,
  type PathFact,
  type RemoveJob,
  type StartFineTuningJob,
} from './job.commands.js';
import { fineTuningJobNotFound } from './jobs.errors.js';
import { assertRemovable, DEFAULT_MAX_ATTEMPTS } from '../lifecycle/job-lifecycle.decider.js';

/** The most runs one job may be allowed (max_attempts). */
export const MAX_ATTEMPTS_LIMIT = 20;
import { runnerChoice } from './runner-choice.js';

export const FINE_TUNING_JOB_STREAM = 'fine_tuning_job';
/** Where a job given no output_dir keeps its adapter: `<job_runs_dir>/<job id>/adapter`. */
export const DEFAULT_JOB_RUNS_DIR = '.app/job_runs';

/**
 * The project-relative folder a job's adapter is saved to: `<out_dir>/<job id>`
 * (as the original's script was told), or `<job_runs_dir>/<job id>/adapter`
 * when the request named no output folder.
 */
export function adapterDirOf(job: { id: string; out_dir?: string | null }, jobRunsDir = DEFAULT_JOB_RUNS_DIR): string {
  return job.out_dir ? joinPath(job.out_dir, job.id) : joinPath(joinPath(jobRunsDir, job.id), 'adapter');
}

const JSON_CONFIG_FIELDS = ['model_bnb_config', 'adapter_bnb_config', 'training_arguments_config', 'lora_config'] as const;

const invalid = (code: string, message: string) => invalidArgument(code, message);

export const AXOLOTL_NOT_RUNNABLE_MESSAGE =
  "The axolotl framework cannot run here: this studio's job runner trains with its own template (transformers Trainer + PEFT) only. Start the job with framework_type 'legacy'.";

/** Proto float fields are float32; the stored value is the float32 the wire carries, whatever the transport. */
const f32 = (x: number) => Math.fround(x);

const joinPath = (dir: string, name: string) => (dir === '.' || dir === '' ? name : `${dir.replace(/\/+$/, '')}/${name}`);

/**
 * StartFineTuningJob (spec/behaviour.md §1): the original's checks in its
 * order and words, with its quirks fixed (the adapter name is also checked
 * against adapters, paths must be inside the project, JSON fields must
 * parse, the axolotl prompt never ends in a TypeError). Records the job as a
 * stream of its own, `queued`; nothing is dispatched here.
 */
export function startFineTuningJob(cmd: StartFineTuningJob, ctx: DecideContext): Decision<NewRow<FineTuningJobRow>> {
  requireMaxLength({
    adapter_name: cmd.adapter_name,
    base_model_id: cmd.base_model_id,
    dataset_id: cmd.dataset_id,
    prompt_id: cmd.prompt_id,
    output_dir: cmd.output_dir,
    user_script: cmd.user_script,
    user_config_id: cmd.user_config_id,
    framework_type: cmd.framework_type,
    axolotl_config_id: cmd.axolotl_config_id,
  });
  requireMaxLength(
    {
      model_bnb_config: cmd.model_bnb_config,
      adapter_bnb_config: cmd.adapter_bnb_config,
      training_arguments_config: cmd.training_arguments_config,
      lora_config: cmd.lora_config,
      user_config: cmd.user_config,
    },
    MAX_FIELD_LENGTH,
  );

  // 1. Framework (empty: legacy).
  const framework = cmd.framework_type || 'legacy';
  if (!(FRAMEWORK_TYPES as readonly string[]).includes(framework)) {
    throw invalid('JOB.FRAMEWORK_UNSUPPORTED', 'Invalid framework type provided.');
  }

  // 2. Adapter name: ASCII letters, digits and hyphens, at least one letter or digit.
  const adapterName = cmd.adapter_name ?? '';
  if (adapterName && !/^[A-Za-z0-9-]*[A-Za-z0-9][A-Za-z0-9-]*$/.test(adapterName)) {
    throw invalid(
      'JOB.ADAPTER_NAME_INVALID',
      'Adapter Name should only contain alphanumeric characters and hyphens, and no spaces.',
    );
  }
  if (cmd.auto_add_adapter && !adapterName) {
    throw invalid('FIELD.REQUIRED', "Field 'adapter_name' is required when auto_add_adapter is set.");
  }

  // 3. Paths: an existing folder (and a file for the user script) inside the project.
  let outputDir: string | null = null;
  if (cmd.output_dir) {
    const fact = knownFact(cmd.paths?.output_dir);
    if (fact.kind !== 'directory') throw invalid('JOB.OUTPUT_DIR_INVALID', 'Output Location must be a valid folder directory.');
    outputDir = fact.relative;
  }
  let userScript: string | null = null;
  if (cmd.user_script) {
    const fact = knownFact(cmd.paths?.user_script);
    if (fact.kind === 'missing') {
      throw notFound('JOB.USER_SCRIPT_NOT_FOUND', `User script '${cmd.user_script}' does not exist in the project.`);
    }
    if (fact.kind !== 'file') throw invalid('JOB.USER_SCRIPT_INVALID', `User script '${cmd.user_script}' is not a file.`);
    userScript = fact.relative;
  }

  // 4. Resources.
  if (!(cmd.cpu > 0)) throw invalid('JOB.CPU_INVALID', 'CPU allocation must be greater than 0.');
  if (!(cmd.gpu >= 0)) throw invalid('JOB.GPU_INVALID', 'GPU allocation must be 0 or greater.');
  if (!(cmd.memory > 0)) throw invalid('JOB.MEMORY_INVALID', 'Memory allocation must be greater than 0.');
  if (!(cmd.num_workers > 0)) throw invalid('JOB.WORKERS_INVALID', 'Number of workers must be greater than 0.');
  if (!(cmd.num_epochs > 0)) throw invalid('JOB.EPOCHS_INVALID', 'Number of epochs must be greater than 0.');
  if (!(cmd.learning_rate > 0)) throw invalid('JOB.LEARNING_RATE_INVALID', 'Learning rate must be greater than 0.');
  validateFineTuningNumbers(cmd);

  // Extension: where it runs, and how it survives a lost run.
  const placement = runnerChoice(cmd);
  const checkpointEvery = cmd.checkpoint_every_steps ?? 0;
  if (!Number.isInteger(checkpointEvery) || checkpointEvery < 0) {
    throw invalid('JOB.CHECKPOINT_EVERY_INVALID', 'checkpoint_every_steps must be 0 (one checkpoint per epoch) or a positive number of steps.');
  }
  const maxAttempts = cmd.max_attempts || DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
    throw invalid('JOB.MAX_ATTEMPTS_INVALID', `max_attempts must be between 1 and ${MAX_ATTEMPTS_LIMIT} (0: the default, ${DEFAULT_MAX_ATTEMPTS}).`);
  }
  const earlyStopping = earlyStoppingOf(cmd);

  // 5. Fractions (an unset value, 0, fails as in the original).
  if (!(cmd.dataset_fraction > 0 && cmd.dataset_fraction <= 1)) {
    throw invalid('JOB.DATASET_FRACTION_INVALID', 'Dataset fraction must be between 0 and 1.');
  }
  if (!(cmd.train_test_split > 0 && cmd.train_test_split <= 1)) {
    throw invalid('JOB.TRAIN_TEST_SPLIT_INVALID', 'Train-test split must be between 0 and 1.');
  }

  // 6. Axolotl needs its config.
  if (framework === 'axolotl' && !cmd.axolotl_config_id) {
    throw invalid('JOB.AXOLOTL_CONFIG_REQUIRED', 'Axolotl Config ID is required for AXOLOTL framework type.');
  }

  // 7. The JSON fields parse, and are stored as json.dumps(json.loads(...)).
  const configs: Record<(typeof JSON_CONFIG_FIELDS)[number], string | null> = {
    model_bnb_config: null,
    adapter_bnb_config: null,
    training_arguments_config: null,
    lora_config: null,
  };
  for (const f of JSON_CONFIG_FIELDS) {
    if (cmd[f]) configs[f] = parseJobConfig(f, cmd[f]).text;
  }
  const userConfig = cmd.user_config ? parseFiniteJson('user_config', cmd.user_config).text : null;

  // 8. References.
  const name = adapterName.trim();
  if (name && (ctx.read.find('fine_tuning_jobs', { adapter_name: name }).length || ctx.read.find('adapters', { name }).length)) {
    throw adapterNameTaken(name);
  }
  const baseModelId = (cmd.base_model_id ?? '').trim();
  requireFields('StartFineTuningJobRequest', { base_model_id: baseModelId });
  if (!ctx.read.get('models', baseModelId)) throw modelNotFound(cmd.base_model_id);
  const datasetId = (cmd.dataset_id ?? '').trim();
  requireFields('StartFineTuningJobRequest', { dataset_id: datasetId });
  const dataset = ctx.read.get('datasets', datasetId);
  if (!dataset) throw datasetNotFound(cmd.dataset_id);
  const promptId: string | null = cmd.prompt_id ? cmd.prompt_id.trim() : null;
  if (framework === 'legacy' && promptId && !ctx.read.get('prompts', promptId)) throw promptNotFound(cmd.prompt_id);
  let axolotlConfig: ConfigRow | undefined;
  const axolotlConfigId = cmd.axolotl_config_id ? cmd.axolotl_config_id.trim() : null;
  if (framework === 'axolotl' && axolotlConfigId) {
    axolotlConfig = ctx.read.get('configs', axolotlConfigId);
    if (!axolotlConfig) {
      throw axolotlConfigNotFound(cmd.axolotl_config_id);
    }
    if (axolotlConfig.type !== 'axolotl') {
      throw invalid(
        'JOB.AXOLOTL_CONFIG_TYPE',
        `Config '${axolotlConfigId}' is of type '${axolotlConfig.type}'; an axolotl job needs a config of type axolotl.`,
      );
    }
  }
  let userConfigId: string | null = cmd.user_config_id ? cmd.user_config_id.trim() : null;
  if (!userConfig && userConfigId && !ctx.read.get('configs', userConfigId)) throw configNotFound(userConfigId);

  // 9. Side records: the axolotl prompt, the user config (a `custom` config, deduplicated like AddConfig).
  const events: NewEvent[] = [];
  if (axolotlConfig) {
    // The config and its dataset format are checked (their own errors first), but nothing here runs
    // axolotl: refuse rather than silently train with the legacy template.
    planAxolotlPrompt(axolotlConfig, dataset, ctx);
    throw failedPrecondition('JOB.AXOLOTL_NOT_RUNNABLE', AXOLOTL_NOT_RUNNABLE_MESSAGE);
  }
  if (userConfig) {
    const plan = planConfig({ type: 'custom', config: cmd.user_config }, ctx);
    userConfigId = plan.row.id;
    if (plan.event) events.push(plan.event);
  }

  const id = ctx.newId();
  const row: NewRow<FineTuningJobRow> = {
    id,
    base_model_id: baseModelId,
    dataset_id: datasetId,
    prompt_id: promptId,
    num_workers: cmd.num_workers,
    cml_job_id: null,
    adapter_id: null,
    num_cpu: cmd.cpu,
    num_gpu: cmd.gpu,
    num_memory: cmd.memory,
    num_epochs: cmd.num_epochs,
    learning_rate: f32(cmd.learning_rate),
    // The folder as the client gave it, as the original stored it; the adapter goes to adapterDirOf(job).
    out_dir: outputDir,
    training_arguments_config: configs.training_arguments_config,
    model_bnb_config: configs.model_bnb_config,
    adapter_bnb_config: configs.adapter_bnb_config,
    lora_config: configs.lora_config,
    dataset_fraction: f32(cmd.dataset_fraction),
    train_test_split: f32(cmd.train_test_split),
    user_script: userScript,
    user_config_id: userConfigId,
    framework_type: framework,
    axolotl_config_id: axolotlConfigId,
    gpu_label_id: cmd.gpu_label_id,
    adapter_name: name || null,
    user_config: userConfig,
    auto_add_adapter: cmd.auto_add_adapter ? 1 : 0,
    ...placement,
    cluster_job_id: null,
    cluster_nodes: null,
    checkpoint_every_steps: checkpointEvery,
    max_attempts: maxAttempts,
    attempt: 1,
    resume_from: null,
    replay_until_step: null,
    retry_at: null,
    ...earlyStopping,
    best_checkpoint_step: null,
    status: JOB_QUEUED,
    status_message: JOB_QUEUED_MESSAGE,
    created_at: ctx.now,
    updated_at: ctx.now,
  };
  events.push({
    type: 'FineTuningJobQueued',
    streamId: streamIdOf(FINE_TUNING_JOB_STREAM, id),
    streamType: FINE_TUNING_JOB_STREAM,
    data: { row },
    expectedVersion: 0,
  });
  return { events, result: row };
}

/** Metrics early stopping can watch (lower is better). */
export const EARLY_STOPPING_METRICS = ['eval_loss'] as const;

/** The early-stopping columns of a new job: all null when no patience is asked for. */
function earlyStoppingOf(cmd: StartFineTuningJob): Row {
  const patience = cmd.early_stopping_patience ?? 0;
  const metric = (cmd.early_stopping_metric ?? '').trim();
  const minDelta = cmd.early_stopping_min_delta ?? 0;
  if (!Number.isInteger(patience) || patience < 0) {
    throw invalid('JOB.EARLY_STOPPING_PATIENCE_INVALID', 'early_stopping_patience must be 0 (no early stopping) or a positive number of evaluations.');
  }
  if (metric && !(EARLY_STOPPING_METRICS as readonly string[]).includes(metric)) {
    throw invalid('JOB.EARLY_STOPPING_METRIC_INVALID', `Early stopping can watch ${EARLY_STOPPING_METRICS.join(', ')} only, not '${metric}'.`);
  }
  if (!Number.isFinite(minDelta) || minDelta < 0) {
    throw invalid('JOB.EARLY_STOPPING_MIN_DELTA_INVALID', 'early_stopping_min_delta must be 0 or a positive number.');
  }
  if (patience === 0) return { early_stopping_metric: null, early_stopping_patience: null, early_stopping_min_delta: null };
  return { early_stopping_metric: metric || 'eval_loss', early_stopping_patience: patience, early_stopping_min_delta: f32(minDelta) };
}

/** The edge always looks before deciding; a path it did not look at is refused rather than trusted. */
function knownFact(fact: PathFact | undefined): Exclude<PathFact, { kind: 'refused' }> {
  if (!fact) return { kind: 'other', relative: '' };
  if (fact.kind === 'refused') throw fact.error;
  return fact;
}

export function removeFineTuningJob(cmd: RemoveJob, ctx: DecideContext): Decision<void> {
  requireFields('RemoveFineTuningJobRequest', { id: cmd.id });
  requireMaxLength({ id: cmd.id });
  if (!ctx.read.get('fine_tuning_jobs', cmd.id)) throw fineTuningJobNotFound(cmd.id);
  assertRemovable({ streamType: 'fine_tuning_job', id: cmd.id }, ctx);
  return {
    events: [
      {
        type: 'FineTuningJobRemoved',
        streamId: streamIdOf(FINE_TUNING_JOB_STREAM, cmd.id),
        streamType: FINE_TUNING_JOB_STREAM,
        data: { id: cmd.id },
      },
    ],
    result: undefined,
  };
}
