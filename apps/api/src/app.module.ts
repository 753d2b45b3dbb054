import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { PlatformModule } from './platform/platform.module.js';
import { TransportExceptionFilter } from './http/exception.filter.js';
import { AuthSessionHttp } from './http/auth-session.http.js';
import { PromptsModule } from './prompts/prompts.module.js';
import { EventsModule } from './events/events.module.js';
import { DatasetsModule } from './datasets/datasets.module.js';
import { ModelsModule } from './models/models.module.js';
import { AdaptersModule } from './adapters/adapters.module.js';
import { DatabaseModule } from './database/database.module.js';
import { ConfigsModule } from './configs/configs.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { ExportsModule } from './exports/exports.module.js';
import { SeedModule } from './seed/seed.module.js';
import { ComparisonsModule } from './comparisons/comparisons.module.js';
import { EvaluationsModule } from './evaluations/evaluations.module.js';
import { SupervisorModule } from './supervisor/supervisor.module.js';
import { SettingsModule } from './settings/settings.module.js';

@Module({
  imports: [PlatformModule, PromptsModule, EventsModule, DatasetsModule, ModelsModule, AdaptersModule, DatabaseModule, ConfigsModule, JobsModule, ExportsModule, SeedModule, SupervisorModule, EvaluationsModule, ComparisonsModule, SettingsModule],
  controllers: [AuthSessionHttp],
  providers: [{ provide: APP_FILTER, useClass: TransportExceptionFilter }],
})
export class AppModule {}
