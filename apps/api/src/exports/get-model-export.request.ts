import type { GetModelExportResponse } from '@fts/proto';
import { toModelExportMessage } from './list-model-exports.request.js';
import type { ModelExportsHandlers } from './model-exports.handlers.js';

/** GetModelExport: gRPC's `id` field, HTTP's path id. */
export function getModelExport(exports: ModelExportsHandlers, id: string): GetModelExportResponse {
  return { export: toModelExportMessage(exports.get(id)) };
}
