import type { PlanFineTuningJobResponse } from '@fts/proto';
import type { WireFields } from '../../platform/transport/wire-fields.js';
import { startFineTuningJobRequest } from '../start-fine-tuning-job.request.js';
import type { FineTuningPlanHandlers } from './fine-tuning-plan.handlers.js';
import { toPlanMessage } from './plan-messages.js';

/** PlanFineTuningJob: the request of StartFineTuningJob, answered with what the job would do; nothing is started. */
export async function planFineTuningJob(plans: FineTuningPlanHandlers, f: WireFields): Promise<PlanFineTuningJobResponse> {
  return toPlanMessage(await plans.plan(startFineTuningJobRequest(f)));
}
