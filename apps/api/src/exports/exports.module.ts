import { Module } from '@nestjs/common';
import { ExportsHttp } from './exports.http.js';
import { ExportsGrpc } from './exports.grpc.js';
import { ExportsHandlers } from './exports.handlers.js';

@Module({
  controllers: [ExportsGrpc, ExportsHttp],
  providers: [ExportsHandlers],
  exports: [ExportsHandlers],
})
export class ExportsModule {}
