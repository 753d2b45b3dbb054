import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { PlanEvaluationJobResponse, PlanFineTuningJobResponse, StartEvaluationJobRequest, StartFineTuningJobRequest } from '@fts/proto';
import { evaluationFieldsFromGrpc } from '../evaluation-jobs.grpc.js';
import { startFieldsFromGrpc } from '../fine-tuning-jobs.grpc.js';
import { EvaluationPlanHandlers } from './evaluation-plan.handlers.js';
import { FineTuningPlanHandlers } from './fine-tuning-plan.handlers.js';
import { toEvaluationPlanMessage, toPlanMessage } from './plan-messages.js';

@Controller()
export class PlanGrpc {
  constructor(
    private readonly plans: FineTuningPlanHandlers,
    private readonly evaluationPlans: EvaluationPlanHandlers,
  ) {}

  @GrpcMethod('FineTuningStudio', 'PlanFineTuningJob')
  async plan(req: StartFineTuningJobRequest): Promise<PlanFineTuningJobResponse> {
    return toPlanMessage(await this.plans.plan(startFieldsFromGrpc(req)));
  }

  @GrpcMethod('FineTuningStudio', 'PlanEvaluationJob')
  async planEvaluation(req: StartEvaluationJobRequest): Promise<PlanEvaluationJobResponse> {
    return toEvaluationPlanMessage(await this.evaluationPlans.plan(evaluationFieldsFromGrpc(req)));
  }
}
