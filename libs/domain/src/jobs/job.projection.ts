import { insertRow } from '../catalog/catalog.projection.js';
import type { ProjectionHandlers } from '../shared/projection.js';

/**
 * A job's first event: the row as requested, status `queued`. Removal uses
 * the generic `<Entity>Removed` handlers of the catalog projection.
 */
export const jobProjection: ProjectionHandlers = {
  FineTuningJobQueued: insertRow,
  EvaluationJobQueued: insertRow,
};
