import type { GetJobMetricsResponse } from '@fts/proto';
import type { JobWatchHandlers } from './job-watch.handlers.js';

/** GetJobMetrics: gRPC's `job_id` field, HTTP's path id. */
export function getJobMetrics(watches: JobWatchHandlers, jobId: string): GetJobMetricsResponse {
  return { points: watches.metrics(jobId) };
}
