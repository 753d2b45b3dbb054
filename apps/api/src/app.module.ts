import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PlatformModule } from './platform/platform.module.js';
import { GrpcExceptionFilter } from './platform/errors/grpc-exception.filter.js';
import { AuthGuard } from './platform/transport/auth.guard.js';
import { PromptsModule } from './prompts/prompts.module.js';
import { EventsModule } from './events/events.module.js';

@Module({
  imports: [PlatformModule, PromptsModule, EventsModule],
  providers: [
    { provide: APP_FILTER, useClass: GrpcExceptionFilter },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AppModule {}
