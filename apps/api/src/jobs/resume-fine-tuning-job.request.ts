import type { ResumeFineTuningJobResponse } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import type { JobCheckpointsHandlers } from './job-checkpoints.handlers.js';
import { toFineTuningJobMessage } from './job-messages.js';

export interface ResumeRequest {
  id: string;
  /** Undefined (0 on the wire): the newest checkpoint. */
  checkpoint_step: number | undefined;
}

/** ResumeFineTuningJobRequest (gRPC message, or HTTP's optional body with the path id). */
export function resumeFineTuningJobRequest(f: WireFields, id = f.str('id')): ResumeRequest {
  const step = f.num('checkpoint_step');
  return { id, checkpoint_step: step ? step : undefined };
}

export function resumeFineTuningJob(checkpoints: JobCheckpointsHandlers, req: ResumeRequest, call: CallContext): ResumeFineTuningJobResponse {
  return { fine_tuning_job: toFineTuningJobMessage(checkpoints.resume(req.id, req.checkpoint_step, call)) };
}
