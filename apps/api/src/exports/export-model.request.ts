import type { ExportModelResponse } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import type { ExportModelRequestFields, ExportsHandlers } from './exports.handlers.js';

/** ExportModelRequest (gRPC message or the JSON body of POST /api/exports) → the export's fields. */
export function exportModelRequest(f: WireFields): ExportModelRequestFields {
  return {
    type: f.str('type'),
    base_model_id: f.str('base_model_id'),
    adapter_id: f.str('adapter_id'),
    model_name: f.str('model_name'),
    artifact_location: f.str('artifact_location'),
    model_description: f.str('model_description'),
    generation_config: f.str('generation_config'),
    cpu: f.num('cpu'),
    memory: f.num('memory'),
    gpu: f.num('gpu'),
    replicas: f.num('replicas'),
    disable_authentication: f.bool('disable_authentication'),
  };
}

/** The handler's result is the ExportModelResponse itself. */
export function exportModel(exports: ExportsHandlers, f: WireFields, call: CallContext): ExportModelResponse {
  return exports.exportModel(exportModelRequest(f), call);
}
