import type { GetModelResponse, ModelMetadata } from '@fts/proto';
import { toMessage } from '../platform/transport/to-message.js';
import type { ModelsHandlers } from './models.handlers.js';

/** GetModel: gRPC's `id` field, HTTP's path id. */
export function getModel(models: ModelsHandlers, id: string): GetModelResponse {
  return { model: toMessage<ModelMetadata>(models.get(id)) };
}
