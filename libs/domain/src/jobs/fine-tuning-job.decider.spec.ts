import { projectEvent } from '../projections.js';
import { FIXED_NOW, given, errorOf } from '../../test/support/testing.js';
import { invalidArgument } from '../shared/domain-error.js';
import type { DecideContext } from '../shared/decider.js';
import { AXOLOTL_NOT_RUNNABLE_MESSAGE, adapterDirOf, removeFineTuningJob, startFineTuningJob } from './fine-tuning-job.decider.js';
import { getFineTuningJob } from './job.queries.js';
import type { StartFineTuningJob } from './job.commands.js';
import { CATALOG, fineTuning } from './job.fixtures.js';

const start = (over: Partial<StartFineTuningJob>) => (ctx: DecideContext) => startFineTuningJob(fineTuning(over), ctx);

describe('StartFineTuningJob', () => {
  describe('with a valid legacy request', () => {
    it('records the job as its own stream, queued, with every request field', () => {
      const g = given(projectEvent, CATALOG);
      const d = g.run(
        start({
          output_dir: 'outputs',
          paths: { output_dir: { kind: 'directory', relative: 'outputs' } },
          lora_config: '{"r":16,"lora_dropout":5e-2,"alpha":32.0}',
          adapter_bnb_config: '{"load_in_4bit": true}',
          gpu_label_id: 3,
          train_test_split: 0.9,
        }),
      );
      expect(d.events.map((e) => [e.type, e.streamId, e.expectedVersion])).toEqual([['FineTuningJobQueued', 'fine_tuning_job-id-1', 0]]);
      expect(d.result).toEqual({
        id: 'id-1',
        base_model_id: 'm1',
        dataset_id: 'd1',
        prompt_id: 'p1',
        num_workers: 1,
        cml_job_id: null,
        adapter_id: null,
        num_cpu: 2,
        num_gpu: 1,
        num_memory: 8,
        num_epochs: 2,
        learning_rate: Math.fround(0.0002),
        out_dir: 'outputs',
        training_arguments_config: null,
        model_bnb_config: null,
        adapter_bnb_config: '{"load_in_4bit": true}',
        lora_config: '{"r": 16, "lora_dropout": 0.05, "alpha": 32.0}',
        dataset_fraction: 1,
        train_test_split: 0.8999999761581421,
        user_script: null,
        user_config_id: null,
        framework_type: 'legacy',
        axolotl_config_id: null,
        gpu_label_id: 3,
        adapter_name: 'my-adapter',
        user_config: null,
        auto_add_adapter: 1,
        runner: null,
        time_limit: null,
        cluster_job_id: null,
        cluster_nodes: null,
        checkpoint_every_steps: 0,
        max_attempts: 3,
        attempt: 1,
        resume_from: null,
        replay_until_step: null,
        retry_at: null,
        early_stopping_metric: null,
        early_stopping_patience: null,
        early_stopping_min_delta: null,
        best_checkpoint_step: null,
        status: 'queued',
        status_message: 'Waiting for a runner.',
        created_at: FIXED_NOW,
        updated_at: FIXED_NOW,
      });
      expect(getFineTuningJob(g.catalog, 'id-1')).toMatchObject({ status: 'queued', out_dir: 'outputs' });
      expect(adapterDirOf(d.result)).toBe('outputs/id-1');
    });

    it('keeps the adapter of a job without output_dir in its run folder', () => {
      const d = given(projectEvent, CATALOG).when(start({}));
      expect(d.result.out_dir).toBeNull();
      expect(adapterDirOf(d.result)).toBe('.app/job_runs/id-1/adapter');
      expect(adapterDirOf(d.result, 'state/job_runs')).toBe('state/job_runs/id-1/adapter');
    });

    it('adds user_config as a custom config (deduplicated) and stores its id', () => {
      const g = given(projectEvent, CATALOG);
      const first = g.run(start({ user_config: '{"test":"config"}', user_script: 'scripts/train.py', paths: { user_script: { kind: 'file', relative: 'scripts/train.py' } } }));
      expect(first.events.map((e) => e.type)).toEqual(['ConfigAdded', 'FineTuningJobQueued']);
      expect(g.catalog.get('configs', 'id-1')).toMatchObject({ type: 'custom', config: '{"test": "config"}', is_default: 0 });
      expect(first.result).toMatchObject({ user_config_id: 'id-1', user_config: '{"test": "config"}', user_script: 'scripts/train.py' });
      const second = g.when(start({ adapter_name: 'other', user_config: '{ "test" : "config" }' }));
      expect(second.events.map((e) => e.type)).toEqual(['FineTuningJobQueued']);
      expect(second.result.user_config_id).toBe('id-1');
    });
  });

  describe('validation, in the original order and wording', () => {
    const g = given(projectEvent, CATALOG);
    const refuses = (over: Partial<StartFineTuningJob>, code: string, message?: string) => {
      const e = g.attempt(start(over)).thenThrows();
      expect(e.code).toBe(code);
      if (message) expect(e.message).toBe(message);
      return e;
    };

    it('checks the framework, then the adapter name', () => {
      refuses({ framework_type: 'deepspeed', adapter_name: 'bad name' }, 'JOB.FRAMEWORK_UNSUPPORTED', 'Invalid framework type provided.');
      for (const name of ['bad name', 'bad_name', '---', 'modèle']) {
        refuses(
          { adapter_name: name },
          'JOB.ADAPTER_NAME_INVALID',
          'Adapter Name should only contain alphanumeric characters and hyphens, and no spaces.',
        );
      }
      refuses({ adapter_name: '', auto_add_adapter: true }, 'FIELD.REQUIRED');
      expect(g.when(start({ adapter_name: '', auto_add_adapter: false })).result.adapter_name).toBeNull();
    });

    it('checks output_dir and user_script against what the edge found in the project', () => {
      refuses({ output_dir: 'nope', paths: { output_dir: { kind: 'missing', relative: 'nope' } } }, 'JOB.OUTPUT_DIR_INVALID', 'Output Location must be a valid folder directory.');
      refuses({ output_dir: 'a.csv', paths: { output_dir: { kind: 'file', relative: 'a.csv' } } }, 'JOB.OUTPUT_DIR_INVALID');
      refuses({ output_dir: 'unchecked' }, 'JOB.OUTPUT_DIR_INVALID');
      const outside = invalidArgument('PATH.OUTSIDE_PROJECT', "Field 'output_dir' must be a path inside the project; '/etc' is outside it.");
      expect(g.attempt(start({ output_dir: '/etc', paths: { output_dir: { kind: 'refused', error: outside } } })).thenThrows()).toBe(outside);
      const missing = refuses({ user_script: 's.py', paths: { user_script: { kind: 'missing', relative: 's.py' } } }, 'JOB.USER_SCRIPT_NOT_FOUND');
      expect(missing.kind).toBe('not_found');
      refuses({ user_script: 'scripts', paths: { user_script: { kind: 'directory', relative: 'scripts' } } }, 'JOB.USER_SCRIPT_INVALID');
    });

    it('checks resources, then fractions (an unset fraction fails)', () => {
      refuses({ cpu: 0 }, 'JOB.CPU_INVALID', 'CPU allocation must be greater than 0.');
      refuses({ gpu: -1 }, 'JOB.GPU_INVALID', 'GPU allocation must be 0 or greater.');
      expect(g.when(start({ gpu: 0 })).result.num_gpu).toBe(0);
      refuses({ memory: 0 }, 'JOB.MEMORY_INVALID', 'Memory allocation must be greater than 0.');
      refuses({ num_workers: 0 }, 'JOB.WORKERS_INVALID', 'Number of workers must be greater than 0.');
      refuses({ num_epochs: 0 }, 'JOB.EPOCHS_INVALID', 'Number of epochs must be greater than 0.');
      refuses({ learning_rate: 0 }, 'JOB.LEARNING_RATE_INVALID', 'Learning rate must be greater than 0.');
      refuses({ learning_rate: NaN }, 'JOB.LEARNING_RATE_INVALID');
      refuses({ dataset_fraction: 0 }, 'JOB.DATASET_FRACTION_INVALID', 'Dataset fraction must be between 0 and 1.');
      refuses({ dataset_fraction: 1.5 }, 'JOB.DATASET_FRACTION_INVALID');
      refuses({ train_test_split: 0 }, 'JOB.TRAIN_TEST_SPLIT_INVALID', 'Train-test split must be between 0 and 1.');
      refuses({ framework_type: 'axolotl' }, 'JOB.AXOLOTL_CONFIG_REQUIRED', 'Axolotl Config ID is required for AXOLOTL framework type.');
    });

    it('keeps a runner override and a Slurm time limit, and refuses unknown runners and malformed limits', () => {
      const d = given(projectEvent, CATALOG).when(start({ runner: 'slurm', time_limit: '1-02:00:00' }));
      expect(d.result).toMatchObject({ runner: 'slurm', time_limit: '1-02:00:00', cluster_job_id: null });
      for (const t of ['30', '10:00', '2:00:00', '1-2', 'UNLIMITED']) expect(given(projectEvent, CATALOG).when(start({ time_limit: t })).result.time_limit).toBe(t);
      refuses({ runner: 'k8s' }, 'JOB.RUNNER_INVALID', "Runner 'k8s' is not one of local, slurm, cml (empty: the server's).");
      for (const t of ['soon', '1:2:3:4', '-5', '5m']) {
        expect(() => given(projectEvent, CATALOG).when(start({ time_limit: t }))).toThrow(expect.objectContaining({ code: 'JOB.TIME_LIMIT_INVALID' }));
      }
    });

    it('keeps the checkpoint, retry and early-stopping policy, and refuses values that cannot work', () => {
      const d = given(projectEvent, CATALOG).when(
        start({ checkpoint_every_steps: 50, max_attempts: 5, early_stopping_patience: 3, early_stopping_min_delta: 0.01 }),
      );
      expect(d.result).toMatchObject({
        checkpoint_every_steps: 50,
        max_attempts: 5,
        attempt: 1,
        early_stopping_metric: 'eval_loss',
        early_stopping_patience: 3,
        early_stopping_min_delta: Math.fround(0.01),
      });
      refuses({ checkpoint_every_steps: -1 }, 'JOB.CHECKPOINT_EVERY_INVALID');
      refuses({ max_attempts: 21 }, 'JOB.MAX_ATTEMPTS_INVALID', 'max_attempts must be between 1 and 20 (0: the default, 3).');
      refuses({ early_stopping_patience: 2, early_stopping_metric: 'accuracy' }, 'JOB.EARLY_STOPPING_METRIC_INVALID');
      refuses({ early_stopping_patience: -2 }, 'JOB.EARLY_STOPPING_PATIENCE_INVALID');
      refuses({ early_stopping_patience: 2, early_stopping_min_delta: -1 }, 'JOB.EARLY_STOPPING_MIN_DELTA_INVALID');
    });

    it('requires the JSON fields to parse, naming the field', () => {
      const e = refuses({ lora_config: '{r: 16}' }, 'CONFIG.INVALID_JSON');
      expect(e.message).toBe(
        "Field 'lora_config' is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1).",
      );
      refuses({ user_config: '[1,' }, 'CONFIG.INVALID_JSON');
    });

    it('refuses an adapter name used by a job or by an adapter, with ALREADY_EXISTS', () => {
      const h = given(projectEvent, CATALOG);
      h.run(start({}));
      const byJob = h.attempt(start({})).thenThrows();
      expect(byJob).toMatchObject({ kind: 'already_exists', message: "An adapter with the name 'my-adapter' already exists." });
      expect(h.attempt(start({ adapter_name: 'taken-adapter' })).thenThrows().kind).toBe('already_exists');
    });

    it('refuses missing references with NOT_FOUND and the original message', () => {
      refuses({ base_model_id: 'ghost' }, 'MODEL.NOT_FOUND', "Model with ID 'ghost' does not exist.");
      refuses({ dataset_id: 'ghost' }, 'DATASET.NOT_FOUND', "Dataset with ID 'ghost' does not exist.");
      refuses({ prompt_id: 'ghost' }, 'PROMPT.NOT_FOUND', "Prompt with ID 'ghost' does not exist.");
      refuses({ user_config_id: 'ghost' }, 'CONFIG.NOT_FOUND');
      refuses({ framework_type: 'axolotl', axolotl_config_id: 'ghost' }, 'CONFIG.NOT_FOUND', "Axolotl Config with ID 'ghost' does not exist.");
      refuses({ framework_type: 'axolotl', axolotl_config_id: 'lora1' }, 'JOB.AXOLOTL_CONFIG_TYPE');
      refuses({ base_model_id: '' }, 'FIELD.REQUIRED', "Field 'base_model_id' is required in StartFineTuningJobRequest.");
    });

    it('bounds string sizes', () => {
      refuses({ adapter_name: 'a'.repeat(600) }, 'FIELD.TOO_LONG');
    });
  });

  describe('with the axolotl framework', () => {
    it('refuses a valid axolotl job with FAILED_PRECONDITION instead of training it with the legacy template', () => {
      const g = given(projectEvent, CATALOG);
      const refused = g.attempt(start({ framework_type: 'axolotl', axolotl_config_id: 'ax1', prompt_id: '' })).thenThrows();
      expect(refused).toMatchObject({ kind: 'failed_precondition', code: 'JOB.AXOLOTL_NOT_RUNNABLE', message: AXOLOTL_NOT_RUNNABLE_MESSAGE });
      expect(g.catalog.get('prompts', 'id-1')).toBeUndefined();
    });

    it('says what is missing instead of failing with a TypeError', () => {
      const g = given(projectEvent, CATALOG);
      g.attempt(start({ framework_type: 'axolotl', axolotl_config_id: 'ax-notype' })).thenThrows('JOB.AXOLOTL_DATASET_TYPE_MISSING');
      const noFormat = g.attempt(start({ framework_type: 'axolotl', axolotl_config_id: 'ax-other' })).thenThrows();
      expect(noFormat).toMatchObject({ kind: 'not_found', code: 'JOB.AXOLOTL_FORMAT_NOT_FOUND' });
      expect(noFormat.message).toContain("'sharegpt'");
    });
  });
});

describe('RemoveFineTuningJob', () => {
  it('removes a job and refuses a missing one with NOT_FOUND', () => {
    const g = given(projectEvent, CATALOG);
    g.run(start({}));
    expect(g.run((ctx) => removeFineTuningJob({ id: 'id-1' }, ctx)).events[0]).toMatchObject({
      type: 'FineTuningJobRemoved',
      streamId: 'fine_tuning_job-id-1',
    });
    expect(g.catalog.get('fine_tuning_jobs', 'id-1')).toBeUndefined();
    expect(g.attempt((ctx) => removeFineTuningJob({ id: 'id-1' }, ctx)).thenThrows()).toMatchObject({
      kind: 'not_found',
      message: "Fine Tuning Job with ID 'id-1' does not exist.",
    });
    expect(errorOf(() => getFineTuningJob(g.catalog, 'id-1')).kind).toBe('not_found');
  });
});
