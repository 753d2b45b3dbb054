import { projectEvent } from '../projections.js';
import { given, errorOf } from '../../test/support/testing.js';
import type { NewEvent } from '../shared/event.js';
import type { Row } from '../shared/catalog.js';
import { addConfig, removeConfig } from './config.decider.js';
import { getConfig, listConfigs } from './config.queries.js';

const model = (id: string, hf: string, family: string | null): NewEvent => ({
  type: 'ModelAdded',
  streamId: `model-${id}`,
  streamType: 'model',
  data: { row: { id, type: 'huggingface', name: hf, huggingface_model_name: hf, model_family: family } },
});

const config = (id: string, type: string, text: string, extra: Record<string, unknown> = {}): NewEvent => ({
  type: 'ConfigAdded',
  streamId: `config-${id}`,
  streamType: 'config',
  data: { row: { id, type, description: '', config: text, model_family: null, is_default: 1, ...extra } },
});

const HISTORY = [
  model('m-llama', 'NousResearch/Llama-2-7b-hf', 'LlamaForCausalLM'),
  model('m-unknown', 'org/mystery', null),
  config('c-lora', 'lora_config', '{"r": 16, "lora_alpha": 32}'),
  config('c-gen', 'generation_config', '{"do_sample": true}'),
  config('c-lora-llama', 'lora_config', '{"r": 8}', { model_family: 'LlamaForCausalLM' }),
];

describe('AddConfig', () => {
  it('records a new config with normalised JSON, its description, is_default 0', () => {
    const d = given(projectEvent, HISTORY)
      .attempt((ctx) =>
        addConfig({ type: 'training_arguments', config: '{"learning_rate":2e-4,"fp16":true,"epochs":1.0}', description: 'mine' }, ctx),
      )
      .then([{ type: 'ConfigAdded', streamId: 'config-id-1', expectedVersion: 0 }]);
    expect(d.result).toMatchObject({
      id: 'id-1',
      type: 'training_arguments',
      description: 'mine',
      config: '{"learning_rate": 0.0002, "fp16": true, "epochs": 1.0}',
      model_family: null,
      is_default: 0,
    });
  });

  it('hands back an equal config of the same type and family, writing nothing', () => {
    const d = given(projectEvent, HISTORY).when((ctx) =>
      addConfig({ type: 'lora_config', config: '{ "lora_alpha": 32.0, "r": 16 }' }, ctx),
    );
    expect(d.events).toEqual([]);
    expect(d.result.id).toBe('c-lora');
  });

  it('takes the model family from a description that names a known model, and dedups within it', () => {
    const g = given(projectEvent, HISTORY);
    const same = g.when((ctx) => addConfig({ type: 'lora_config', config: '{"r": 8}', description: 'NousResearch/Llama-2-7b-hf' }, ctx));
    expect(same.events).toEqual([]);
    expect(same.result.id).toBe('c-lora-llama');
    const other = g.when((ctx) => addConfig({ type: 'lora_config', config: '{"r": 8}', description: 'not a model' }, ctx));
    expect(other.events).toHaveLength(1);
    expect(other.result).toMatchObject({ model_family: null, description: 'not a model' });
  });

  it('picks the first of several equal configs instead of failing an assertion', () => {
    const d = given(projectEvent, [...HISTORY, config('c-lora-2', 'lora_config', '{"lora_alpha": 32, "r": 16}')]).when((ctx) =>
      addConfig({ type: 'lora_config', config: '{"r": 16, "lora_alpha": 32}' }, ctx),
    );
    expect(d.result.id).toBe('c-lora');
  });

  it('skips stored configs that no longer parse', () => {
    const d = given(projectEvent, [config('junk', 'custom', 'not json')]).when((ctx) => addConfig({ type: 'custom', config: '{"test": "config"}' }, ctx));
    expect(d.result).toMatchObject({ id: 'id-1', config: '{"test": "config"}' });
  });

  it('stores axolotl YAML as PyYAML dumps it and dedups on content', () => {
    const g = given(projectEvent, HISTORY);
    const first = g.run((ctx) => addConfig({ type: 'axolotl', config: 'flash_attention: null\nbase_model: tinyllama\n' }, ctx));
    expect(first.result.config).toBe('base_model: tinyllama\nflash_attention:\n');
    const again = g.when((ctx) => addConfig({ type: 'axolotl', config: 'base_model: tinyllama\nflash_attention: ~' }, ctx));
    expect(again.events).toEqual([]);
    expect(again.result.id).toBe(first.result.id);
  });

  it('checks type first, then content, with INVALID_ARGUMENT', () => {
    const g = given(projectEvent, HISTORY);
    expect(g.attempt((ctx) => addConfig({ type: '', config: '{}' }, ctx)).thenThrows().message).toBe(
      "Field 'type' is required in AddConfigRequest.",
    );
    g.attempt((ctx) => addConfig({ type: 'weird', config: '{}' }, ctx)).thenThrows('CONFIG.TYPE_UNSUPPORTED');
    expect(g.attempt((ctx) => addConfig({ type: 'custom', config: '' }, ctx)).thenThrows().message).toBe(
      "Field 'config' is required in AddConfigRequest.",
    );
    const bad = g.attempt((ctx) => addConfig({ type: 'custom', config: '{"a": }' }, ctx)).thenThrows();
    expect(bad).toMatchObject({ kind: 'invalid_argument', code: 'CONFIG.INVALID_JSON' });
    expect(bad.message).toBe('Config is not valid JSON: Expecting value: line 1 column 7 (char 6).');
    g.attempt((ctx) => addConfig({ type: 'axolotl', config: 'a: [1' }, ctx)).thenThrows('CONFIG.INVALID_YAML');
    g.attempt((ctx) => addConfig({ type: 'axolotl', config: '- a\n- b' }, ctx)).thenThrows('CONFIG.NOT_A_MAPPING');
    g.attempt((ctx) => addConfig({ type: 'custom', config: '{}', description: 'x'.repeat(600) }, ctx)).thenThrows('FIELD.TOO_LONG');
  });
});

describe('RemoveConfig / GetConfig', () => {
  it('removes an existing config and refuses a missing one with NOT_FOUND', () => {
    const g = given(projectEvent, HISTORY);
    expect(g.run((ctx) => removeConfig({ id: 'c-gen' }, ctx)).events[0]).toMatchObject({ type: 'ConfigRemoved', streamId: 'config-c-gen' });
    expect(g.catalog.get('configs', 'c-gen')).toBeUndefined();
    expect(g.attempt((ctx) => removeConfig({ id: 'c-gen' }, ctx)).thenThrows()).toMatchObject({
      kind: 'not_found',
      message: "Config with ID 'c-gen' does not exist.",
    });
    expect(errorOf(() => getConfig(g.catalog, 'nope')).kind).toBe('not_found');
    expect(getConfig(g.catalog, 'c-lora').type).toBe('lora_config');
  });
});

describe('ListConfigs', () => {
  const { catalog } = given(projectEvent, HISTORY);
  const ids = (rows: Row[]) => rows.map((r) => r.id);

  it('lists all, or one type, in creation order', () => {
    expect(ids(listConfigs(catalog, {}))).toEqual(['c-lora', 'c-gen', 'c-lora-llama']);
    expect(ids(listConfigs(catalog, { type: 'lora_config' }))).toEqual(['c-lora', 'c-lora-llama']);
  });

  it("keeps the model family's default configs, else falls back to the whole list", () => {
    expect(ids(listConfigs(catalog, { type: 'lora_config', model_id: 'm-llama' }))).toEqual(['c-lora-llama']);
    expect(ids(listConfigs(catalog, { type: 'generation_config', model_id: 'm-llama' }))).toEqual(['c-gen']);
    expect(ids(listConfigs(catalog, { type: 'lora_config', model_id: 'm-unknown' }))).toEqual(['c-lora', 'c-lora-llama']);
  });

  it('refuses a missing model with NOT_FOUND', () => {
    expect(errorOf(() => listConfigs(catalog, { model_id: 'ghost' }))).toMatchObject({
      kind: 'not_found',
      message: "Model with ID 'ghost' does not exist.",
    });
  });
});
