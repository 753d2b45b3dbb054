import type { Row } from '@fts/domain';
import type { AdapterMetadata, ListAdaptersResponse } from '@fts/proto';
import type { PageRequest } from '../platform/transport/paging.js';
import { toMessage } from '../platform/transport/to-message.js';
import type { AdaptersHandlers } from './adapters.handlers.js';

/** ListAdapters: one page (gRPC: the request's page fields; HTTP: the query's, and HTTP marks rows whose folder is missing). */
export function listAdapters<M extends AdapterMetadata = AdapterMetadata>(
  adapters: AdaptersHandlers,
  page: PageRequest,
  present: (row: Row, message: AdapterMetadata) => M = (_row, message) => message as M,
  modelId = '',
): ListAdaptersResponse & { adapters: M[] } {
  const { rows, next_page_token } = adapters.list(page, modelId);
  return { adapters: rows.map((r) => present(r, toMessage<AdapterMetadata>(r))), next_page_token };
}

/** HTTP's `ids` filter: the adapters with these ids, in that order (one not found is left out), on one page. */
export function adaptersByIds<M extends AdapterMetadata>(adapters: AdaptersHandlers, ids: readonly string[], present: (row: Row, message: AdapterMetadata) => M) {
  return { adapters: adapters.byIds(ids).map((r) => present(r, toMessage<AdapterMetadata>(r))), next_page_token: '' };
}
