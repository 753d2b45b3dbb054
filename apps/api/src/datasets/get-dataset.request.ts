import type { DatasetMetadata, GetDatasetResponse } from '@fts/proto';
import { toMessage } from '../platform/transport/to-message.js';
import type { DatasetsHandlers } from './datasets.handlers.js';

/** GetDataset: gRPC's `id` field, HTTP's path id. */
export function getDataset(datasets: DatasetsHandlers, id: string): GetDatasetResponse {
  return { dataset: toMessage<DatasetMetadata>(datasets.get(id)) };
}
