import fs from 'node:fs';
import path from 'node:path';
import type { EventMetadata } from '@fts/domain';
import type { EventStore } from '../platform/event-store/event-store.js';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { loadConfig } from '../platform/config/app-config.js';
import { ExportsHandlers, type ExportModelRequestFields } from './exports.handlers.js';
import { errorOf } from '../../test/support/errors.js';
import { openTestStore, type TestStore } from '../../test/support/test-store.js';

const call: CallContext = { transport: 'system' };
const meta: EventMetadata = { correlation_id: 'c', actor: 'test', transport: 'system' };

const request = (over: Partial<ExportModelRequestFields> = {}): ExportModelRequestFields => ({
  type: 'project',
  base_model_id: 'm1',
  adapter_id: 'a1',
  model_name: 'tickets-model',
  artifact_location: 'exports/tickets',
  model_description: '',
  generation_config: '',
  cpu: 0,
  memory: 0,
  gpu: 0,
  replicas: 0,
  disable_authentication: false,
  ...over,
});

describe('ExportModel handler on SQLite', () => {
  let root: string;
  let outside: string;
  let t: TestStore;
  let store: EventStore;
  let runner: CommandRunner;
  const handlers = (env: Record<string, string> = {}) =>
    new ExportsHandlers(runner, t.paths, loadConfig({ FTS_PROJECT_ROOT: root, ...env }, root));

  beforeEach(async () => {
    t = await openTestStore('fts-exports-');
    root = t.root;
    outside = t.outsideDir();
    fs.mkdirSync(path.join(root, 'exports', 'empty'), { recursive: true });
    fs.mkdirSync(path.join(root, 'exports', 'full'), { recursive: true });
    fs.writeFileSync(path.join(root, 'exports', 'full', 'config.json'), '{}');
    fs.symlinkSync(outside, path.join(root, 'escape'));
    store = t.store;
    store.append(
      [
        { type: 'ModelAdded', streamId: 'model-m1', streamType: 'model', data: { row: { id: 'm1', type: 'huggingface', name: 'org/m', huggingface_model_name: 'org/m' } } },
        { type: 'AdapterAdded', streamId: 'adapter-a1', streamType: 'adapter', data: { row: { id: 'a1', type: 'project', name: 'a', model_id: 'm1', location: 'adapters/a1' } } },
      ],
      meta,
    );
    runner = t.commands;
  });
  afterEach(async () => {
    await t.close();
  });

  it('records a project export into a new folder (not created yet) or an empty one, stored relative', () => {
    const r = handlers().exportModel(request({ artifact_location: path.join(root, 'exports/new/model') }), call);
    expect(r).toMatchObject({ base_model_id: 'm1', adapter_id: 'a1', status: 'queued' });
    expect(store.reader.get('model_exports', r.export_id)).toMatchObject({ type: 'project', artifact_location: 'exports/new/model', cpu: 2, memory: 8, gpu: 1 });
    expect(fs.existsSync(path.join(root, 'exports/new'))).toBe(false);
    const r2 = handlers().exportModel(request({ artifact_location: './exports/empty/' }), call);
    expect(store.reader.get('model_exports', r2.export_id)?.artifact_location).toBe('exports/empty');
  });

  it('refuses a folder outside the project (../, absolute, symlink), a file, and a folder with files, writing nothing', () => {
    const before = store.lastPosition();
    for (const p of ['../x', outside, 'escape/model']) {
      expect(errorOf(() => handlers().exportModel(request({ artifact_location: p }), call)).code).toBe('PATH.OUTSIDE_PROJECT');
    }
    expect(errorOf(() => handlers().exportModel(request({ artifact_location: 'exports/full/config.json' }), call)).kind).toBe('invalid_argument');
    expect(errorOf(() => handlers().exportModel(request({ artifact_location: 'exports/full' }), call))).toMatchObject({
      kind: 'already_exists',
      message: "Folder 'exports/full' already has files; choose an empty or new folder.",
    });
    expect(errorOf(() => handlers().exportModel(request({ artifact_location: '' }), call)).message).toBe(
      "Field 'artifact_location' is required in ExportModelRequest.",
    );
    expect(store.lastPosition()).toBe(before);
  });

  it('needs MLFLOW_TRACKING_URI for a model_registry export', () => {
    expect(errorOf(() => handlers().exportModel(request({ type: 'model_registry', artifact_location: '' }), call))).toMatchObject({
      kind: 'failed_precondition',
      message: 'Model registry export needs MLflow: set MLFLOW_TRACKING_URI (and the CML API for registration).',
    });
    const r = handlers({ MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000' }).exportModel(request({ type: 'model_registry', artifact_location: '' }), call);
    expect(r.status).toBe('queued');
  });

  it('needs the CML API for a cml_model export, and keeps authentication on by default', () => {
    expect(errorOf(() => handlers().exportModel(request({ type: 'cml_model' }), call)).code).toBe('MODEL_EXPORT.CML_NOT_CONFIGURED');
    const cml = { CDSW_API_URL: 'http://127.0.0.1:1/api/v1', CDSW_APIV2_KEY: 'k', CDSW_PROJECT_ID: 'p' };
    const r = handlers(cml).exportModel(request({ type: 'cml_model', artifact_location: '', replicas: 2 }), call);
    expect(store.reader.get('model_exports', r.export_id)).toMatchObject({ cpu: 2, memory: 8, gpu: 1, replicas: 2, disable_authentication: 0 });
  });
});
