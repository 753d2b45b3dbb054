import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';
import { createJobRunner } from './create-job-runner.js';
import { JOB_RUNNER } from './job-runner.js';

/** Provides the configured JobRunner under JOB_RUNNER (the supervisor injects it). */
@Module({
  providers: [{ provide: JOB_RUNNER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createJobRunner(config) }],
  exports: [JOB_RUNNER],
})
export class RunnersModule {}
