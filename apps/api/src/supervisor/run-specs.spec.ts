import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InMemoryCatalog } from '@fts/domain';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { compareSpec, evaluateSpec, fineTuneSpec, MissingInput, PathOutsideProject, type SpecContext } from './run-specs.js';
import { overrideFieldsFor, templateCommand, type TemplateSettings } from './template-command.js';

const catalog = new InMemoryCatalog();
catalog.apply([
  { op: 'insert', table: 'models', row: { id: 'm1', name: 'tiny', huggingface_model_name: null, location: 'models/tiny' } },
  { op: 'insert', table: 'datasets', row: { id: 'd1', type: 'project_csv', location: 'data/t.csv', huggingface_name: null, features: '["instruction", "intent"]' } },
  { op: 'insert', table: 'prompts', row: { id: 'p1', prompt_template: 'Q {instruction} A {intent}', input_template: 'Q {instruction} A ', completion_template: '{intent}' } },
  {
    op: 'insert',
    table: 'fine_tuning_jobs',
    row: {
      id: 'j1', base_model_id: 'm1', dataset_id: 'd1', prompt_id: 'p1', adapter_name: 'a', out_dir: 'outputs', num_epochs: 2, learning_rate: 0.0002,
      train_test_split: 0.8, dataset_fraction: 0.5, lora_config: '{"r": 8}', adapter_bnb_config: null, model_bnb_config: null,
      training_arguments_config: null, num_workers: 1, num_gpu: 1,
    },
  },
  { op: 'insert', table: 'adapters', row: { id: 'a1', name: 'a', model_id: 'm1', location: 'outputs/j1', fine_tuning_job_id: 'j1' } },
  {
    op: 'insert',
    table: 'evaluation_jobs',
    row: { id: 'e1', base_model_id: 'm1', adapter_id: 'a1', dataset_id: 'd1', prompt_id: 'p1', evaluation_dir: 'mlflow_results/pe', selected_features: '["instruction"]', generation_config: '{"max_new_tokens": 10}', eval_dataset_fraction: 1 },
  },
  { op: 'insert', table: 'adapter_comparisons', row: { id: 'c1', base_model_id: 'm1', adapter_ids: '["a1"]', input_text: 'hello', generation_config: null } },
]);
const ctx: SpecContext = { read: catalog, projectRoot: '/proj', stateDir: '/proj/.app', confine: (p) => path.resolve('/proj', p) };

describe('run specs', () => {
  it('resolves a fine-tuning job into the template’s spec, paths absolute inside the project', () => {
    expect(fineTuneSpec(ctx, catalog.get('fine_tuning_jobs', 'j1')!)).toMatchObject({
      job_id: 'j1',
      kind: 'fine_tune',
      output_dir: '/proj/outputs/j1',
      base_model: { id: 'm1', location: '/proj/models/tiny', huggingface_name: null },
      dataset: { type: 'project_csv', location: '/proj/data/t.csv', features: ['instruction', 'intent'] },
      prompt: { completion_template: '{intent}' },
      lora_config: { r: 8 },
      bnb_config: null,
      train_test_split: 0.8,
      dataset_fraction: 0.5,
    });
  });

  it('evaluates on the split the adapter’s training job did not see', () => {
    expect(evaluateSpec(ctx, catalog.get('evaluation_jobs', 'e1')!)).toMatchObject({
      kind: 'evaluate',
      output_dir: '/proj/mlflow_results/pe/e1',
      adapter: { id: 'a1', location: '/proj/outputs/j1' },
      train_test_split: 0.8,
      dataset_fraction: 0.5,
      selected_features: ['instruction'],
      generation_config: { max_new_tokens: 10 },
    });
  });

  it('lists every adapter of a comparison, and names what is missing', () => {
    expect(compareSpec(ctx, catalog.get('adapter_comparisons', 'c1')!)).toMatchObject({ kind: 'compare', input_text: 'hello', adapters: [{ id: 'a1' }] });
    expect(() => fineTuneSpec(ctx, { ...catalog.get('fine_tuning_jobs', 'j1')!, dataset_id: 'gone' })).toThrow(MissingInput);
  });
});

describe('template command', () => {
  const settings: TemplateSettings = {
    templatesDir: '/t',
    python: '/usr/bin/python3',
    override: '/t/testing/progress_only.py',
    overrideOptions: { steps: 3, per_job: { slow: { steps: 50 }, j9: { exit_code: 1 } } },
  };
  it('uses the override for every kind, with per-job fields', () => {
    expect(templateCommand(settings, 'fine_tune')).toEqual(['/usr/bin/python3', '/t/testing/progress_only.py']);
    expect(templateCommand({ ...settings, override: undefined }, 'evaluate')).toEqual(['/usr/bin/python3', '/t/evaluate.py']);
    expect(overrideFieldsFor(settings, { id: 'j1', adapter_name: 'slow' })).toEqual({ steps: 50 });
    expect(overrideFieldsFor(settings, { id: 'j9', adapter_name: 'x' })).toEqual({ steps: 3, exit_code: 1 });
  });
});

describe('run specs confine every catalog location again (issue 10.1)', () => {
  let root: string;
  let outside: string;
  let real: SpecContext;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-spec-')));
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-spec-out-')));
    for (const d of ['models/tiny', 'data', 'outputs/j1', 'mlflow_results/pe']) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.writeFileSync(path.join(root, 'data/t.csv'), 'instruction,intent\n');
    const paths = new ProjectPaths(root);
    real = { read: catalog, projectRoot: root, stateDir: path.join(root, '.app'), confine: (p) => paths.resolve(p) };
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('resolves locations that stay inside the project', () => {
    expect(fineTuneSpec(real, catalog.get('fine_tuning_jobs', 'j1')!)).toMatchObject({ dataset: { location: path.join(root, 'data/t.csv') } });
  });

  it.each([
    ['the dataset file', 'data/t.csv', 'fine_tune', /dataset location 'data\/t.csv' resolves outside the project/],
    ['the base model folder', 'models/tiny', 'fine_tune', /base model location 'models\/tiny' resolves outside the project/],
    ['the output folder', 'outputs', 'fine_tune', /output location 'outputs\/j1' resolves outside the project/],
    ['the adapter folder', 'outputs/j1', 'evaluate', /adapter 'a' location 'outputs\/j1' resolves outside the project/],
    ['the evaluation folder', 'mlflow_results', 'evaluate', /evaluation output location/],
  ])('refuses %s replaced by a symlink to a folder outside, with a reason', (_what, rel, kind, message) => {
    fs.rmSync(path.join(root, rel), { recursive: true, force: true });
    fs.symlinkSync(outside, path.join(root, rel));
    const build = () =>
      kind === 'fine_tune' ? fineTuneSpec(real, catalog.get('fine_tuning_jobs', 'j1')!) : evaluateSpec(real, catalog.get('evaluation_jobs', 'e1')!);
    expect(build).toThrow(PathOutsideProject);
    expect(build).toThrow(message);
  });
});
