import type { GetEvaluationJobResponse } from '@fts/proto';
import type { EvaluationJobsHandlers } from './evaluation-jobs.handlers.js';
import { toEvaluationJobMessage } from './job-messages.js';

/** GetEvaluationJob: gRPC's `id` field, HTTP's path id. */
export function getEvaluationJob(jobs: EvaluationJobsHandlers, id: string): GetEvaluationJobResponse {
  return { evaluation_job: toEvaluationJobMessage(jobs.get(id)) };
}
