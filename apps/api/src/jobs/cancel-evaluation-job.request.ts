import type { CancelEvaluationJobResponse } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { JobCancelHandlers } from './job-cancel.handlers.js';
import { toEvaluationJobMessage } from './job-messages.js';

/** CancelEvaluationJob: gRPC's `id` field, HTTP's path id; answers the job as it is after the cancel. */
export function cancelEvaluationJob(cancels: JobCancelHandlers, id: string, call: CallContext): CancelEvaluationJobResponse {
  return { evaluation_job: toEvaluationJobMessage(cancels.cancelEvaluationJob(id, call)) };
}
