import { Module } from '@nestjs/common';
import { ConfigsGrpc } from './configs.grpc.js';
import { ConfigsHandlers } from './configs.handlers.js';

@Module({
  controllers: [ConfigsGrpc],
  providers: [ConfigsHandlers],
  exports: [ConfigsHandlers],
})
export class ConfigsModule {}
