import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { PlanEvaluationJobResponse, PlanFineTuningJobResponse, StartEvaluationJobRequest, StartFineTuningJobRequest } from '@fts/proto';
import { messageFields } from '../../platform/transport/wire-fields.js';
import { EvaluationPlanHandlers } from './evaluation-plan.handlers.js';
import { FineTuningPlanHandlers } from './fine-tuning-plan.handlers.js';
import { planEvaluationJob } from './plan-evaluation-job.request.js';
import { planFineTuningJob } from './plan-fine-tuning-job.request.js';

@Controller()
export class PlanGrpc {
  constructor(
    private readonly plans: FineTuningPlanHandlers,
    private readonly evaluationPlans: EvaluationPlanHandlers,
  ) {}

  @GrpcMethod('FineTuningStudio', 'PlanFineTuningJob')
  plan(req: StartFineTuningJobRequest): Promise<PlanFineTuningJobResponse> {
    return planFineTuningJob(this.plans, messageFields(req));
  }

  @GrpcMethod('FineTuningStudio', 'PlanEvaluationJob')
  planEvaluation(req: StartEvaluationJobRequest): Promise<PlanEvaluationJobResponse> {
    return planEvaluationJob(this.evaluationPlans, messageFields(req));
  }
}
