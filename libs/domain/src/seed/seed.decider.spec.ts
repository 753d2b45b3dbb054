import { projectEvent } from '../projections.js';
import { FIXED_NOW, given } from '../../test/support/testing.js';
import { listConfigs } from '../configs/config.queries.js';
import { addConfig } from '../configs/config.decider.js';
import { seedDefaults } from './seed.decider.js';
import { SAMPLE_DATASET_LOCATION } from './seed.defaults.js';

describe('seedDefaults', () => {
  it("records the original's defaults (same ids) and the sample dataset as catalog events", () => {
    const g = given(projectEvent);
    const d = g.run((ctx) => seedDefaults({ includeSample: true }, ctx));
    expect(d.events.every((e) => e.expectedVersion === 0)).toBe(true);
    expect(d.events.map((e) => e.type)).toEqual([
      'DatasetAdded',
      'DatasetAdded',
      'ModelAdded',
      'ModelAdded',
      'ModelAdded',
      'PromptAdded',
      'PromptAdded',
      'ConfigAdded',
      'ConfigAdded',
      'ConfigAdded',
      'ConfigAdded',
    ]);
    expect(d.result.added).toEqual({
      datasets: ['8ba6f0d8-22a8-4a1a-a823-1dba88f2c377', '84c3322f-fdd8-415d-863e-5e17e5d66be8'],
      models: ['f1c3d635-980d-4114-a43e-b3a2eba13910', 'dcefe975-b1fd-466b-9b54-6c66bc708f58', '804e3cf5-09b4-4e7d-99c2-a351848ef0fd'],
      prompts: ['6dd9fb67-5654-4466-a15c-cc07fb397142', 'b614e6ba-8f34-40a0-a49a-4f41a6e9644b'],
      configs: [
        '2838f446-7605-4d0c-a159-830b1ef3aab3',
        '8a994665-6e13-436e-991a-cb12de106c67',
        '6b60dc9c-6a13-48d2-87ad-9b0b07323d6a',
        'eb80976a-99f6-4866-a102-befb60c16490',
      ],
    });

    expect(g.catalog.get('datasets', '8ba6f0d8-22a8-4a1a-a823-1dba88f2c377')).toEqual({
      id: '8ba6f0d8-22a8-4a1a-a823-1dba88f2c377',
      type: 'huggingface',
      name: 'philschmid/sql-create-context-copy',
      description: '',
      huggingface_name: 'philschmid/sql-create-context-copy',
      location: null,
      features: '["question", "answer", "context"]',
      created_at: FIXED_NOW,
    });
    expect(g.catalog.get('datasets', '84c3322f-fdd8-415d-863e-5e17e5d66be8')).toMatchObject({
      type: 'project_csv',
      location: SAMPLE_DATASET_LOCATION,
      features: '["instruction", "intent"]',
    });
    expect(g.catalog.find('models').map((m) => [m.huggingface_model_name, m.type, m.model_family])).toEqual([
      ['bigscience/bloom-1b1', 'huggingface', 'BloomForCausalLM'],
      ['NousResearch/Llama-2-7b-hf', 'huggingface', 'LlamaForCausalLM'],
      ['unsloth/mistral-7b-instruct-v0.3', 'huggingface', 'MistralForCausalLM'],
    ]);
    expect(g.catalog.get('prompts', '6dd9fb67-5654-4466-a15c-cc07fb397142')).toMatchObject({
      name: 'SQL Creation',
      dataset_id: '8ba6f0d8-22a8-4a1a-a823-1dba88f2c377',
      completion_template: '{answer}',
      input_template:
        'You are tasked with creating an SQL statement from some context and a question.\n\n<context>: {context}\n<question>: {question}\n<sql>:',
    });
    expect(g.catalog.get('configs', '2838f446-7605-4d0c-a159-830b1ef3aab3')).toEqual({
      id: '2838f446-7605-4d0c-a159-830b1ef3aab3',
      type: 'lora_config',
      description: '',
      config: '{"r": 16, "lora_alpha": 32, "lora_dropout": 0.05, "bias": "none", "task_type": "CAUSAL_LM"}',
      model_family: null,
      is_default: 1,
      created_at: FIXED_NOW,
    });
    expect(listConfigs(g.catalog, { type: 'generation_config' })[0].config).toBe(
      '{"do_sample": true, "temperature": 0.8, "max_new_tokens": 60, "top_p": 1, "top_k": 50, "num_beams": 1, "repetition_penalty": 1.1}',
    );
    expect(g.catalog.find('adapters')).toEqual([]);
  });

  it('stores each default config exactly as AddConfig would normalise it', () => {
    const g = given(projectEvent);
    g.run((ctx) => seedDefaults({ includeSample: false }, ctx));
    for (const c of g.catalog.find('configs')) {
      const again = g.when((ctx) => addConfig({ type: String(c.type), config: String(c.config) }, ctx));
      expect(again.events).toEqual([]);
      expect(again.result.id).toBe(c.id);
    }
  });

  it('leaves out the sample when its file is absent, and writes nothing twice', () => {
    const g = given(projectEvent);
    const first = g.run((ctx) => seedDefaults({ includeSample: false }, ctx));
    expect(first.events).toHaveLength(9);
    const second = g.run((ctx) => seedDefaults({ includeSample: true }, ctx));
    expect(second.events.map((e) => e.type)).toEqual(['DatasetAdded', 'PromptAdded']);
    expect(second.result.skipped).toHaveLength(9);
    expect(g.run((ctx) => seedDefaults({ includeSample: true }, ctx)).events).toEqual([]);
  });
});
