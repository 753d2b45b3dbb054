import type { EventMetadata } from '@fts/domain';
import type { EventStore } from '../platform/event-store/event-store.js';
import type { CallContext } from '../platform/command-runner.js';
import path from 'node:path';
import { EventStore as Store } from '../platform/event-store/event-store.js';
import { openDatabase } from '../platform/database/open-database.js';
import { EventBus } from '../platform/event-bus.js';
import { CommandRunner } from '../platform/command-runner.js';
import { replay } from '../platform/replay/replay.js';
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

  it('dedups through the content-key index: key order, 1 vs 1.0, nested values, YAML; different content is new', () => {
    const a = configs.add({ type: 'lora_config', config: '{"r": 8, "alpha": [1, {"b": true, "a": null}]}' }, call);
    const before = store.lastPosition();
    expect(configs.add({ type: 'lora_config', config: '{"alpha": [1.0, {"a": null, "b": true}], "r": 8.0}' }, call).id).toBe(a.id);
    expect(store.lastPosition()).toBe(before);
    // true is not 1 to pyEquals, and the list order matters.
    expect(configs.add({ type: 'lora_config', config: '{"r": 8, "alpha": [1, {"b": 1, "a": null}]}' }, call).id).not.toBe(a.id);
    expect(configs.add({ type: 'lora_config', config: '{"r": 8, "alpha": [{"b": true, "a": null}, 1]}' }, call).id).not.toBe(a.id);
    // Same content, another type: a new config.
    expect(configs.add({ type: 'custom', config: '{"r": 8, "alpha": [1, {"b": true, "a": null}]}' }, call).id).not.toBe(a.id);
    const y = configs.add({ type: 'axolotl', config: 'base_model: x\nlr: 0.0002\n' }, call);
    expect(configs.add({ type: 'axolotl', config: 'lr: 2.0e-4\nbase_model: x\n' }, call).id).toBe(y.id);
    // A removed config is no longer handed back.
    configs.remove(String(a.id), call);
    expect(configs.add({ type: 'lora_config', config: '{"r": 8, "alpha": [1, {"b": true, "a": null}]}' }, call).id).not.toBe(a.id);
  });

  it('the lookup reads the index, not the configs table', () => {
    const plan = (
      store.db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT c.* FROM config_content_keys k JOIN configs c ON c.id = k.id
           WHERE k.type IS ? AND k.model_family IS ? AND k.content_key = ? ORDER BY c.rowid`,
        )
        .all('custom', null, 'k') as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(/SEARCH k USING (COVERING )?INDEX config_content_keys_lookup/);
    expect(plan.join('\n')).not.toMatch(/SCAN (c|configs)\b/);
  });

  it('keys the configs of a database from before the index when it is opened, and keeps the index through a replay', async () => {
    const a = configs.add({ type: 'custom', config: '{"x": 1, "y": [2]}' }, call);
    // A database migrated before the index existed: the migration's rows, no keys yet.
    store.db.exec('UPDATE config_content_keys SET content_key = NULL');
    const copy = path.join(t.outsideDir(), 'state.db');
    store.db.exec(`VACUUM INTO '${copy}'`);
    const reopened = await openDatabase(copy);
    try {
      expect(reopened.db.prepare('SELECT COUNT(*) AS n FROM config_content_keys WHERE content_key IS NULL').get()).toEqual({ n: 0 });
      const other = new Store(reopened.db);
      const again = new ConfigsHandlers(new CommandRunner(other, new EventBus()), other.reader);
      expect(again.add({ type: 'custom', config: '{"y": [2.0], "x": 1}' }, call).id).toBe(a.id);

      replay(reopened.db, other);
      const triggers = reopened.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'configs'").all();
      expect(triggers).toHaveLength(3);
      expect(again.add({ type: 'custom', config: '{"x": 1.0, "y": [2]}' }, call).id).toBe(a.id);
      const b = again.add({ type: 'custom', config: '{"z": 3}' }, call);
      expect(again.add({ type: 'custom', config: '{"z": 3.0}' }, call).id).toBe(b.id);
    } finally {
      await reopened.dataSource.destroy();
    }
  });
});
