import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SettingsHandlers } from './settings.handlers.js';

@ApiTags('settings')
@Controller('api')
export class SettingsHttp {
  constructor(private readonly settings: SettingsHandlers) {}

  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('settings')
  get() {
    return this.settings.settings();
  }
}
