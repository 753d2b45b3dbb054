import { projectEvent } from '../projections.js';
import { given } from '../../test/support/testing.js';
import { DomainError } from '../shared/domain-error.js';
import type { DecideContext } from '../shared/decider.js';
import type { NewEvent } from '../shared/event.js';
import { startFineTuningJob } from './fine-tuning-job.decider.js';
import { startEvaluationJob } from './evaluation-job.decider.js';
import { startAdapterComparison } from '../comparisons/adapter-comparison.decider.js';
import { exportModel } from '../exports/model-export.decider.js';
import type { StartAdapterComparison } from '../comparisons/adapter-comparison.commands.js';
import type { ExportModel } from '../exports/model-export.commands.js';
import type { StartEvaluationJob, StartFineTuningJob } from './job.commands.js';
import { CATALOG, evaluation, fineTuning } from './job.fixtures.js';

/**
 * Issue 10.5: non-finite and absurd numbers never reach the log. Each case
 * was queued before; now each is INVALID_ARGUMENT naming the field, and no
 * event is produced.
 */
const refusal = (decide: (ctx: DecideContext) => { events: NewEvent[] }): DomainError =>
  given(projectEvent, CATALOG).attempt(decide).thenThrows();

const INT_MAX = 2 ** 31 - 1;

describe('StartFineTuningJob refuses non-finite and absurd numbers', () => {
  const start = (over: Partial<StartFineTuningJob>) => (ctx: DecideContext) => startFineTuningJob(fineTuning(over), ctx);
  const cases: [string, Partial<StartFineTuningJob>, RegExp][] = [
    ['learning_rate=+inf', { learning_rate: Infinity }, /learning_rate/i],
    ['learning_rate=NaN', { learning_rate: NaN }, /learning rate/i],
    ['learning_rate=1e6', { learning_rate: 1e6 }, /learning_rate/],
    ['num_epochs=2^31-1', { num_epochs: INT_MAX }, /num_epochs/],
    ['num_epochs=1.5', { num_epochs: 1.5 }, /num_epochs.*whole number/],
    ['num_workers=2^31-1', { num_workers: INT_MAX }, /num_workers/],
    ['memory=1e9', { memory: 1e9 }, /memory/],
    ['cpu=2^31-1', { cpu: INT_MAX }, /cpu/],
    ['cpu=0.5', { cpu: 0.5 }, /cpu.*whole number/],
    ['gpu=1.5', { gpu: 1.5 }, /gpu.*whole number/],
    ['gpu=+inf', { gpu: Infinity }, /gpu/],
    ['gpu_label_id=-1', { gpu_label_id: -1 }, /gpu_label_id/],
    ['gpu_label_id=0.5', { gpu_label_id: 0.5 }, /gpu_label_id/],
    ['1e999 in training_arguments_config', { training_arguments_config: '{"learning_rate": 1e999}' }, /training_arguments_config.*learning_rate.*finite/],
    ['NaN in lora_config', { lora_config: '{"r": 8, "lora_dropout": NaN}' }, /lora_config.*lora_dropout.*finite/],
    ['-Infinity nested in a list', { model_bnb_config: '{"a": [1, -Infinity]}' }, /model_bnb_config.*a\[1\].*finite/],
    ["lora_config '[]'", { lora_config: '[]' }, /lora_config.*JSON object/],
    ['training_arguments_config a number', { training_arguments_config: '5' }, /training_arguments_config.*JSON object/],
    ['Infinity in user_config', { user_config: '{"x": Infinity}' }, /user_config.*finite/],
  ];
  it.each(cases)('%s', (_name, over, message) => {
    const e = refusal(start(over));
    expect(e.kind).toBe('invalid_argument');
    expect(e.message).toMatch(message);
  });

  it('still accepts the largest sensible values and ordinary configs', () => {
    const g = given(projectEvent, CATALOG);
    const d = g.when(
      start({
        num_epochs: 1000,
        cpu: 64,
        memory: 512,
        gpu: 8,
        num_workers: 4,
        gpu_label_id: 3,
        learning_rate: 1,
        lora_config: '{"r": 16, "lora_dropout": 0.05}',
        training_arguments_config: '{"num_train_epochs": 1, "warmup_ratio": 1e-3}',
      }),
    );
    expect(d.events.at(-1)?.type).toBe('FineTuningJobQueued');
  });
});

describe('StartEvaluationJob refuses non-finite and absurd numbers', () => {
  const start = (over: Partial<StartEvaluationJob>) => (ctx: DecideContext) => startEvaluationJob(evaluation(over), ctx);
  it.each<[string, Partial<StartEvaluationJob>, RegExp]>([
    ['cpu=2^31-1', { cpu: INT_MAX }, /cpu/],
    ['memory=1e9', { memory: 1e9 }, /memory/],
    ['gpu=0.5', { gpu: 0.5 }, /gpu/],
    ['gpu_label_id=-1', { gpu_label_id: -1 }, /gpu_label_id/],
    ['eval_dataset_fraction=NaN', { eval_dataset_fraction: NaN }, /fraction/i],
    ['Infinity in generation_config', { generation_config: '{"temperature": Infinity}' }, /generation_config.*temperature.*finite/],
    ['generation_config a list', { generation_config: '[1]' }, /generation_config.*JSON object/],
  ])('%s', (_name, over, message) => {
    const e = refusal(start(over));
    expect(e.kind).toBe('invalid_argument');
    expect(e.message).toMatch(message);
  });
});

describe('StartAdapterComparison refuses non-finite and absurd numbers', () => {
  const request = (over: Partial<StartAdapterComparison>): StartAdapterComparison => ({
    base_model_id: 'm1',
    adapter_ids: ['a1'],
    input_text: 'Where is my order?',
    generation_config: '',
    cpu: 0,
    gpu: 0,
    memory: 0,
    gpu_label_id: 0,
    ...over,
  });
  it.each<[string, Partial<StartAdapterComparison>, RegExp]>([
    ['cpu=2^31-1', { cpu: INT_MAX }, /cpu/],
    ['memory=1e9', { memory: 1e9 }, /memory/],
    ['gpu_label_id=-1', { gpu_label_id: -1 }, /gpu_label_id/],
    ['1e999 in generation_config', { generation_config: '{"max_new_tokens": 1e999}' }, /generation_config.*max_new_tokens.*finite/],
  ])('%s', (_name, over, message) => {
    const e = refusal((ctx) => startAdapterComparison(request(over), ctx));
    expect(e.kind).toBe('invalid_argument');
    expect(e.message).toMatch(message);
  });
});

describe('ExportModel refuses non-finite and absurd numbers', () => {
  const request = (over: Partial<ExportModel>): ExportModel => ({
    type: 'model_registry',
    base_model_id: 'm1',
    adapter_id: 'a1',
    model_name: 'tickets-model',
    artifact_location: '',
    model_description: '',
    generation_config: '',
    cpu: 0,
    memory: 0,
    gpu: 0,
    replicas: 0,
    disable_authentication: false,
    cml_configured: false,
    mlflow_configured: true,
    ...over,
  });
  it.each<[string, Partial<ExportModel>, RegExp]>([
    ['memory=1e9', { memory: 1e9 }, /memory/],
    ['replicas=2^31-1', { replicas: INT_MAX }, /replicas/],
    ['NaN in generation_config', { generation_config: '{"top_p": NaN}' }, /generation_config.*top_p.*finite/],
    ['generation_config a string', { generation_config: '"x"' }, /generation_config.*JSON object/],
  ])('%s', (_name, over, message) => {
    const e = refusal((ctx) => exportModel(request(over), ctx));
    expect(e.kind).toBe('invalid_argument');
    expect(e.message).toMatch(message);
  });
});
