import type { ListFineTuningJobsResponse } from '@fts/proto';
import type { PageRequest } from '../platform/transport/paging.js';
import type { FineTuningJobsHandlers } from './fine-tuning-jobs.handlers.js';
import { toFineTuningJobMessage } from './job-messages.js';

/** ListFineTuningJobs: one page (gRPC: the request's page fields; HTTP: the query's). */
export function listFineTuningJobs(jobs: FineTuningJobsHandlers, page: PageRequest): ListFineTuningJobsResponse {
  const { rows, next_page_token } = jobs.list(page);
  return { fine_tuning_jobs: rows.map(toFineTuningJobMessage), next_page_token };
}
