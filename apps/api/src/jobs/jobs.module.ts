import { Module } from '@nestjs/common';
import { RunnersModule } from '../runners/runners.module.js';
import { JobsHttp } from './jobs.http.js';
import { EvaluationJobsGrpc } from './evaluation-jobs.grpc.js';
import { EvaluationJobsHandlers } from './evaluation-jobs.handlers.js';
import { FineTuningJobsGrpc } from './fine-tuning-jobs.grpc.js';
import { FineTuningJobsHandlers } from './fine-tuning-jobs.handlers.js';
import { EvaluationPlanHandlers } from './plan/evaluation-plan.handlers.js';
import { FineTuningPlanHandlers } from './plan/fine-tuning-plan.handlers.js';
import { PlanGrpc } from './plan/plan.grpc.js';
import { PlanHttp } from './plan/plan.http.js';

/** Fine-tuning and evaluation jobs: start (recorded `queued`), list, get, remove. Dispatch is the supervisor's. */
@Module({
  imports: [RunnersModule],
  controllers: [FineTuningJobsGrpc, EvaluationJobsGrpc, JobsHttp, PlanGrpc, PlanHttp],
  providers: [FineTuningJobsHandlers, EvaluationJobsHandlers, FineTuningPlanHandlers, EvaluationPlanHandlers],
  exports: [FineTuningJobsHandlers, EvaluationJobsHandlers],
})
export class JobsModule {}
