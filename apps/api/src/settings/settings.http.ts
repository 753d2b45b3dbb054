import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { SettingsHandlers } from './settings.handlers.js';
import { StorageHealth } from '../platform/database/storage-health.js';

@ApiTags('settings')
@Controller('api')
export class SettingsHttp {
  constructor(
    private readonly settings: SettingsHandlers,
    private readonly storage: StorageHealth,
  ) {}

  /** `ok`, or `degraded` with the reason (the database's disk is full or nearly so). */
  @Get('health')
  @ApiContract({ ok: 'Health' })
  health() {
    const storage = this.storage.status();
    return storage.status === 'ok' ? { status: 'ok' } : { status: 'degraded', reason: storage.reason, free_bytes: storage.free_bytes };
  }

  @Get('settings')
  @ApiContract({ ok: 'Settings' })
  get() {
    return this.settings.settings();
  }
}
