import type { Row } from '../shared/catalog.js';

/**
 * The project defaults (spec/behaviour.md §4), with the ids the original's
 * `data/project_defaults.json` uses (see shared/fixtures/original-export.json),
 * so that an export from the original lines up with a seeded project. The
 * original's adapters are not seeded: their folders are not part of this
 * project. The sample dataset is this project's own small CSV.
 */

export const SEED_CONFIGS: Row[] = [
  {
    id: '2838f446-7605-4d0c-a159-830b1ef3aab3',
    type: 'lora_config',
    description: '',
    config: '{"r": 16, "lora_alpha": 32, "lora_dropout": 0.05, "bias": "none", "task_type": "CAUSAL_LM"}',
    model_family: null,
    is_default: 1,
  },
  {
    id: '8a994665-6e13-436e-991a-cb12de106c67',
    type: 'bitsandbytes_config',
    description: '',
    config:
      '{"load_in_4bit": true, "bnb_4bit_quant_type": "nf4", "bnb_4bit_compute_dtype": "float16", "bnb_4bit_use_double_quant": true, "quant_method": "bitsandbytes"}',
    model_family: null,
    is_default: 1,
  },
  {
    id: '6b60dc9c-6a13-48d2-87ad-9b0b07323d6a',
    type: 'training_arguments',
    description: '',
    config:
      '{"num_train_epochs": 1, "optim": "paged_adamw_32bit", "per_device_train_batch_size": 1, "gradient_accumulation_steps": 4, "warmup_ratio": 0.03, "max_grad_norm": 0.3, "learning_rate": 0.0002, "fp16": true, "logging_steps": 1, "lr_scheduler_type": "constant", "disable_tqdm": true, "report_to": "mlflow", "ddp_find_unused_parameters": false}',
    model_family: null,
    is_default: 1,
  },
  {
    id: 'eb80976a-99f6-4866-a102-befb60c16490',
    type: 'generation_config',
    description: '',
    config:
      '{"do_sample": true, "temperature": 0.8, "max_new_tokens": 60, "top_p": 1, "top_k": 50, "num_beams": 1, "repetition_penalty": 1.1}',
    model_family: null,
    is_default: 1,
  },
];

const hfModel = (id: string, name: string, family: string): Row => ({
  id,
  type: 'huggingface',
  framework: null,
  name,
  description: null,
  huggingface_model_name: name,
  location: null,
  cml_registered_model_id: null,
  mlflow_experiment_id: null,
  mlflow_run_id: null,
  // architectures[0] of each model's config.json, what the original asked the Hub for.
  model_family: family,
});

export const SEED_MODELS: Row[] = [
  hfModel('f1c3d635-980d-4114-a43e-b3a2eba13910', 'bigscience/bloom-1b1', 'BloomForCausalLM'),
  hfModel('dcefe975-b1fd-466b-9b54-6c66bc708f58', 'NousResearch/Llama-2-7b-hf', 'LlamaForCausalLM'),
  hfModel('804e3cf5-09b4-4e7d-99c2-a351848ef0fd', 'unsloth/mistral-7b-instruct-v0.3', 'MistralForCausalLM'),
];

export const SQL_DATASET: Row = {
  id: '8ba6f0d8-22a8-4a1a-a823-1dba88f2c377',
  type: 'huggingface',
  name: 'philschmid/sql-create-context-copy',
  description: '',
  huggingface_name: 'philschmid/sql-create-context-copy',
  location: null,
  features: '["question", "answer", "context"]',
};

const SQL_INSTRUCTION = 'You are tasked with creating an SQL statement from some context and a question.\n\n';

export const SQL_PROMPT: Row = {
  id: '6dd9fb67-5654-4466-a15c-cc07fb397142',
  type: 'in_place',
  name: 'SQL Creation',
  description: null,
  dataset_id: SQL_DATASET.id,
  prompt_template: `${SQL_INSTRUCTION}<context>: {context}\n<question>: {question}\n<sql>: {answer}`,
  input_template: `${SQL_INSTRUCTION}<context>: {context}\n<question>: {question}\n<sql>:`,
  completion_template: '{answer}',
};

/** The sample project dataset shipped in data/samples/ (relative to the project root). */
export const SAMPLE_DATASET_LOCATION = 'data/samples/support-tickets.csv';

export const SAMPLE_DATASET: Row = {
  id: '84c3322f-fdd8-415d-863e-5e17e5d66be8',
  type: 'project_csv',
  name: 'Support tickets',
  description: SAMPLE_DATASET_LOCATION,
  huggingface_name: null,
  location: SAMPLE_DATASET_LOCATION,
  features: '["instruction", "intent"]',
};

const SAMPLE_INSTRUCTION = "Classify the customer's support request as one snake_case intent.\n\n";

export const SAMPLE_PROMPT: Row = {
  id: 'b614e6ba-8f34-40a0-a49a-4f41a6e9644b',
  type: 'in_place',
  name: 'Support ticket intent',
  description: null,
  dataset_id: SAMPLE_DATASET.id,
  prompt_template: `${SAMPLE_INSTRUCTION}### Request: {instruction}\n### Intent: {intent}`,
  input_template: `${SAMPLE_INSTRUCTION}### Request: {instruction}\n### Intent: `,
  completion_template: '{intent}',
};
