import { Module } from '@nestjs/common';
import { AdaptersHttp } from './adapters.http.js';
import { AdaptersGrpc } from './adapters.grpc.js';
import { AdaptersHandlers } from './adapters.handlers.js';

@Module({
  controllers: [AdaptersGrpc, AdaptersHttp],
  providers: [AdaptersHandlers],
  exports: [AdaptersHandlers],
})
export class AdaptersModule {}
