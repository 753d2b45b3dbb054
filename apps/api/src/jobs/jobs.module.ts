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
import { JobLifecycleGrpc } from './job-lifecycle.grpc.js';
import { JobLifecycleHttp } from './job-lifecycle.http.js';
import { JobCancelHandlers } from './job-cancel.handlers.js';
import { JobCheckpointsHandlers } from './job-checkpoints.handlers.js';
import { JobLogsHandlers } from './job-logs.handlers.js';
import { JobWatchHandlers } from './job-watch.handlers.js';
import { CANCEL_GRACE_MS } from './cancel-grace.tokens.js';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';

/**
 * Fine-tuning and evaluation jobs: plan, start (recorded `queued`), list, get,
 * remove; then cancel, resume, watch, and read metrics, checkpoints and logs.
 * Running the work is the supervisor's (it reacts to the events these write).
 */
@Module({
  imports: [RunnersModule],
  controllers: [FineTuningJobsGrpc, EvaluationJobsGrpc, JobsHttp, PlanGrpc, PlanHttp, JobLifecycleGrpc, JobLifecycleHttp],
  providers: [
    FineTuningJobsHandlers,
    EvaluationJobsHandlers,
    FineTuningPlanHandlers,
    EvaluationPlanHandlers,
    { provide: CANCEL_GRACE_MS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => config.supervisor.cancelGraceMs },
    JobCancelHandlers,
    JobWatchHandlers,
    JobLogsHandlers,
    JobCheckpointsHandlers,
  ],
  exports: [FineTuningJobsHandlers, EvaluationJobsHandlers],
})
export class JobsModule {}
