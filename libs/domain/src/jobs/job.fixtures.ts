import type { NewEvent } from '../shared/event.js';
import type { Row } from '../shared/catalog.js';
import type { StartEvaluationJob, StartFineTuningJob } from './job.commands.js';

/** Catalog rows every job spec starts from; fixed ids, no clock. */
const added = (entity: string, stream: string, row: Row): NewEvent => ({
  type: `${entity}Added`,
  streamId: `${stream}-${String(row.id)}`,
  streamType: stream,
  data: { row },
});

export const CATALOG: NewEvent[] = [
  added('Model', 'model', { id: 'm1', type: 'huggingface', name: 'org/base', huggingface_model_name: 'org/base' }),
  added('Model', 'model', { id: 'm-project', type: 'project', name: 'local', location: 'models/local' }),
  added('Dataset', 'dataset', { id: 'd1', type: 'project_csv', name: 'tickets', features: '["instruction", "intent"]' }),
  added('Prompt', 'prompt', {
    id: 'p1',
    type: 'in_place',
    name: 'Tickets',
    dataset_id: 'd1',
    prompt_template: '{instruction} {intent}',
    input_template: '{instruction}',
    completion_template: '{intent}',
  }),
  added('Adapter', 'adapter', { id: 'a1', type: 'project', name: 'taken-adapter', model_id: 'm1', location: 'data/adapters/a1' }),
  added('Adapter', 'adapter', { id: 'a-hf', type: 'huggingface', name: 'hub-adapter', model_id: 'm1', huggingface_name: 'org/lora' }),
  added('Config', 'config', { id: 'ax1', type: 'axolotl', config: 'base_model: org/base\ndatasets:\n- path: x\n  type: alpaca\n', is_default: 0 }),
  added('Config', 'config', { id: 'ax-notype', type: 'axolotl', config: 'base_model: org/base\n', is_default: 0 }),
  added('Config', 'config', { id: 'ax-other', type: 'axolotl', config: 'datasets:\n- type: sharegpt\n', is_default: 0 }),
  added('Config', 'config', { id: 'lora1', type: 'lora_config', config: '{"r": 16}', is_default: 1 }),
  added('Config', 'config', {
    id: 'fmt-alpaca',
    type: 'axolotl_dataset_formats',
    description: 'alpaca',
    config: '{"instruction": "", "input": "", "output": ""}',
    is_default: 1,
  }),
];

export const fineTuning = (over: Partial<StartFineTuningJob> = {}): StartFineTuningJob => ({
  adapter_name: 'my-adapter',
  base_model_id: 'm1',
  dataset_id: 'd1',
  prompt_id: 'p1',
  num_workers: 1,
  auto_add_adapter: true,
  num_epochs: 2,
  learning_rate: 0.0002,
  cpu: 2,
  gpu: 1,
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

export const evaluation = (over: Partial<StartEvaluationJob> = {}): StartEvaluationJob => ({
  model_adapter_combinations: [
    { base_model_id: 'm1', adapter_id: '' },
    { base_model_id: 'm1', adapter_id: 'a1' },
  ],
  dataset_id: 'd1',
  prompt_id: 'p1',
  cpu: 2,
  gpu: 0,
  memory: 8,
  model_bnb_config: '',
  adapter_bnb_config: '',
  generation_config: '',
  gpu_label_id: 0,
  selected_features: [],
  eval_dataset_fraction: 0,
  ...over,
});
