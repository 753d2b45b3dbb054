import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type { ExportModelRequest, ExportModelResponse } from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { ExportsHandlers } from './exports.handlers.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class ExportsGrpc {
  constructor(private readonly exports: ExportsHandlers) {}

  @GrpcMethod(SERVICE, 'ExportModel')
  exportModel(req: ExportModelRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): ExportModelResponse {
    return this.exports.exportModel(
      {
        type: req.type ?? '',
        base_model_id: req.base_model_id ?? '',
        adapter_id: req.adapter_id ?? '',
        model_name: req.model_name ?? '',
        artifact_location: req.artifact_location ?? '',
        model_description: req.model_description ?? '',
        generation_config: req.generation_config ?? '',
        cpu: req.cpu ?? 0,
        memory: req.memory ?? 0,
        gpu: req.gpu ?? 0,
        replicas: req.replicas ?? 0,
        disable_authentication: req.disable_authentication ?? false,
      },
      callFromGrpc(md, call),
    );
  }
}
