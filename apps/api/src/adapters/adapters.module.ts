import { Module } from '@nestjs/common';
import { AdaptersGrpc } from './adapters.grpc.js';
import { AdaptersHandlers } from './adapters.handlers.js';

@Module({
  controllers: [AdaptersGrpc],
  providers: [AdaptersHandlers],
  exports: [AdaptersHandlers],
})
export class AdaptersModule {}
