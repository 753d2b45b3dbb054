import { AdapterComparisonsHandlers } from './adapter-comparisons.handlers.js';
import { ModelExportsHandlers } from '../exports/model-exports.handlers.js';
import { toModelExportMessage } from '../exports/list-model-exports.request.js';
import { CALL, errorOf, lifecycle, openKit, queued, type Kit } from '../../test/support/job-test-kit.js';

const request = {
  base_model_id: 'm1',
  adapter_ids: ['a1', 'a2'],
  input_text: 'Where is my order?',
  generation_config: '{"max_new_tokens": 20}',
  cpu: 0,
  gpu: 0,
  memory: 0,
  gpu_label_id: 0,
};

describe('AdapterComparisonsHandlers', () => {
  let kit: Kit;
  let handlers: AdapterComparisonsHandlers;

  beforeEach(async () => {
    kit = await openKit();
    handlers = new AdapterComparisonsHandlers(kit.commands, kit.reader);
  });
  afterEach(() => kit.close());

  it('starts a queued comparison and reads it back', () => {
    const started = handlers.start(request, CALL);
    expect(started).toMatchObject({
      base_model_id: 'm1',
      adapter_ids: ['a1', 'a2'],
      input_text: 'Where is my order?',
      generation_config: '{"max_new_tokens": 20}',
      status: 'queued',
      outputs: [],
    });
    expect(handlers.get(started.id)).toEqual(started);
    expect(kit.store.read({ streamId: `adapter_comparison-${started.id}` }).map((e) => e.type)).toEqual(['AdapterComparisonQueued']);
  });

  it('answers the outputs from the recorded result until the supervisor copies them to the row, then from the row', () => {
    const { id } = handlers.start(request, CALL);
    const outputs = [
      { adapter_id: null, output: 'base says', latency_s: 0.5 },
      { adapter_id: 'a1', output: 'one says', latency_s: 0.4 },
      { adapter_id: 'a2', output: 'two says', latency_s: 0.3 },
    ];
    kit.append(lifecycle('adapter_comparison', id, 'JobResultRecorded', { result: { outputs }, artifacts: [] }));
    expect(handlers.get(id).outputs).toEqual([
      { adapter_id: '', output: 'base says', latency_s: 0.5 },
      { adapter_id: 'a1', output: 'one says', latency_s: 0.4 },
      { adapter_id: 'a2', output: 'two says', latency_s: 0.3 },
    ]);
    kit.append(lifecycle('adapter_comparison', id, 'JobDetailsRecorded', { set: { outputs: JSON.stringify(outputs.slice(0, 1)) } }));
    expect(handlers.get(id).outputs).toEqual([{ adapter_id: '', output: 'base says', latency_s: 0.5 }]);
  });

  it('refuses through the decider and writes nothing', () => {
    const before = kit.store.lastPosition();
    expect(errorOf(() => handlers.start({ ...request, adapter_ids: ['ghost'] }, CALL))).toMatchObject({ kind: 'not_found', code: 'ADAPTER.NOT_FOUND' });
    expect(errorOf(() => handlers.start({ ...request, input_text: '' }, CALL))).toMatchObject({ kind: 'invalid_argument' });
    expect(kit.store.lastPosition()).toBe(before);
    expect(errorOf(() => handlers.get('ghost'))).toMatchObject({ kind: 'not_found', message: "Adapter comparison with ID 'ghost' does not exist." });
  });
});

describe('ModelExportsHandlers', () => {
  let kit: Kit;
  let handlers: ModelExportsHandlers;

  beforeEach(async () => {
    kit = await openKit();
    handlers = new ModelExportsHandlers(kit.reader);
  });
  afterEach(() => kit.close());

  it('lists exports in creation order, pages, and gets one with its progress', () => {
    kit.append(
      queued('model_export', 'x1', { type: 'model_registry', model_name: 'one', base_model_id: 'm1', adapter_id: 'a1', cpu: 2 }),
      queued('model_export', 'x2', { type: 'cml_model', model_name: 'two', base_model_id: 'm1', adapter_id: 'a2' }),
    );
    expect(handlers.list({}).rows.map((r) => r.id)).toEqual(['x1', 'x2']);
    const first = handlers.list({ page_size: 1 });
    expect(first.rows.map((r) => r.id)).toEqual(['x1']);
    expect(handlers.list({ page_size: 1, page_token: first.next_page_token }).rows.map((r) => r.id)).toEqual(['x2']);

    kit.append(lifecycle('model_export', 'x2', 'JobDetailsRecorded', { set: { cml_model_id: 'cm-1', cml_build_id: 'b-1' } }));
    expect(toModelExportMessage(handlers.get('x2'))).toMatchObject({ id: 'x2', type: 'cml_model', status: 'queued', cml_model_id: 'cm-1', cml_build_id: 'b-1' });
  });

  it('refuses an unknown export', () => {
    expect(errorOf(() => handlers.get('ghost'))).toMatchObject({ kind: 'not_found', message: "Model export with ID 'ghost' does not exist." });
    expect(errorOf(() => handlers.get(''))).toMatchObject({ kind: 'not_found' });
    expect(errorOf(() => handlers.get('x'.repeat(600)))).toMatchObject({ kind: 'invalid_argument' });
  });
});
