import type { GetAdapterComparisonResponse } from '@fts/proto';
import type { AdapterComparisonsHandlers } from './adapter-comparisons.handlers.js';

/** GetAdapterComparison: gRPC's `id` field, HTTP's path id. */
export function getAdapterComparison(comparisons: AdapterComparisonsHandlers, id: string): GetAdapterComparisonResponse {
  return { comparison: comparisons.get(id) };
}
