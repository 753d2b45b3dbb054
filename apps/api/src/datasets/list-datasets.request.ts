import type { Row } from '@fts/domain';
import type { DatasetMetadata, ListDatasetsResponse } from '@fts/proto';
import type { PageRequest } from '../platform/transport/paging.js';
import { toMessage } from '../platform/transport/to-message.js';
import type { DatasetsHandlers } from './datasets.handlers.js';

/** ListDatasets: one page (gRPC: the request's page fields; HTTP: the query's, and HTTP marks rows whose file is missing). */
export function listDatasets<M extends DatasetMetadata = DatasetMetadata>(
  datasets: DatasetsHandlers,
  page: PageRequest,
  present: (row: Row, message: DatasetMetadata) => M = (_row, message) => message as M,
): ListDatasetsResponse & { datasets: M[] } {
  const { rows, next_page_token } = datasets.list(page);
  return { datasets: rows.map((r) => present(r, toMessage<DatasetMetadata>(r))), next_page_token };
}

/** HTTP's `ids` filter: the datasets with these ids, in that order (one not found is left out), on one page. */
export function datasetsByIds<M extends DatasetMetadata>(datasets: DatasetsHandlers, ids: readonly string[], present: (row: Row, message: DatasetMetadata) => M) {
  return { datasets: datasets.byIds(ids).map((r) => present(r, toMessage<DatasetMetadata>(r))), next_page_token: '' };
}
