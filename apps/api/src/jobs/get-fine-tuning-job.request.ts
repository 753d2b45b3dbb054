import type { GetFineTuningJobResponse } from '@fts/proto';
import type { FineTuningJobsHandlers } from './fine-tuning-jobs.handlers.js';
import { toFineTuningJobMessage } from './job-messages.js';

/** GetFineTuningJob: gRPC's `id` field, HTTP's path id. */
export function getFineTuningJob(jobs: FineTuningJobsHandlers, id: string): GetFineTuningJobResponse {
  return { fine_tuning_job: toFineTuningJobMessage(jobs.get(id)) };
}
