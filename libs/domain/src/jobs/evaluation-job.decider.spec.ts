import { projectEvent } from '../projections.js';
import { given } from '../../test/support/testing.js';
import type { DecideContext } from '../shared/decider.js';
import { removeEvaluationJob, startEvaluationJob } from './evaluation-job.decider.js';
import { getEvaluationJob } from './job.queries.js';
import type { StartEvaluationJob } from './job.commands.js';
import { CATALOG, evaluation } from './job.fixtures.js';

const start = (over: Partial<StartEvaluationJob>) => (ctx: DecideContext) => startEvaluationJob(evaluation(over), ctx);

describe('StartEvaluationJob', () => {
  it('records one queued job per combination, sharing a parent id, each its own stream', () => {
    const g = given(projectEvent, CATALOG);
    const d = g.run(start({ selected_features: ['instruction'], generation_config: '{"temperature":0.8}', gpu_label_id: 2 }));
    expect(d.events.map((e) => [e.type, e.streamId, e.expectedVersion])).toEqual([
      ['EvaluationJobQueued', 'evaluation_job-id-2', 0],
      ['EvaluationJobQueued', 'evaluation_job-id-3', 0],
    ]);
    expect(d.result).toHaveLength(2);
    expect(d.result[0]).toMatchObject({
      id: 'id-2',
      parent_job_id: 'id-1',
      type: 'mlflow',
      num_workers: 1,
      base_model_id: 'm1',
      adapter_id: '',
      num_cpu: 2,
      num_gpu: 0,
      num_memory: 8,
      evaluation_dir: 'mlflow_results/id-1',
      generation_config: '{"temperature": 0.8}',
      model_bnb_config: null,
      selected_features: '["instruction"]',
      eval_dataset_fraction: 1,
      comparison_adapter_id: 'a1',
      run_number: 0,
      gpu_label_id: 2,
      status: 'queued',
    });
    expect(d.result[1]).toMatchObject({ id: 'id-3', adapter_id: 'a1', run_number: 1, comparison_adapter_id: 'a1' });
    expect(getEvaluationJob(g.catalog, 'id-3')).toMatchObject({ parent_job_id: 'id-1', status: 'queued' });
  });

  it('allows gpu 0 and refuses a negative gpu', () => {
    const g = given(projectEvent, CATALOG);
    expect(g.when(start({ gpu: 0 })).result[0].num_gpu).toBe(0);
    expect(g.attempt(start({ gpu: -1 })).thenThrows()).toMatchObject({ code: 'JOB.GPU_INVALID', message: 'GPU allocation must be 0 or greater.' });
  });

  it('requires fields in the original order and wording', () => {
    const g = given(projectEvent, CATALOG);
    const msg = (over: Partial<StartEvaluationJob>) => g.attempt(start(over)).thenThrows().message;
    expect(msg({ model_adapter_combinations: [], prompt_id: '' })).toBe(
      "Field 'model_adapter_combinations' is required in StartEvaluationJobRequest.",
    );
    expect(msg({ prompt_id: '' })).toBe("Field 'prompt_id' is required in StartEvaluationJobRequest.");
    expect(msg({ cpu: 0 })).toBe("Field 'cpu' is required in StartEvaluationJobRequest.");
    expect(msg({ memory: -4 })).toBe('Memory allocation must be greater than 0.');
    expect(msg({ dataset_id: '  ' })).toBe("Field 'dataset_id' cannot be an empty string or only spaces.");
    expect(msg({ model_adapter_combinations: [{ base_model_id: '', adapter_id: '' }] })).toBe(
      "Field 'base_model_id' is required in EvaluationJobModelCombination.",
    );
  });

  it("checks the dataset, every combination's model and adapter, then the prompt", () => {
    const g = given(projectEvent, CATALOG);
    const err = (over: Partial<StartEvaluationJob>) => g.attempt(start(over)).thenThrows();
    expect(err({ dataset_id: 'ghost', prompt_id: 'ghost' })).toMatchObject({ kind: 'not_found', message: "Dataset with ID 'ghost' does not exist." });
    expect(err({ model_adapter_combinations: [{ base_model_id: 'm1', adapter_id: '' }, { base_model_id: 'ghost', adapter_id: '' }] })).toMatchObject({
      kind: 'not_found',
      message: "Model with ID 'ghost' does not exist.",
    });
    expect(err({ model_adapter_combinations: [{ base_model_id: 'm1', adapter_id: 'ghost' }] })).toMatchObject({
      kind: 'not_found',
      message: "Adapter with ID 'ghost' does not exist.",
    });
    expect(err({ prompt_id: 'ghost' })).toMatchObject({ kind: 'not_found', message: "Prompt with ID 'ghost' does not exist." });
  });

  it('requires selected features to be features of the dataset', () => {
    const e = given(projectEvent, CATALOG).attempt(start({ selected_features: ['instruction', 'question'] })).thenThrows();
    expect(e).toMatchObject({ kind: 'invalid_argument', code: 'EVALUATION.UNKNOWN_FEATURE' });
    expect(e.message).toContain("'question'");
  });

  it('uses the whole evaluation split when eval_dataset_fraction is unset, and refuses one outside (0, 1]', () => {
    const g = given(projectEvent, CATALOG);
    expect(g.when(start({ eval_dataset_fraction: 0.25 })).result[0].eval_dataset_fraction).toBe(0.25);
    expect(g.when(start({ eval_dataset_fraction: 0 })).result[0].eval_dataset_fraction).toBe(1);
    g.attempt(start({ eval_dataset_fraction: 1.5 })).thenThrows('EVALUATION.FRACTION_INVALID');
    g.attempt(start({ eval_dataset_fraction: -0.5 })).thenThrows('EVALUATION.FRACTION_INVALID');
  });

  it('requires the JSON configs to parse, naming the field', () => {
    expect(given(projectEvent, CATALOG).attempt(start({ adapter_bnb_config: 'nope' })).thenThrows().message).toBe(
      "Field 'adapter_bnb_config' is not valid JSON: Expecting value: line 1 column 1 (char 0).",
    );
  });

  it('has no comparison adapter when no combination has one', () => {
    const d = given(projectEvent, CATALOG).when(start({ model_adapter_combinations: [{ base_model_id: 'm1', adapter_id: '' }] }));
    expect(d.result[0].comparison_adapter_id).toBeNull();
  });
});

describe('RemoveEvaluationJob', () => {
  it('removes one job and refuses a missing one with NOT_FOUND', () => {
    const g = given(projectEvent, CATALOG);
    g.run(start({}));
    expect(g.run((ctx) => removeEvaluationJob({ id: 'id-2' }, ctx)).events[0]).toMatchObject({ type: 'EvaluationJobRemoved', streamId: 'evaluation_job-id-2' });
    expect(g.catalog.get('evaluation_jobs', 'id-2')).toBeUndefined();
    expect(g.catalog.get('evaluation_jobs', 'id-3')).toBeDefined();
    expect(g.attempt((ctx) => removeEvaluationJob({ id: 'id-2' }, ctx)).thenThrows()).toMatchObject({
      kind: 'not_found',
      message: "Evaluation Job with ID 'id-2' does not exist.",
    });
  });
});
