import { projectEvent } from '../projections.js';
import { given } from '../../test/support/testing.js';
import type { DecideContext } from '../shared/decider.js';
import { CATALOG } from '../jobs/job.fixtures.js';
import { exportModel } from './model-export.decider.js';
import { DEFAULT_EXPORT_GENERATION_CONFIG, type ExportFolderFact, type ExportModel } from './model-export.commands.js';
import { invalidArgument } from '../shared/domain-error.js';

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
    expect(g.attempt(exporting({ type: 'onnx', base_model_id: '' })).thenThrows()).toMatchObject({
      kind: 'invalid_argument',
      message: "Model export of type 'onnx' is not supported.",
    });
    expect(g.attempt(exporting({ type: '' })).thenThrows().message).toBe("Field 'type' is required in ExportModelRequest.");
  });

  it('names the right request in required-field messages, then checks blanks and references', () => {
    const g = given(projectEvent, CATALOG);
    expect(g.attempt(exporting({ model_name: '' })).thenThrows().message).toBe("Field 'model_name' is required in ExportModelRequest.");
    expect(g.attempt(exporting({ adapter_id: '  ' })).thenThrows().message).toBe(
      "Field 'adapter_id' cannot be an empty string or only spaces.",
    );
    expect(g.attempt(exporting({ base_model_id: 'ghost' })).thenThrows()).toMatchObject({
      kind: 'not_found',
      message: "Model with ID 'ghost' does not exist.",
    });
    expect(g.attempt(exporting({ adapter_id: 'ghost' })).thenThrows()).toMatchObject({
      kind: 'not_found',
      message: "Adapter with ID 'ghost' does not exist.",
    });
    g.attempt(exporting({ generation_config: '{' })).thenThrows('CONFIG.INVALID_JSON');
  });

  it('refuses what the export type cannot do with FAILED_PRECONDITION', () => {
    const g = given(projectEvent, CATALOG);
    expect(g.attempt(exporting({ base_model_id: 'm-project' })).thenThrows()).toMatchObject({
      kind: 'failed_precondition',
      code: 'MODEL_EXPORT.BASE_MODEL_NOT_HUGGINGFACE',
    });
    expect(g.attempt(exporting({ type: 'cml_model', adapter_id: 'a-hf', cml_configured: true })).thenThrows()).toMatchObject({
      kind: 'failed_precondition',
      code: 'MODEL_EXPORT.ADAPTER_NOT_PROJECT',
    });
    const cml = g.attempt(exporting({ type: 'cml_model' })).thenThrows();
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
    expect(g.attempt(exporting({ memory: -1 })).thenThrows()).toMatchObject({
      kind: 'invalid_argument',
      code: 'MODEL_EXPORT.RESOURCES_INVALID',
      message: "Field 'memory' must be a whole number of GB, or 0 for the default (8).",
    });
    g.attempt(exporting({ cpu: 1.5 })).thenThrows('MODEL_EXPORT.RESOURCES_INVALID');
  });

  describe('model_registry', () => {
    it('needs MLflow, after the model checks', () => {
      const g = given(projectEvent, CATALOG);
      expect(g.attempt(exporting({ mlflow_configured: false })).thenThrows()).toMatchObject({
        kind: 'failed_precondition',
        code: 'MODEL_EXPORT.MLFLOW_NOT_CONFIGURED',
        message: 'Model registry export needs MLflow: set MLFLOW_TRACKING_URI (and the CML API for registration).',
      });
      g.attempt(exporting({ mlflow_configured: false, base_model_id: 'm-project' })).thenThrows('MODEL_EXPORT.BASE_MODEL_NOT_HUGGINGFACE');
      expect(g.attempt(exporting({ mlflow_configured: false, adapter_id: 'ghost' })).thenThrows().kind).toBe('not_found');
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
      expect(g.attempt(exporting({ type: 'project' })).thenThrows()).toMatchObject({
        kind: 'invalid_argument',
        message: "Field 'artifact_location' is required in ExportModelRequest.",
      });
      expect(g.attempt(exporting({ type: 'project', artifact_location: '  ' })).thenThrows().message).toBe(
        "Field 'artifact_location' cannot be an empty string or only spaces.",
      );
      expect(g.attempt(exporting({ type: 'project', model_name: '' })).thenThrows().message).toBe(
        "Field 'model_name' is required in ExportModelRequest.",
      );
    });

    it('refuses a folder outside the project, a file, and a folder that already has files', () => {
      const g = given(projectEvent, CATALOG);
      const outside = invalidArgument('PATH.OUTSIDE_PROJECT', "Field 'artifact_location' must be a path inside the project; '../x' is outside it.");
      expect(g.attempt(exporting(fact({ kind: 'refused', error: outside }))).thenThrows()).toBe(outside);
      expect(g.attempt(exporting(fact({ kind: 'file', relative: 'exports/merged' }))).thenThrows()).toMatchObject({
        kind: 'invalid_argument',
        code: 'MODEL_EXPORT.ARTIFACT_LOCATION_NOT_FOLDER',
      });
      expect(g.attempt(exporting(fact({ kind: 'directory', relative: 'exports/merged' }))).thenThrows()).toMatchObject({
        kind: 'already_exists',
        code: 'MODEL_EXPORT.ARTIFACT_LOCATION_NOT_EMPTY',
        message: "Folder 'exports/merged' already has files; choose an empty or new folder.",
      });
      g.attempt(exporting({ type: 'project', artifact_location: 'x' })).thenThrows('MODEL_EXPORT.ARTIFACT_LOCATION_INVALID');
    });

    it('refuses a folder another unfinished project export writes to', () => {
      const g = given(projectEvent, CATALOG);
      g.run(exporting(fact({ kind: 'missing', relative: 'exports/merged' })));
      expect(g.attempt(exporting(fact({ kind: 'missing', relative: 'exports/merged' }))).thenThrows()).toMatchObject({
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
      expect(g.attempt(exporting({ ...fact({ kind: 'missing', relative: 'exports/merged' }), base_model_id: 'm-reg' })).thenThrows()).toMatchObject({
        kind: 'failed_precondition',
        code: 'MODEL_EXPORT.BASE_MODEL_NOT_LOADABLE',
      });
    });
  });
});
