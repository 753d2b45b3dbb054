import { insertRow } from '../catalog/catalog.projection.js';
import type { ProjectionHandlers } from '../shared/projection.js';

/** An export request's first event records its row in `model_exports`, status `queued`. */
export const modelExportProjection: ProjectionHandlers = {
  ModelExportRequested: insertRow,
};
