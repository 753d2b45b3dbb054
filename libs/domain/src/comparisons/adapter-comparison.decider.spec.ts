import { projectEvent } from '../projections.js';
import { given, errorOf } from '../../test/support/testing.js';
import type { DecideContext } from '../shared/decider.js';
import type { NewEvent } from '../shared/event.js';
import { CATALOG } from '../jobs/job.fixtures.js';
import { DEFAULT_EXPORT_GENERATION_CONFIG } from '../exports/model-export.commands.js';
import { cancelJob } from '../lifecycle/job-lifecycle.decider.js';
import { startAdapterComparison } from './adapter-comparison.decider.js';
import { comparisonAdapterIds, getAdapterComparison } from './adapter-comparison.queries.js';
import type { StartAdapterComparison } from './adapter-comparison.commands.js';

const adapter = (id: string, model_id: string | null): NewEvent => ({
  type: 'AdapterAdded',
  streamId: `adapter-${id}`,
  streamType: 'adapter',
  data: { row: { id, type: 'project', name: id, model_id, location: `data/adapters/${id}` } },
});
const HISTORY = [...CATALOG, adapter('a-other', 'm-project'), adapter('a-loose', null)];

const request = (over: Partial<StartAdapterComparison> = {}): StartAdapterComparison => ({
  base_model_id: 'm1',
  adapter_ids: ['a1', 'a-hf'],
  input_text: 'Where is my order?',
  generation_config: '',
  cpu: 0,
  gpu: 0,
  memory: 0,
  gpu_label_id: 0,
  ...over,
});
const start = (over: Partial<StartAdapterComparison> = {}) => (ctx: DecideContext) => startAdapterComparison(request(over), ctx);

describe('StartAdapterComparison', () => {
  describe('with a known base model and its adapters', () => {
    it('records a queued adapter_comparison stream with the defaults', () => {
      const g = given(projectEvent, HISTORY);
      const d = g.run(start());
      expect(d.events.map((e) => [e.type, e.streamId, e.streamType, e.expectedVersion])).toEqual([
        ['AdapterComparisonQueued', 'adapter_comparison-id-1', 'adapter_comparison', 0],
      ]);
      const row = getAdapterComparison(g.catalog, 'id-1');
      expect(row).toEqual(d.result);
      expect(row).toMatchObject({
        base_model_id: 'm1',
        adapter_ids: '["a1", "a-hf"]',
        input_text: 'Where is my order?',
        generation_config: DEFAULT_EXPORT_GENERATION_CONFIG,
        cpu: 2,
        gpu: 1,
        memory: 8,
        gpu_label_id: 0,
        outputs: null,
        status: 'queued',
        created_at: '2026-01-01T00:00:00.000Z',
      });
      expect(comparisonAdapterIds(row)).toEqual(['a1', 'a-hf']);
    });

    it('keeps given resources and normalises the generation config', () => {
      const g = given(projectEvent, HISTORY);
      const row = g.when(start({ cpu: 4, gpu: 2, memory: 16, gpu_label_id: 3, generation_config: '{"max_new_tokens":20,"temperature":0.5}' })).result;
      expect(row).toMatchObject({ cpu: 4, gpu: 2, memory: 16, gpu_label_id: 3, generation_config: '{"max_new_tokens": 20, "temperature": 0.5}' });
    });

    it('runs the base model alone when no adapter is given', () => {
      const g = given(projectEvent, HISTORY);
      for (const adapter_ids of [[], undefined as unknown as string[]]) {
        const d = g.when(start({ adapter_ids }));
        expect(d.events.map((e) => e.type)).toEqual(['AdapterComparisonQueued']);
        expect(comparisonAdapterIds(d.result)).toEqual([]);
        expect(d.result.adapter_ids).toBe('[]');
      }
    });

    it('accepts an adapter that names no model', () => {
      const g = given(projectEvent, HISTORY);
      expect(comparisonAdapterIds(g.when(start({ adapter_ids: [' a-loose '] })).result)).toEqual(['a-loose']);
    });

    it('is a job like any other: a queued comparison can be cancelled', () => {
      const g = given(projectEvent, HISTORY);
      g.run(start());
      const d = g.run((ctx) => cancelJob({ streamType: 'adapter_comparison', id: 'id-1' }, 5000, ctx));
      expect(d.events.map((e) => [e.type, e.streamId])).toEqual([['JobCancelled', 'adapter_comparison-id-1']]);
      expect(g.catalog.get('adapter_comparisons', 'id-1')?.status).toBe('cancelled');
    });
  });

  describe('refuses', () => {
    const g = given(projectEvent, HISTORY);
    it.each([
      ['no base model', { base_model_id: '' }, 'FIELD.REQUIRED', "Field 'base_model_id' is required in StartAdapterComparisonRequest."],
      ['no input', { input_text: '' }, 'FIELD.REQUIRED', "Field 'input_text' is required in StartAdapterComparisonRequest."],
      ['a blank input', { input_text: '  \n' }, 'FIELD.BLANK', "Field 'input_text' cannot be an empty string or only spaces."],
      ['a blank adapter id', { adapter_ids: ['a1', ' '] }, 'FIELD.BLANK', "Field 'adapter_ids' cannot be an empty string or only spaces."],
      [
        'eleven adapters',
        { adapter_ids: Array.from({ length: 11 }, (_, i) => `a${i}`) },
        'ADAPTER_COMPARISON.TOO_MANY_ADAPTERS',
        'At most 10 adapters can be compared at once; 11 were given.',
      ],
      [
        'an input over 20,000 characters',
        { input_text: 'x'.repeat(20_001) },
        'FIELD.TOO_LONG',
        "Field 'input_text' is too long (20001 characters; at most 20000).",
      ],
      ['a negative cpu', { cpu: -1 }, 'ADAPTER_COMPARISON.CPU_INVALID', "Field 'cpu' must be a whole number, 0 (the default, 2) or greater."],
      ['a negative gpu', { gpu: -2 }, 'ADAPTER_COMPARISON.GPU_INVALID', "Field 'gpu' must be a whole number, 0 (the default, 1) or greater."],
      ['a fractional memory', { memory: 1.5 }, 'ADAPTER_COMPARISON.MEMORY_INVALID', "Field 'memory' must be a whole number, 0 (the default, 8) or greater."],
      [
        'a generation config that is not an object',
        { generation_config: '[1, 2]' },
        'ADAPTER_COMPARISON.GENERATION_CONFIG_NOT_OBJECT',
        'Field \'generation_config\' must be a JSON object, such as {"max_new_tokens": 60}.',
      ],
      ['a duplicate adapter', { adapter_ids: ['a1', 'a1'] }, 'ADAPTER_COMPARISON.DUPLICATE_ADAPTER', "Adapter 'a1' is listed more than once; list each adapter once."],
    ])('%s (INVALID_ARGUMENT)', (_name, over, code, message) => {
      expect(g.attempt(start(over)).thenThrows()).toMatchObject({ kind: 'invalid_argument', code, message });
    });

    it('bad JSON in generation_config, with the reason', () => {
      expect(g.attempt(start({ generation_config: '{' })).thenThrows()).toMatchObject({ kind: 'invalid_argument', code: 'CONFIG.INVALID_JSON' });
    });

    it('an unknown base model or adapter (NOT_FOUND)', () => {
      expect(g.attempt(start({ base_model_id: 'ghost' })).thenThrows()).toMatchObject({
        kind: 'not_found',
        code: 'MODEL.NOT_FOUND',
        message: "Model with ID 'ghost' does not exist.",
      });
      expect(g.attempt(start({ adapter_ids: ['a1', 'ghost'] })).thenThrows()).toMatchObject({
        kind: 'not_found',
        code: 'ADAPTER.NOT_FOUND',
        message: "Adapter with ID 'ghost' does not exist.",
      });
    });

    it('an adapter trained for another base model', () => {
      expect(g.attempt(start({ adapter_ids: ['a1', 'a-other'] })).thenThrows()).toMatchObject({
        kind: 'invalid_argument',
        code: 'ADAPTER_COMPARISON.ADAPTER_MODEL_MISMATCH',
        message: "Adapter 'a-other' was trained for model 'm-project', not for the base model 'm1'; compare adapters of the same base model.",
      });
    });

    it('an unknown comparison id (NOT_FOUND)', () => {
      expect(errorOf(() => getAdapterComparison(g.catalog, 'nope'))).toMatchObject({
        kind: 'not_found',
        message: "Adapter comparison with ID 'nope' does not exist.",
      });
      expect(errorOf(() => getAdapterComparison(g.catalog, ''))).toMatchObject({ kind: 'not_found' });
    });

    it('records nothing when it refuses', () => {
      const h = given(projectEvent, HISTORY);
      errorOf(() => h.run(start({ adapter_ids: ['ghost'] })));
      expect(h.catalog.find('adapter_comparisons')).toEqual([]);
    });
  });
});
