import type { EventMetadata } from '@fts/domain';
import type { EventStore } from '../platform/event-store/event-store.js';
import type { CallContext } from '../platform/command-runner.js';
import { ConfigsHandlers } from './configs.handlers.js';
import { errorOf } from '../../test/support/errors.js';
import { openTestStore, type TestStore } from '../../test/support/test-store.js';

const call: CallContext = { transport: 'system' };
const meta: EventMetadata = { correlation_id: 'c', actor: 'test', transport: 'system' };

describe('ConfigsHandlers on SQLite', () => {
  let t: TestStore;
  let store: EventStore;
  let configs: ConfigsHandlers;

  beforeEach(async () => {
    t = await openTestStore('fts-configs-');
    store = t.store;
    store.append(
      [
        {
          type: 'ModelAdded',
          streamId: 'model-m1',
          streamType: 'model',
          data: { row: { id: 'm1', type: 'huggingface', name: 'org/llama', huggingface_model_name: 'org/llama', model_family: 'LlamaForCausalLM' } },
        },
      ],
      meta,
    );
    configs = new ConfigsHandlers(t.commands, store.reader);
  });
  afterEach(async () => {
    await t.close();
  });

  it('adds, dedups (null family matching null), gets and removes', () => {
    const a = configs.add({ type: 'custom', config: '{"x": 1.0}' }, call);
    expect(a).toMatchObject({ config: '{"x": 1.0}', model_family: null, is_default: 0 });
    const before = store.lastPosition();
    expect(configs.add({ type: 'custom', config: '{"x":1}' }, call).id).toBe(a.id);
    expect(store.lastPosition()).toBe(before);
    const b = configs.add({ type: 'custom', config: '{"x": 1}', description: 'org/llama' }, call);
    expect(b).toMatchObject({ model_family: 'LlamaForCausalLM', description: 'org/llama' });
    expect(configs.get(String(b.id))).toEqual(b);
    configs.remove(String(b.id), call);
    expect(errorOf(() => configs.get(String(b.id))).kind).toBe('not_found');
  });

  it('lists by type, pages, and with model_id falls back when no family default exists', () => {
    for (let i = 0; i < 5; i++) configs.add({ type: 'lora_config', config: `{"r": ${i}}` }, call);
    configs.add({ type: 'custom', config: '{}' }, call);
    expect(configs.list({ type: 'lora_config' }, {}).rows).toHaveLength(5);
    const first = configs.list({ type: 'lora_config' }, { page_size: 2 });
    expect(first.rows).toHaveLength(2);
    const second = configs.list({ type: 'lora_config' }, { page_size: 2, page_token: first.next_page_token });
    expect(second.rows.map((r) => r.config)).toEqual(['{"r": 2}', '{"r": 3}']);
    const byModel = configs.list({ type: 'lora_config', model_id: 'm1' }, { page_size: 4 });
    expect(byModel.rows).toHaveLength(4);
    expect(configs.list({ type: 'lora_config', model_id: 'm1' }, { page_size: 4, page_token: byModel.next_page_token }).rows).toHaveLength(1);
    expect(errorOf(() => configs.list({ model_id: 'ghost' }, {})).kind).toBe('not_found');
  });
});
