import { Module } from '@nestjs/common';
import { AdaptersModule } from '../adapters/adapters.module.js';
import { RunnersModule } from '../runners/runners.module.js';
import { JobSupervisor } from './job-supervisor.js';

/** Runs queued jobs on the configured runner and keeps their state true to what the runner reports. */
@Module({
  imports: [RunnersModule, AdaptersModule],
  providers: [JobSupervisor],
  exports: [JobSupervisor],
})
export class SupervisorModule {}
