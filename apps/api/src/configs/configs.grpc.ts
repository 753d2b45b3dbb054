import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  AddConfigRequest,
  AddConfigResponse,
  GetConfigRequest,
  GetConfigResponse,
  ListConfigsRequest,
  ListConfigsResponse,
  RemoveConfigRequest,
  RemoveConfigResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { messageFields } from '../platform/transport/wire-fields.js';
import { ConfigsHandlers } from './configs.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';
import { addConfig } from './add-config.request.js';
import { getConfig } from './get-config.request.js';
import { listConfigs } from './list-configs.request.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class ConfigsGrpc {
  constructor(
    private readonly configs: ConfigsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListConfigs')
  list(req: ListConfigsRequest): ListConfigsResponse | EncodedResponse {
    return this.cache.get('ListConfigs', req, () => listConfigs(this.configs, messageFields(req), req));
  }

  @GrpcMethod(SERVICE, 'GetConfig')
  get(req: GetConfigRequest): GetConfigResponse {
    return getConfig(this.configs, req.id);
  }

  @GrpcMethod(SERVICE, 'AddConfig')
  add(req: AddConfigRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): AddConfigResponse {
    return addConfig(this.configs, messageFields(req), callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'RemoveConfig')
  remove(req: RemoveConfigRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveConfigResponse {
    this.configs.remove(req.id, callFromGrpc(md, call));
    return {};
  }
}
