import { Module } from '@nestjs/common';
import { RunnersModule } from '../runners/runners.module.js';
import { SettingsHandlers } from './settings.handlers.js';
import { SettingsHttp } from './settings.http.js';

/** GET /api/settings and /api/health. */
@Module({ imports: [RunnersModule], controllers: [SettingsHttp], providers: [SettingsHandlers] })
export class SettingsModule {}
