import { describe, expect, it } from 'vitest';
import type { Config, FineTuningJob } from '../../../core/models';
import { configSummary, configTitle, formArgsOf, formFromJob, nextName, overriddenArgs, overrideNote, withFormArgs, type TrainForm } from './train-form';

const ARGS = JSON.stringify({ num_train_epochs: 1, learning_rate: 0.0002, optim: 'paged_adamw_32bit' });

describe('epochs and learning rate: the form wins', () => {
  it('lists each JSON value the form replaces', () => {
    const o = overriddenArgs(ARGS, 10, 0.0002);
    expect(o).toEqual([{ key: 'num_train_epochs', field: 'Number of epochs', json: 1, form: 10 }]);
    expect(overrideNote(o[0])).toBe('Number of epochs (10) replaces "num_train_epochs": 1');
    expect(overriddenArgs(ARGS, 1, 0.0002)).toEqual([]);
    expect(overriddenArgs('{broken', 10, 1)).toEqual([]);
  });
  it('writes the form values into the submitted JSON, keeping the rest', () => {
    expect(JSON.parse(withFormArgs(ARGS, 10, 0.001))).toEqual({ num_train_epochs: 10, learning_rate: 0.001, optim: 'paged_adamw_32bit' });
  });
  it('takes a saved config’s epochs and learning rate into the form', () => {
    expect(formArgsOf(JSON.stringify({ num_train_epochs: 3, learning_rate: 1e-4 }))).toEqual({ epochs: 3, learningRate: 1e-4 });
    expect(formArgsOf('{}')).toEqual({ epochs: undefined, learningRate: undefined });
  });
});

describe('run again', () => {
  const defaults: TrainForm = {
    adapterName: '', outputDir: 'data/adapters/', datasetId: '', promptId: '', modelId: '', multiNode: false, numWorkers: 1,
    cpu: 2, memory: 8, gpu: 1, epochs: 10, learningRate: '2e-4', fraction: 1, split: 0.9, lora: '{}', bnb: '{}', trainingArgs: '{}',
  };
  it('picks the first free name', () => {
    expect(nextName('tickets', [])).toBe('tickets');
    expect(nextName('tickets', ['tickets'])).toBe('tickets-2');
    expect(nextName('tickets-2', ['tickets', 'tickets-2', 'tickets-3'])).toBe('tickets-4');
  });
  it('fills the form from the job, float32 noise removed', () => {
    const job = {
      id: 'j', adapter_name: 'tickets', base_model_id: 'm', dataset_id: 'd', prompt_id: 'p', status: 'failed', num_workers: 2, num_cpu: 4,
      num_memory: 16, num_gpu: 0, num_epochs: 3, learning_rate: 0.00019999999494757503, dataset_fraction: 0.5, train_test_split: 0.8999999761581421,
      out_dir: 'out/', lora_config: '{"r":8}', training_arguments_config: '{"num_train_epochs":3}', adapter_bnb_config: '', model_bnb_config: '{"load_in_8bit":true}',
    } as FineTuningJob;
    const f = formFromJob(job, defaults, ['tickets']);
    expect(f).toMatchObject({
      adapterName: 'tickets-2', outputDir: 'out/', datasetId: 'd', promptId: 'p', modelId: 'm', multiNode: true, numWorkers: 2, cpu: 4, memory: 16, gpu: 0,
      epochs: 3, learningRate: '0.0002', fraction: 0.5, split: 0.8999999761581421,
    });
    expect(JSON.parse(f.lora)).toEqual({ r: 8 });
    expect(formFromJob({ ...job, out_dir: undefined }, defaults, []).outputDir).toBe('');
    expect(JSON.parse(f.bnb)).toEqual({ load_in_8bit: true });
  });
});

describe('config titles', () => {
  const c = (type: string, config: object, extra: Partial<Config> = {}) => ({ id: '6b60dc9c-aaaa', type, config: JSON.stringify(config), ...extra }) as Config;
  it('names a config by its description or type, never its id', () => {
    expect(configTitle(c('lora_config', {}, { is_default: 1 }))).toBe('LoRA (default)');
    expect(configTitle(c('training_arguments', {}, { description: 'long run' }))).toBe('long run');
  });
  it('summarises the settings that tell configs apart', () => {
    expect(configSummary(c('lora_config', { r: 16, lora_alpha: 32, lora_dropout: 0.05, bias: 'none', task_type: 'CAUSAL_LM' }))).toBe('r 16 · alpha 32 · dropout 0.05 · CAUSAL_LM');
    expect(configSummary(c('training_arguments', { num_train_epochs: 1, learning_rate: 0.00019999999494757503, per_device_train_batch_size: 1 }))).toBe('epochs 1 · lr 0.0002 · batch 1');
    expect(configSummary(c('bitsandbytes_config', { load_in_4bit: true, bnb_4bit_quant_type: 'nf4' }))).toBe('4-bit · nf4');
  });
});
