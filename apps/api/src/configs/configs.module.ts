import { Module } from '@nestjs/common';
import { ConfigsHttp } from './configs.http.js';
import { ConfigsGrpc } from './configs.grpc.js';
import { ConfigsHandlers } from './configs.handlers.js';

@Module({
  controllers: [ConfigsGrpc, ConfigsHttp],
  providers: [ConfigsHandlers],
  exports: [ConfigsHandlers],
})
export class ConfigsModule {}
