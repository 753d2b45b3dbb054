import type { Row } from '@fts/domain';
import type { ListModelExportsResponse, ModelExport } from '@fts/proto';
import type { PageRequest } from '../platform/transport/paging.js';
import { toMessage } from '../platform/transport/to-message.js';
import type { ModelExportsHandlers } from './model-exports.handlers.js';

export function toModelExportMessage(row: Row): ModelExport {
  return toMessage<ModelExport>(row);
}

/** ListModelExports: one page (gRPC: the request's page fields; HTTP: the query's). */
export function listModelExports(exports: ModelExportsHandlers, page: PageRequest): ListModelExportsResponse {
  const { rows, next_page_token } = exports.list(page);
  return { exports: rows.map(toModelExportMessage), next_page_token };
}
