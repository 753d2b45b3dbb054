import type { AddModel, Row } from '@fts/domain';
import type { AddModelResponse, ModelMetadata } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import { toMessage } from '../platform/transport/to-message.js';
import type { ModelsHandlers } from './models.handlers.js';

/** AddModelRequest (gRPC message or the JSON body of POST /api/models) → the command. */
export function addModelRequest(f: WireFields): AddModel {
  return {
    type: f.str('type'),
    huggingface_name: f.str('huggingface_name'),
    model_registry_id: f.str('model_registry_id'),
    location: f.str('location'),
    name: f.str('name'),
  };
}

export function addModelResponse(row: Row): AddModelResponse {
  return { model: toMessage<ModelMetadata>(row) };
}

export async function addModel(models: ModelsHandlers, f: WireFields, call: CallContext): Promise<AddModelResponse> {
  return addModelResponse(await models.add(addModelRequest(f), call));
}
