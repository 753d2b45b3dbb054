import { projectEvent } from '../projections.js';
import { given } from '../shared/testing.js';
import { DomainError } from '../shared/domain-error.js';
import type { DecideContext } from '../shared/decider.js';
import { CATALOG } from '../jobs/job.fixtures.js';
import { exportModel } from './model-export.decider.js';
import { DEFAULT_EXPORT_GENERATION_CONFIG, type ExportModel } from './model-export.commands.js';

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
  cml_configured: false,
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
});
