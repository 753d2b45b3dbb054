import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { PlanFineTuningJobResponse, StartFineTuningJobRequest } from '@fts/proto';
import { startFieldsFromGrpc } from '../fine-tuning-jobs.grpc.js';
import { FineTuningPlanHandlers } from './fine-tuning-plan.handlers.js';
import { toPlanMessage } from './plan-messages.js';

@Controller()
export class PlanGrpc {
  constructor(private readonly plans: FineTuningPlanHandlers) {}

  @GrpcMethod('FineTuningStudio', 'PlanFineTuningJob')
  async plan(req: StartFineTuningJobRequest): Promise<PlanFineTuningJobResponse> {
    return toPlanMessage(await this.plans.plan(startFieldsFromGrpc(req)));
  }
}
