import type { GetDatasetSplitByAdapterResponse } from '@fts/proto';
import type { DatasetsHandlers } from './datasets.handlers.js';

/** GetDatasetSplitByAdapter: gRPC's `adapter_id` field, HTTP's path id; HTTP answers the inner `response` itself. */
export function getDatasetSplitByAdapter(datasets: DatasetsHandlers, adapterId: string): GetDatasetSplitByAdapterResponse {
  return { response: datasets.splitByAdapter(adapterId) };
}
