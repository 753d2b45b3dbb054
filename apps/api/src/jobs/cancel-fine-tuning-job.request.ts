import type { CancelFineTuningJobResponse } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { JobCancelHandlers } from './job-cancel.handlers.js';
import { toFineTuningJobMessage } from './job-messages.js';

/** CancelFineTuningJob: gRPC's `id` field, HTTP's path id; answers the job as it is after the cancel. */
export function cancelFineTuningJob(cancels: JobCancelHandlers, id: string, call: CallContext): CancelFineTuningJobResponse {
  return { fine_tuning_job: toFineTuningJobMessage(cancels.cancelFineTuningJob(id, call)) };
}
