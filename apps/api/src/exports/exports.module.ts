import { Module } from '@nestjs/common';
import { ExportsHttp } from './exports.http.js';
import { ExportsGrpc } from './exports.grpc.js';
import { ExportsHandlers } from './exports.handlers.js';
import { ModelExportsHandlers } from './model-exports.handlers.js';

/** Model exports: ExportModel records the request (`queued`); ListModelExports / GetModelExport read how far each got. */
@Module({
  controllers: [ExportsGrpc, ExportsHttp],
  providers: [ExportsHandlers, ModelExportsHandlers],
  exports: [ExportsHandlers, ModelExportsHandlers],
})
export class ExportsModule {}
