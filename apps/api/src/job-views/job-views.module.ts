import { Module } from '@nestjs/common';
import { JobViewsHttp } from './job-views.http.js';
import { RunnersModule } from '../runners/runners.module.js';
import { JobViewsGrpc } from './job-views.grpc.js';
import { JobCancelHandlers } from './job-cancel.handlers.js';
import { JobCheckpointsHandlers } from './job-checkpoints.handlers.js';
import { JobWatchHandlers } from './job-watch.handlers.js';
import { JobLogsHandlers } from './job-logs.handlers.js';
import { EvaluationResultsHandlers } from './evaluation-results.handlers.js';
import { AdapterComparisonsHandlers } from './adapter-comparisons.handlers.js';
import { ModelExportsHandlers } from './model-exports.handlers.js';
import { CANCEL_GRACE_MS } from './job-views.tokens.js';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';

/**
 * What users do with jobs once they exist: cancel, watch, read metrics, logs
 * and results; start and read adapter comparisons; read model exports.
 * Running the work is the supervisor's (it reacts to the events these write).
 */
@Module({
  imports: [RunnersModule],
  controllers: [JobViewsGrpc, JobViewsHttp],
  providers: [
    { provide: CANCEL_GRACE_MS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => config.supervisor.cancelGraceMs },
    JobCancelHandlers,
    JobWatchHandlers,
    JobLogsHandlers,
    EvaluationResultsHandlers,
    AdapterComparisonsHandlers,
    ModelExportsHandlers,
    JobCheckpointsHandlers,
  ],
  exports: [JobCheckpointsHandlers, JobCancelHandlers, JobWatchHandlers, JobLogsHandlers, EvaluationResultsHandlers, AdapterComparisonsHandlers, ModelExportsHandlers],
})
export class JobViewsModule {}
