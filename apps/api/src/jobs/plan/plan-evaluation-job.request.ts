import type { PlanEvaluationJobResponse } from '@fts/proto';
import type { WireFields } from '../../platform/transport/wire-fields.js';
import { startEvaluationJobRequest } from '../start-evaluation-job.request.js';
import type { EvaluationPlanHandlers } from './evaluation-plan.handlers.js';
import { toEvaluationPlanMessage } from './plan-messages.js';

/** PlanEvaluationJob: the request of StartEvaluationJob, answered with what each run would do; nothing is started. */
export async function planEvaluationJob(plans: EvaluationPlanHandlers, f: WireFields): Promise<PlanEvaluationJobResponse> {
  return toEvaluationPlanMessage(await plans.plan(startEvaluationJobRequest(f)));
}
