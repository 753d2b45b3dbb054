import { Module } from '@nestjs/common';
import { ExportsGrpc } from './exports.grpc.js';
import { ExportsHandlers } from './exports.handlers.js';

@Module({
  controllers: [ExportsGrpc],
  providers: [ExportsHandlers],
  exports: [ExportsHandlers],
})
export class ExportsModule {}
