import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  AddConfigRequest,
  AddConfigResponse,
  ConfigMetadata,
  GetConfigRequest,
  GetConfigResponse,
  ListConfigsRequest,
  ListConfigsResponse,
  RemoveConfigRequest,
  RemoveConfigResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { toMessage } from '../platform/transport/to-message.js';
import { ConfigsHandlers } from './configs.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class ConfigsGrpc {
  constructor(
    private readonly configs: ConfigsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListConfigs')
  list(req: ListConfigsRequest): ListConfigsResponse | EncodedResponse {
    return this.cache.get('ListConfigs', req, (): ListConfigsResponse => {
      const page = this.configs.list(
        { type: req.type, model_id: req.model_id, adapter_id: req.adapter_id, fine_tuning_job_id: req.fine_tuning_job_id },
        req,
      );
      return { configs: page.rows.map((r) => toMessage<ConfigMetadata>(r)), next_page_token: page.next_page_token };
    });
  }

  @GrpcMethod(SERVICE, 'GetConfig')
  get(req: GetConfigRequest): GetConfigResponse {
    return { config: toMessage<ConfigMetadata>(this.configs.get(req.id)) };
  }

  @GrpcMethod(SERVICE, 'AddConfig')
  add(req: AddConfigRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): AddConfigResponse {
    const row = this.configs.add({ type: req.type, config: req.config, description: req.description }, callFromGrpc(md, call));
    return { config: toMessage<ConfigMetadata>(row) };
  }

  @GrpcMethod(SERVICE, 'RemoveConfig')
  remove(req: RemoveConfigRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveConfigResponse {
    this.configs.remove(req.id, callFromGrpc(md, call));
    return {};
  }
}
