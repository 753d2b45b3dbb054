import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  ExportModelRequest,
  ExportModelResponse,
  GetModelExportRequest,
  GetModelExportResponse,
  ListModelExportsRequest,
  ListModelExportsResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';
import { messageFields } from '../platform/transport/wire-fields.js';
import { ExportsHandlers } from './exports.handlers.js';
import { ModelExportsHandlers } from './model-exports.handlers.js';
import { exportModel } from './export-model.request.js';
import { getModelExport } from './get-model-export.request.js';
import { listModelExports } from './list-model-exports.request.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class ExportsGrpc {
  constructor(
    private readonly exports: ExportsHandlers,
    private readonly modelExports: ModelExportsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ExportModel')
  exportModel(req: ExportModelRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): ExportModelResponse {
    return exportModel(this.exports, messageFields(req), callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'ListModelExports')
  listModelExports(req: ListModelExportsRequest): ListModelExportsResponse | EncodedResponse {
    return this.cache.get('ListModelExports', req, () => listModelExports(this.modelExports, req));
  }

  @GrpcMethod(SERVICE, 'GetModelExport')
  getModelExport(req: GetModelExportRequest): GetModelExportResponse {
    return getModelExport(this.modelExports, req.id ?? '');
  }
}
