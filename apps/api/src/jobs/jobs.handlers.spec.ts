import fs from 'node:fs';
import path from 'node:path';
import type { EventMetadata, StartFineTuningJob } from '@fts/domain';
import type { EventStore } from '../platform/event-store/event-store.js';
import type { CallContext } from '../platform/command-runner.js';
import { loadConfig } from '../platform/config/app-config.js';
import { FineTuningJobsHandlers } from './fine-tuning-jobs.handlers.js';
import { EvaluationJobsHandlers } from './evaluation-jobs.handlers.js';
import { toEvaluationJobMessage, toFineTuningJobMessage } from './job-messages.js';
import { errorOf } from '../../test/support/errors.js';
import { openTestStore, type TestStore } from '../../test/support/test-store.js';

const call: CallContext = { transport: 'system' };
const meta: EventMetadata = { correlation_id: 'c', actor: 'test', transport: 'system' };

type Req = Omit<StartFineTuningJob, 'paths' | 'job_runs_dir'>;
const request = (over: Partial<Req> = {}): Req => ({
  adapter_name: 'a1',
  base_model_id: 'm1',
  dataset_id: 'd1',
  prompt_id: '',
  num_workers: 1,
  auto_add_adapter: false,
  num_epochs: 1,
  learning_rate: 0.0002,
  cpu: 2,
  gpu: 0,
  memory: 8,
  train_test_split: 0.9,
  model_bnb_config: '',
  adapter_bnb_config: '',
  training_arguments_config: '',
  lora_config: '',
  output_dir: '',
  dataset_fraction: 1,
  user_script: '',
  user_config_id: '',
  user_config: '',
  framework_type: '',
  axolotl_config_id: '',
  gpu_label_id: 0,
  ...over,
});

describe('job handlers on SQLite', () => {
  let root: string;
  let outside: string;
  let t: TestStore;
  let store: EventStore;
  let fineTuning: FineTuningJobsHandlers;
  let evaluation: EvaluationJobsHandlers;

  beforeEach(async () => {
    t = await openTestStore('fts-jobs-');
    root = t.root;
    outside = t.outsideDir();
    fs.mkdirSync(path.join(root, 'outputs', 'runs'), { recursive: true });
    fs.mkdirSync(path.join(root, 'scripts'));
    fs.writeFileSync(path.join(root, 'scripts', 'train.py'), 'print("hi")\n');
    fs.symlinkSync(outside, path.join(root, 'escape'));
    store = t.store;
    store.append(
      [
        { type: 'ModelAdded', streamId: 'model-m1', streamType: 'model', data: { row: { id: 'm1', type: 'huggingface', name: 'org/m' } } },
        { type: 'DatasetAdded', streamId: 'dataset-d1', streamType: 'dataset', data: { row: { id: 'd1', name: 'd', features: '["a", "b"]' } } },
        { type: 'PromptAdded', streamId: 'prompt-p1', streamType: 'prompt', data: { row: { id: 'p1', name: 'p', dataset_id: 'd1' } } },
      ],
      meta,
    );
    const runner = t.commands;
    const config = loadConfig({ FTS_PROJECT_ROOT: root }, root);
    fineTuning = new FineTuningJobsHandlers(runner, store.reader, t.paths, config);
    evaluation = new EvaluationJobsHandlers(runner, store.reader);
  });
  afterEach(async () => {
    await t.close();
  });

  it('records a queued job whose out_dir is the project-relative output folder', () => {
    const row = fineTuning.start(
      request({ output_dir: path.join(root, 'outputs/runs'), user_script: './scripts/train.py', auto_add_adapter: true }),
      call,
    );
    expect(row).toMatchObject({ status: 'queued', out_dir: 'outputs/runs', user_script: 'scripts/train.py' });
    expect(fineTuning.get(String(row.id))).toMatchObject(row);
    const message = toFineTuningJobMessage(row);
    expect(message.auto_add_adapter).toBe(true);
    expect('cml_job_id' in message).toBe(false);
    expect(store.read({ streamId: `fine_tuning_job-${String(row.id)}` }).map((e) => e.type)).toEqual(['FineTuningJobQueued']);
  });

  it('puts the adapter of a job without output_dir under the state folder', () => {
    const row = fineTuning.start(request(), call);
    expect(row.out_dir).toBeNull();
  });

  it("accepts the training form's default output folder in a fresh project, creating it (the studio's own)", () => {
    expect(fs.existsSync(path.join(root, 'data'))).toBe(false);
    const row = fineTuning.start(request({ output_dir: 'data/adapters/' }), call);
    expect(row).toMatchObject({ status: 'queued', out_dir: 'data/adapters' });
    expect(fs.statSync(path.join(root, 'data/adapters')).isDirectory()).toBe(true);
    // Only that folder: any other missing output folder is still refused, and not created.
    expect(errorOf(() => fineTuning.start(request({ output_dir: 'data/other/' }), call)).message).toBe(
      'Output Location must be a valid folder directory.',
    );
    expect(fs.existsSync(path.join(root, 'data/other'))).toBe(false);
  });

  it('never creates the default output folder through a symlink out of the project', () => {
    fs.symlinkSync(outside, path.join(root, 'data'));
    expect(errorOf(() => fineTuning.start(request({ output_dir: 'data/adapters/' }), call)).code).toBe('PATH.OUTSIDE_PROJECT');
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('refuses output folders outside the project (../, absolute, symlink) and non-folders, writing nothing', () => {
    const before = store.lastPosition();
    for (const p of ['../', outside, 'escape', 'escape/']) {
      expect(errorOf(() => fineTuning.start(request({ output_dir: p }), call)).code).toBe('PATH.OUTSIDE_PROJECT');
    }
    expect(errorOf(() => fineTuning.start(request({ output_dir: 'scripts/train.py' }), call)).message).toBe(
      'Output Location must be a valid folder directory.',
    );
    expect(errorOf(() => fineTuning.start(request({ output_dir: 'nope' }), call)).message).toBe(
      'Output Location must be a valid folder directory.',
    );
    expect(errorOf(() => fineTuning.start(request({ user_script: 'escape/x.py' }), call)).code).toBe('PATH.OUTSIDE_PROJECT');
    expect(errorOf(() => fineTuning.start(request({ user_script: 'scripts/none.py' }), call)).kind).toBe('not_found');
    expect(errorOf(() => fineTuning.start(request({ user_script: 'scripts' }), call)).kind).toBe('invalid_argument');
    expect(store.lastPosition()).toBe(before);
  });

  it('still reports the framework before the output folder', () => {
    expect(errorOf(() => fineTuning.start(request({ framework_type: 'x', output_dir: '../' }), call)).code).toBe('JOB.FRAMEWORK_UNSUPPORTED');
  });

  it('lists, removes, then NOT_FOUND', () => {
    const row = fineTuning.start(request(), call);
    expect(fineTuning.list({}).rows.map((r) => r.id)).toEqual([row.id]);
    fineTuning.remove(String(row.id), call);
    expect(errorOf(() => fineTuning.get(String(row.id))).kind).toBe('not_found');
    expect(errorOf(() => fineTuning.remove(String(row.id), call)).kind).toBe('not_found');
  });

  it('starts evaluation jobs, one per combination, and maps selected_features back to a list', () => {
    const rows = evaluation.start(
      {
        model_adapter_combinations: [
          { base_model_id: 'm1', adapter_id: '' },
          { base_model_id: 'm1', adapter_id: '' },
        ],
        dataset_id: 'd1',
        prompt_id: 'p1',
        cpu: 1,
        gpu: 0,
        memory: 4,
        model_bnb_config: '',
        adapter_bnb_config: '',
        generation_config: '',
        gpu_label_id: 0,
        selected_features: ['a', 'b'],
        eval_dataset_fraction: 0,
      },
      call,
    );
    expect(rows).toHaveLength(2);
    expect(toEvaluationJobMessage(evaluation.get(String(rows[1].id)))).toMatchObject({ selected_features: ['a', 'b'], run_number: 1 });
    expect(evaluation.list({ page_size: 1 }).rows).toHaveLength(1);
  });
});
