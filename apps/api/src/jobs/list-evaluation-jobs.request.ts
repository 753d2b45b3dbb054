import type { ListEvaluationJobsResponse } from '@fts/proto';
import type { PageRequest } from '../platform/transport/paging.js';
import type { EvaluationJobsHandlers } from './evaluation-jobs.handlers.js';
import { toEvaluationJobMessage } from './job-messages.js';

/** ListEvaluationJobs: one page (gRPC: the request's page fields; HTTP: the query's). */
export function listEvaluationJobs(jobs: EvaluationJobsHandlers, page: PageRequest): ListEvaluationJobsResponse {
  const { rows, next_page_token } = jobs.list(page);
  return { evaluation_jobs: rows.map(toEvaluationJobMessage), next_page_token };
}
