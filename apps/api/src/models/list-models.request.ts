import type { Row } from '@fts/domain';
import type { ListModelsResponse, ModelMetadata } from '@fts/proto';
import type { PageRequest } from '../platform/transport/paging.js';
import { toMessage } from '../platform/transport/to-message.js';
import type { ModelsHandlers } from './models.handlers.js';

/** ListModels: one page (gRPC: the request's page fields; HTTP: the query's, and HTTP marks rows whose folder is missing). */
export function listModels<M extends ModelMetadata = ModelMetadata>(
  models: ModelsHandlers,
  page: PageRequest,
  present: (row: Row, message: ModelMetadata) => M = (_row, message) => message as M,
): ListModelsResponse & { models: M[] } {
  const { rows, next_page_token } = models.list(page);
  return { models: rows.map((r) => present(r, toMessage<ModelMetadata>(r))), next_page_token };
}

/** HTTP's `ids` filter: the models with these ids, in that order (one not found is left out), on one page. */
export function modelsByIds<M extends ModelMetadata>(models: ModelsHandlers, ids: readonly string[], present: (row: Row, message: ModelMetadata) => M) {
  return { models: models.byIds(ids).map((r) => present(r, toMessage<ModelMetadata>(r))), next_page_token: '' };
}
