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
  ModelMetadata,
  RemoveModelRequest,
  RemoveModelResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { toMessage } from '../platform/transport/to-message.js';
import { ModelsHandlers } from './models.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';

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
    return this.cache.get('ListModels', req, (): ListModelsResponse => {
      const page = this.models.list(req);
      return { models: page.rows.map((r) => toMessage<ModelMetadata>(r)), next_page_token: page.next_page_token };
    });
  }

  @GrpcMethod(SERVICE, 'GetModel')
  get(req: GetModelRequest): GetModelResponse {
    return { model: toMessage<ModelMetadata>(this.models.get(req.id)) };
  }

  @GrpcMethod(SERVICE, 'AddModel')
  async add(req: AddModelRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): Promise<AddModelResponse> {
    const row = await this.models.add(
      {
        type: req.type ?? '',
        huggingface_name: req.huggingface_name ?? '',
        model_registry_id: req.model_registry_id ?? '',
        location: req.location ?? '',
        name: req.name ?? '',
      },
      callFromGrpc(md, call),
    );
    return { model: toMessage<ModelMetadata>(row) };
  }

  @GrpcMethod(SERVICE, 'RemoveModel')
  remove(req: RemoveModelRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveModelResponse {
    this.models.remove(req.id ?? '', callFromGrpc(md, call));
    return {};
  }
}
