import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  AddModelRequest,
  AddModelResponse,
  GetModelRequest,
  GetModelResponse,
  ListModelsRequest,
  ListModelsResponse,
  RemoveModelRequest,
  RemoveModelResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { messageFields } from '../platform/transport/wire-fields.js';
import { ModelsHandlers } from './models.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';
import { addModel } from './add-model.request.js';
import { getModel } from './get-model.request.js';
import { listModels } from './list-models.request.js';

const SERVICE = 'FineTuningStudio';

/** ListModels, GetModel, AddModel, RemoveModel (ExportModel belongs to the export area). */
@Controller()
export class ModelsGrpc {
  constructor(
    private readonly models: ModelsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListModels')
  list(req: ListModelsRequest): ListModelsResponse | EncodedResponse {
    return this.cache.get('ListModels', req, () => listModels(this.models, req));
  }

  @GrpcMethod(SERVICE, 'GetModel')
  get(req: GetModelRequest): GetModelResponse {
    return getModel(this.models, req.id);
  }

  @GrpcMethod(SERVICE, 'AddModel')
  add(req: AddModelRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): Promise<AddModelResponse> {
    return addModel(this.models, messageFields(req), callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'RemoveModel')
  remove(req: RemoveModelRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveModelResponse {
    this.models.remove(req.id ?? '', callFromGrpc(md, call));
    return {};
  }
}
