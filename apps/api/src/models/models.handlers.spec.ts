import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { AddModel } from '@fts/domain';
import type { EventStore } from '../platform/event-store/event-store.js';
import type { CallContext } from '../platform/command-runner.js';
import { startFakeHub, type FakeHub } from '../../test/support/fake-hub.js';
import { HfHubClient } from '../datasets/infra/hf-hub.client.js';
import { CmlRegistryClient, CML_MISSING_MESSAGE } from './infra/cml-registry.client.js';
import { ModelsHandlers } from './models.handlers.js';
import { rejectionOf } from '../../test/support/errors.js';
import { openTestStore, type TestStore } from '../../test/support/test-store.js';

const call: CallContext = { transport: 'system' };
const cmd = (over: Partial<AddModel>): AddModel => ({ type: 'huggingface', huggingface_name: '', model_registry_id: '', ...over });

/** A CML API that knows one registered model. */
async function startFakeCml() {
  const seen: { path: string; auth?: string }[] = [];
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    seen.push({ path: p, auth: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== 'Bearer key-1') return send(401, { message: 'unauthorized' });
    if (p === '/api/v2/registry/models/reg-1') {
      return send(200, {
        name: 'registered-llama',
        model_id: 'reg-1',
        model_versions: [{ model_version_metadata: { mlflow_metadata: { experiment_id: 'exp-1', run_id: 'run-1' } } }],
      });
    }
    if (p === '/api/v2/registry/models/empty') return send(200, { name: 'empty', model_id: 'empty', model_versions: [] });
    send(404, { message: 'not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((r) => (server.closeAllConnections(), server.close(r))) };
}

describe('ModelsHandlers on SQLite', () => {
  let root: string;
  let outside: string;
  let t: TestStore;
  let store: EventStore;
  let hub: FakeHub;
  let cml: Awaited<ReturnType<typeof startFakeCml>>;
  let models: ModelsHandlers;
  const make = (registry: CmlRegistryClient) =>
    new ModelsHandlers(t.commands, store.reader, t.paths, new HfHubClient({ endpoint: hub.url, timeoutMs: 2000 }), registry);

  beforeEach(async () => {
    t = await openTestStore('fts-models-');
    root = t.root;
    outside = t.outsideDir();
    fs.mkdirSync(path.join(root, 'models', 'tiny'), { recursive: true });
    fs.writeFileSync(path.join(root, 'models', 'tiny', 'config.json'), JSON.stringify({ architectures: ['GPT2LMHeadModel'] }));
    fs.mkdirSync(path.join(root, 'models', 'empty'));
    fs.mkdirSync(path.join(root, 'models', 'badjson'));
    fs.writeFileSync(path.join(root, 'models', 'badjson', 'config.json'), '{nope');
    fs.writeFileSync(path.join(outside, 'config.json'), '{}');
    fs.symlinkSync(outside, path.join(root, 'models', 'link-out'));
    store = t.store;
    hub = await startFakeHub();
    cml = await startFakeCml();
    models = make(new CmlRegistryClient({ apiUrl: `${cml.url}/api/v1`, apiKey: 'key-1', projectId: 'p' }, 2000));
  });
  afterEach(async () => {
    await hub.close();
    await cml.close();
    await t.close();
  });

  describe('huggingface', () => {
    it('adds a model that exists on the Hub, with its architecture', async () => {
      const row = await models.add(cmd({ huggingface_name: ' test-org/tiny-llama ' }), call);
      expect(row).toMatchObject({ type: 'huggingface', name: 'test-org/tiny-llama', huggingface_model_name: 'test-org/tiny-llama', model_family: 'LlamaForCausalLM' });
      expect(models.get(String(row.id))).toEqual(row);
      const dup = await rejectionOf(models.add(cmd({ huggingface_name: 'test-org/tiny-llama' }), call));
      expect(dup.kind).toBe('already_exists');
      expect(dup.message).toBe("Model with name 'test-org/tiny-llama' already exists.");
    });

    it('refuses a model the Hub does not know', async () => {
      const e = await rejectionOf(models.add(cmd({ huggingface_name: 'test-org/nope' }), call));
      expect(e.kind).toBe('not_found');
      expect(e.message).toBe("ERROR: Failed to load Hugging Face model. Model 'test-org/nope' was not found on the Hugging Face Hub.");
    });
  });

  describe('project', () => {
    it('adds a model folder holding config.json, named after the folder unless named', async () => {
      const row = await models.add(cmd({ type: 'project', location: path.join(root, 'models/tiny/') }), call);
      expect(row).toMatchObject({ type: 'project', name: 'tiny', location: 'models/tiny', model_family: 'GPT2LMHeadModel', huggingface_model_name: null });
      const dup = await rejectionOf(models.add(cmd({ type: 'project', location: 'models/tiny' }), call));
      expect(dup.kind).toBe('already_exists');
      expect((await models.add(cmd({ type: 'project', location: 'models/tiny', name: 'Tiny 2' }), call)).name).toBe('Tiny 2');
    });

    it('refuses a missing folder, a folder without a readable config.json, and a folder outside the project', async () => {
      for (const location of ['models/nope', 'models/empty', 'models/badjson', 'models/tiny/config.json']) {
        const e = await rejectionOf(models.add(cmd({ type: 'project', location }), call));
        expect([location, e.kind]).toEqual([location, 'invalid_argument']);
      }
      expect((await rejectionOf(models.add(cmd({ type: 'project', location: 'models/empty' }), call))).message).toContain('config.json');
      expect((await rejectionOf(models.add(cmd({ type: 'project', location: 'models/link-out' }), call))).code).toBe('PATH.OUTSIDE_PROJECT');
      expect((await rejectionOf(models.add(cmd({ type: 'project', location: '../' }), call))).code).toBe('PATH.OUTSIDE_PROJECT');
      expect(store.lastPosition()).toBe(0);
    });
  });

  describe('model_registry', () => {
    it('needs the CML configuration', async () => {
      const e = await rejectionOf(make(new CmlRegistryClient(undefined)).add(cmd({ type: 'model_registry', model_registry_id: 'reg-1' }), call));
      expect(e.kind).toBe('failed_precondition');
      expect(e.message).toBe(CML_MISSING_MESSAGE);
      expect(CML_MISSING_MESSAGE).toBe('Model registry import needs the CML API: set CDSW_API_URL, CDSW_APIV2_KEY and CDSW_PROJECT_ID.');
    });

    it('imports a registered model by id, with its MLflow ids', async () => {
      const row = await models.add(cmd({ type: 'model_registry', model_registry_id: 'reg-1' }), call);
      expect(row).toMatchObject({
        type: 'model_registry',
        name: 'registered-llama',
        cml_registered_model_id: 'reg-1',
        mlflow_experiment_id: 'exp-1',
        mlflow_run_id: 'run-1',
      });
      expect(cml.seen.at(-1)).toEqual({ path: '/api/v2/registry/models/reg-1', auth: 'Bearer key-1' });
      expect((await rejectionOf(models.add(cmd({ type: 'model_registry', model_registry_id: 'reg-1' }), call))).kind).toBe('already_exists');
    });

    it('maps registry failures', async () => {
      expect((await rejectionOf(models.add(cmd({ type: 'model_registry', model_registry_id: 'nope' }), call))).kind).toBe('not_found');
      expect((await rejectionOf(models.add(cmd({ type: 'model_registry', model_registry_id: 'empty' }), call))).kind).toBe('failed_precondition');
      const denied = make(new CmlRegistryClient({ apiUrl: cml.url, apiKey: 'wrong', projectId: 'p' }, 2000));
      const e = await rejectionOf(denied.add(cmd({ type: 'model_registry', model_registry_id: 'reg-1' }), call));
      expect(e.kind).toBe('failed_precondition');
      expect(e.message).toContain('CDSW_APIV2_KEY');
      await cml.close();
      expect((await rejectionOf(models.add(cmd({ type: 'model_registry', model_registry_id: 'reg-1' }), call))).kind).toBe('unavailable');
      cml = await startFakeCml();
    });
  });

  it('refuses other types, lists, and removes', async () => {
    const e = await rejectionOf(models.add(cmd({ type: 'gguf', huggingface_name: 'x' }), call));
    expect(e.message).toBe('ERROR: Cannot import model of this type.');
    const a = await models.add(cmd({ huggingface_name: 'test-org/tiny-llama' }), call);
    await models.add(cmd({ huggingface_name: 'bigscience/bloom-1b1' }), call);
    expect(models.list({}).rows.map((r) => r.name)).toEqual(['test-org/tiny-llama', 'bigscience/bloom-1b1']);
    models.remove(String(a.id), call);
    expect(models.list({}).rows).toHaveLength(1);
    expect((await rejectionOf(() => models.remove(String(a.id), call))).kind).toBe('not_found');
  });
});
