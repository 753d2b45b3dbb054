import { insertRow } from '../catalog/catalog.projection.js';
import type { ProjectionHandlers } from '../shared/projection.js';

/** A comparison's first event records its row in `adapter_comparisons`, status `queued`; the lifecycle events do the rest. */
export const adapterComparisonProjection: ProjectionHandlers = {
  AdapterComparisonQueued: insertRow,
};
