import { projectEvent } from '../projections.js';
import { given } from '../../test/support/testing.js';
import { DomainError } from '../shared/domain-error.js';
import type { DecideContext } from '../shared/decider.js';
import { CATALOG } from '../jobs/job.fixtures.js';
import { exportModel } from './model-export.decider.js';
import { DEFAULT_EXPORT_GENERATION_CONFIG, type ExportFolderFact, type ExportModel } from './model-export.commands.js';
import { invalidArgument } from '../shared/domain-error.js';

const error = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected an error');
};

const request = (over: Partial<ExportModel> = {}): ExportModel => ({
  type: 'model_registry',
  base_model_id: 'm1',
  adapter_id: 'a1',
  model_name: 'tickets-model',
  artifact_location: '',
  model_description: '',
  generation_config: '',
  cpu: 0,
  memory: 0,
  gpu: 0,
  replicas: 0,
  disable_authentication: false,
  cml_configured: false,
  mlflow_configured: true,
  ...over,
});
const exporting = (over: Partial<ExportModel>) => (ctx: DecideContext) => exportModel(request(over), ctx);

describe('ExportModel', () => {
  it('records the request as a queued model_export stream and answers with its id', () => {
    const g = given(projectEvent, CATALOG);
    const d = g.run(exporting({ generation_config: '{"temperature":0.7}' }));
    expect(d.events.map((e) => [e.type, e.streamId])).toEqual([['ModelExportRequested', 'model_export-id-1']]);
    expect(d.result).toEqual({ base_model_id: 'm1', adapter_id: 'a1', export_id: 'id-1', status: 'queued' });
    expect(g.catalog.get('model_exports', 'id-1')).toMatchObject({
      type: 'model_registry',
      model_name: 'tickets-model',
      generation_config: '{"temperature": 0.7}',
      status: 'queued',
    });
  });

  it('uses the default generation config when none is given', () => {
    const g = given(projectEvent, CATALOG);
    g.run(exporting({}));
    expect(g.catalog.get('model_exports', 'id-1')?.generation_config).toBe(DEFAULT_EXPORT_GENERATION_CONFIG);
  });

  it('checks the type first', () => {
    const g = given(projectEvent, CATALOG);
    expect(error(() => g.when(exporting({ type: 'onnx', base_model_id: '' })))).toMatchObject({
      kind: 'invalid_argument',
      message: "Model export of type 'onnx' is not supported.",
    });
    expect(error(() => g.when(exporting({ type: '' }))).message).toBe("Field 'type' is required in ExportModelRequest.");
  });

  it('names the right request in required-field messages, then checks blanks and references', () => {
    const g = given(projectEvent, CATALOG);
    expect(error(() => g.when(exporting({ model_name: '' }))).message).toBe("Field 'model_name' is required in ExportModelRequest.");
    expect(error(() => g.when(exporting({ adapter_id: '  ' }))).message).toBe(
      "Field 'adapter_id' cannot be an empty string or only spaces.",
    );
    expect(error(() => g.when(exporting({ base_model_id: 'ghost' })))).toMatchObject({
      kind: 'not_found',
      message: "Model with ID 'ghost' does not exist.",
    });
    expect(error(() => g.when(exporting({ adapter_id: 'ghost' })))).toMatchObject({
      kind: 'not_found',
      message: "Adapter with ID 'ghost' does not exist.",
    });
    expect(error(() => g.when(exporting({ generation_config: '{' }))).code).toBe('CONFIG.INVALID_JSON');
  });

  it('refuses what the export type cannot do with FAILED_PRECONDITION', () => {
    const g = given(projectEvent, CATALOG);
    expect(error(() => g.when(exporting({ base_model_id: 'm-project' })))).toMatchObject({
      kind: 'failed_precondition',
      code: 'MODEL_EXPORT.BASE_MODEL_NOT_HUGGINGFACE',
    });
    expect(error(() => g.when(exporting({ type: 'cml_model', adapter_id: 'a-hf', cml_configured: true })))).toMatchObject({
      kind: 'failed_precondition',
      code: 'MODEL_EXPORT.ADAPTER_NOT_PROJECT',
    });
    const cml = error(() => g.when(exporting({ type: 'cml_model' })));
    expect(cml).toMatchObject({ kind: 'failed_precondition', code: 'MODEL_EXPORT.CML_NOT_CONFIGURED' });
    expect(cml.message).toContain('CDSW_API_URL, CDSW_APIV2_KEY and CDSW_PROJECT_ID');
    expect(g.when(exporting({ type: 'cml_model', cml_configured: true })).result.status).toBe('queued');
  });
  it('stores the resources: the original deployment (2 CPU, 8 GB, 1 GPU, 1 replica) by default, authentication on', () => {
    const g = given(projectEvent, CATALOG);
    g.run(exporting({ type: 'cml_model', cml_configured: true }));
    expect(g.catalog.get('model_exports', 'id-1')).toMatchObject({ cpu: 2, memory: 8, gpu: 1, replicas: 1, disable_authentication: 0 });
    g.run(exporting({ type: 'cml_model', cml_configured: true, cpu: 4, memory: 32, gpu: 2, replicas: 3, disable_authentication: true }));
    expect(g.catalog.get('model_exports', 'id-2')).toMatchObject({ cpu: 4, memory: 32, gpu: 2, replicas: 3, disable_authentication: 1 });
    g.run(exporting({}));
    expect(g.catalog.get('model_exports', 'id-3')).toMatchObject({ cpu: 2, memory: 8, gpu: 1, replicas: null, disable_authentication: null });
  });

  it('refuses negative or fractional resources', () => {
    const g = given(projectEvent, CATALOG);
    expect(error(() => g.when(exporting({ memory: -1 })))).toMatchObject({
      kind: 'invalid_argument',
      code: 'MODEL_EXPORT.RESOURCES_INVALID',
      message: "Field 'memory' must be a whole number of GB, or 0 for the default (8).",
    });
    expect(error(() => g.when(exporting({ cpu: 1.5 }))).code).toBe('MODEL_EXPORT.RESOURCES_INVALID');
  });

  describe('model_registry', () => {
    it('needs MLflow, after the model checks', () => {
      const g = given(projectEvent, CATALOG);
      expect(error(() => g.when(exporting({ mlflow_configured: false })))).toMatchObject({
        kind: 'failed_precondition',
        code: 'MODEL_EXPORT.MLFLOW_NOT_CONFIGURED',
        message: 'Model registry export needs MLflow: set MLFLOW_TRACKING_URI (and the CML API for registration).',
      });
      expect(error(() => g.when(exporting({ mlflow_configured: false, base_model_id: 'm-project' }))).code).toBe(
        'MODEL_EXPORT.BASE_MODEL_NOT_HUGGINGFACE',
      );
      expect(error(() => g.when(exporting({ mlflow_configured: false, adapter_id: 'ghost' }))).kind).toBe('not_found');
    });
  });

  describe('project', () => {
    const fact = (f: ExportFolderFact) => ({ type: 'project', artifact_location: 'exports/merged', artifact_location_fact: f });

    it('merges into a new or empty folder in the project, stored relative, from a Hugging Face or project base model', () => {
      const g = given(projectEvent, CATALOG);
      const d = g.run(exporting({ ...fact({ kind: 'missing', relative: 'exports/merged' }), base_model_id: 'm-project', adapter_id: 'a-hf' }));
      expect(d.result.status).toBe('queued');
      expect(g.catalog.get('model_exports', 'id-1')).toMatchObject({
        type: 'project',
        artifact_location: 'exports/merged',
        base_model_id: 'm-project',
        adapter_id: 'a-hf',
        replicas: null,
      });
      g.run(exporting({ ...fact({ kind: 'empty_directory', relative: 'exports/other' }), mlflow_configured: false }));
      expect(g.catalog.get('model_exports', 'id-2')?.artifact_location).toBe('exports/other');
    });

    it('requires artifact_location, after the shared fields', () => {
      const g = given(projectEvent, CATALOG);
      expect(error(() => g.when(exporting({ type: 'project' })))).toMatchObject({
        kind: 'invalid_argument',
        message: "Field 'artifact_location' is required in ExportModelRequest.",
      });
      expect(error(() => g.when(exporting({ type: 'project', artifact_location: '  ' }))).message).toBe(
        "Field 'artifact_location' cannot be an empty string or only spaces.",
      );
      expect(error(() => g.when(exporting({ type: 'project', model_name: '' }))).message).toBe(
        "Field 'model_name' is required in ExportModelRequest.",
      );
    });

    it('refuses a folder outside the project, a file, and a folder that already has files', () => {
      const g = given(projectEvent, CATALOG);
      const outside = invalidArgument('PATH.OUTSIDE_PROJECT', "Field 'artifact_location' must be a path inside the project; '../x' is outside it.");
      expect(error(() => g.when(exporting(fact({ kind: 'refused', error: outside }))))).toBe(outside);
      expect(error(() => g.when(exporting(fact({ kind: 'file', relative: 'exports/merged' }))))).toMatchObject({
        kind: 'invalid_argument',
        code: 'MODEL_EXPORT.ARTIFACT_LOCATION_NOT_FOLDER',
      });
      expect(error(() => g.when(exporting(fact({ kind: 'directory', relative: 'exports/merged' }))))).toMatchObject({
        kind: 'already_exists',
        code: 'MODEL_EXPORT.ARTIFACT_LOCATION_NOT_EMPTY',
        message: "Folder 'exports/merged' already has files; choose an empty or new folder.",
      });
      expect(error(() => g.when(exporting({ type: 'project', artifact_location: 'x' }))).code).toBe('MODEL_EXPORT.ARTIFACT_LOCATION_INVALID');
    });

    it('refuses a folder another unfinished project export writes to', () => {
      const g = given(projectEvent, CATALOG);
      g.run(exporting(fact({ kind: 'missing', relative: 'exports/merged' })));
      expect(error(() => g.when(exporting(fact({ kind: 'missing', relative: 'exports/merged' }))))).toMatchObject({
        kind: 'already_exists',
        message: "Folder 'exports/merged' is the target of model export 'id-1', which has not finished; choose an empty or new folder.",
      });
    });

    it('refuses a base model it cannot load', () => {
      const g = given(projectEvent, [
        ...CATALOG,
        {
          type: 'ModelAdded',
          streamId: 'model-m-reg',
          streamType: 'model',
          data: { row: { id: 'm-reg', type: 'model_registry', name: 'registered' } },
        },
      ]);
      expect(error(() => g.when(exporting({ ...fact({ kind: 'missing', relative: 'exports/merged' }), base_model_id: 'm-reg' })))).toMatchObject({
        kind: 'failed_precondition',
        code: 'MODEL_EXPORT.BASE_MODEL_NOT_LOADABLE',
      });
    });
  });
});
