import type { Row } from '@fts/domain';
import { parseDeploySpec } from '../runners/cml-deploy/cml-deploy-spec.js';
import { exportDetailsOf, exportDetailsOfHandle, exportPlan, exportRunSpec, type ExportRunContext } from './export-run-spec.js';
import { errorOf } from '../../test/support/errors.js';

const ctx: ExportRunContext = { projectRoot: '/home/cdsw', stateDir: '/home/cdsw/.app', mlflowTrackingUri: 'http://mlflow:5000' };
const GEN = '{"do_sample": true, "temperature": 0.7}';

const exportRow = (over: Row = {}): Row => ({
  id: 'exp-1',
  type: 'project',
  base_model_id: 'm1',
  adapter_id: 'a1',
  model_name: 'tickets-model',
  artifact_location: 'exports/tickets',
  model_description: 'Tickets, merged',
  generation_config: GEN,
  status: 'queued',
  cpu: 2,
  memory: 8,
  gpu: 1,
  replicas: null,
  disable_authentication: null,
  ...over,
});
const hfModel: Row = { id: 'm1', type: 'huggingface', name: 'org/base', huggingface_model_name: 'org/base', location: null };
const projectModel: Row = { id: 'm2', type: 'project', name: 'local', huggingface_model_name: null, location: 'models/local' };
const adapter: Row = { id: 'a1', type: 'project', name: 'tickets', location: 'data/adapters/a1', huggingface_name: null };

describe('exportRunSpec (spec.json of export_merge.py)', () => {
  it('merges a project export into its folder, every path absolute inside the project', () => {
    expect(exportRunSpec(exportRow(), projectModel, adapter, ctx)).toEqual({
      job_id: 'exp-1',
      kind: 'export_merge',
      project_root: '/home/cdsw',
      output_dir: '/home/cdsw/exports/tickets',
      base_model: { id: 'm2', name: 'local', huggingface_name: null, location: '/home/cdsw/models/local' },
      adapter: { id: 'a1', name: 'tickets', location: '/home/cdsw/data/adapters/a1', huggingface_name: null },
      generation_config: { do_sample: true, temperature: 0.7 },
    });
  });

  it('merges a model_registry export into its run folder and adds the registry', () => {
    const spec = exportRunSpec(exportRow({ type: 'model_registry', artifact_location: null }), hfModel, adapter, ctx);
    expect(spec).toMatchObject({
      output_dir: '/home/cdsw/.app/job_runs/exp-1/merged',
      base_model: { huggingface_name: 'org/base', location: null },
      registry: { tracking_uri: 'http://mlflow:5000', model_name: 'tickets-model', description: 'Tickets, merged' },
    });
    expect(exportRunSpec(exportRow(), hfModel, adapter, ctx)).not.toHaveProperty('registry');
  });

  it('refuses a model_registry export once MLflow is no longer configured', () => {
    const e = errorOf(() => exportRunSpec(exportRow({ type: 'model_registry' }), hfModel, adapter, { ...ctx, mlflowTrackingUri: undefined }));
    expect(e).toMatchObject({ kind: 'failed_precondition', code: 'MODEL_EXPORT.MLFLOW_NOT_CONFIGURED' });
  });
});

describe('exportPlan', () => {
  it('sends project and model_registry exports to the template runner as export_merge jobs', () => {
    for (const type of ['project', 'model_registry']) {
      const plan = exportPlan(exportRow({ type }), hfModel, adapter, ctx);
      expect(plan).toMatchObject({ runnerKind: 'local-template', kind: 'export_merge', resources: { cpu: 2, memoryGb: 8, gpus: 1, numWorkers: 1 } });
      expect(plan.spec).toMatchObject({ kind: 'export_merge', job_id: 'exp-1' });
    }
  });

  it('sends a cml_model export to the cml-deploy runner with a valid deploy spec', () => {
    const row = exportRow({ type: 'cml_model', artifact_location: null, cpu: 4, memory: 16, gpu: 2, replicas: 3, disable_authentication: 0 });
    const plan = exportPlan(row, hfModel, { ...adapter, location: '/home/cdsw/data/adapters/a1' }, ctx);
    expect(plan).toMatchObject({ runnerKind: 'cml-deploy', resources: { cpu: 4, memoryGb: 16, gpus: 2 } });
    expect(plan.spec).toEqual({
      kind: 'cml_deploy',
      export_id: 'exp-1',
      model_name: 'tickets-model',
      description: 'Tickets, merged',
      disable_authentication: false,
      base_model_hf_name: 'org/base',
      adapter_location: 'data/adapters/a1',
      generation_config: GEN,
      cpu: 4,
      memory: 16,
      gpu: 2,
      replicas: 3,
    });
    expect(parseDeploySpec(plan.spec)).toEqual(plan.spec);
    expect((exportPlan({ ...row, disable_authentication: 1 }, hfModel, adapter, ctx).spec as { disable_authentication: boolean }).disable_authentication).toBe(true);
  });

  it('fills the original defaults where a row has no resources (imported rows)', () => {
    const plan = exportPlan(exportRow({ type: 'cml_model', cpu: null, memory: null, gpu: null, replicas: null }), hfModel, adapter, ctx);
    expect(plan.spec).toMatchObject({ cpu: 2, memory: 8, gpu: 1, replicas: 1 });
  });

  it('refuses what it cannot run, with FAILED_PRECONDITION', () => {
    expect(errorOf(() => exportPlan(exportRow({ type: 'tarball' }), hfModel, adapter, ctx)).kind).toBe('failed_precondition');
    expect(errorOf(() => exportPlan(exportRow({ type: 'cml_model' }), projectModel, adapter, ctx)).code).toBe('MODEL_EXPORT.BASE_MODEL_NOT_HUGGINGFACE');
    expect(errorOf(() => exportPlan(exportRow({ type: 'cml_model' }), hfModel, { ...adapter, location: null }, ctx)).code).toBe(
      'MODEL_EXPORT.ADAPTER_NOT_PROJECT',
    );
  });
});

describe('exportDetailsOf', () => {
  it('maps a result line onto the export row columns', () => {
    expect(exportDetailsOf({ cml_model_id: 'mod-1', cml_build_id: 'b-1', cml_deployment_id: 'd-1', access_key: 'k' })).toEqual({
      cml_model_id: 'mod-1',
      cml_build_id: 'b-1',
      cml_deployment_id: 'd-1',
    });
    expect(exportDetailsOf({ model_path: '/x', registered_model_name: 'tickets-model', registered_model_version: '3' })).toEqual({
      registered_model_id: 'models:/tickets-model/3',
    });
    expect(exportDetailsOf({ model_path: '/x' })).toEqual({});
    expect(exportDetailsOfHandle({ runner: 'cml-deploy', jobId: 'exp-1', runDir: '/r', cmlModelId: 'mod-1', cmlBuildId: 'b-1' })).toEqual({
      cml_model_id: 'mod-1',
      cml_build_id: 'b-1',
    });
  });
});

describe('exportPlan memory', () => {
  it('sizes a merge from the base model and leaves a cml_model deployment as requested', () => {
    const big = { ...ctx, baseModelBytes: 14e9 };
    expect(exportPlan(exportRow({ type: 'project', memory: 8, gpu: 1 }), hfModel, adapter, big).resources.memoryGb).toBe(18);
    expect(exportPlan(exportRow({ type: 'project', memory: 8, gpu: 0 }), hfModel, adapter, big).resources.memoryGb).toBe(31);
    expect(exportPlan(exportRow({ type: 'project', memory: 8 }), hfModel, adapter, ctx).resources.memoryGb).toBe(8);
    expect(exportPlan(exportRow({ type: 'cml_model', memory: 8 }), hfModel, adapter, big).resources.memoryGb).toBe(8);
  });
});
