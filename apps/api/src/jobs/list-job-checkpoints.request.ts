import type { ListJobCheckpointsResponse } from '@fts/proto';
import type { JobCheckpointsHandlers } from './job-checkpoints.handlers.js';

/** ListJobCheckpoints: gRPC's `job_id` field, HTTP's path id. */
export function listJobCheckpoints(checkpoints: JobCheckpointsHandlers, jobId: string): ListJobCheckpointsResponse {
  return { checkpoints: checkpoints.list(jobId) };
}
