import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  AddAdapterRequest,
  AddAdapterResponse,
  GetAdapterRequest,
  GetAdapterResponse,
  ListAdaptersRequest,
  ListAdaptersResponse,
  RemoveAdapterRequest,
  RemoveAdapterResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { messageFields } from '../platform/transport/wire-fields.js';
import { AdaptersHandlers } from './adapters.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';
import { addAdapter } from './add-adapter.request.js';
import { getAdapter } from './get-adapter.request.js';
import { listAdapters } from './list-adapters.request.js';
import { removeAdapter } from './remove-adapter.request.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class AdaptersGrpc {
  constructor(
    private readonly adapters: AdaptersHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListAdapters')
  list(req: ListAdaptersRequest): ListAdaptersResponse | EncodedResponse {
    return this.cache.get('ListAdapters', req, () => listAdapters(this.adapters, req));
  }

  @GrpcMethod(SERVICE, 'GetAdapter')
  get(req: GetAdapterRequest): GetAdapterResponse {
    return getAdapter(this.adapters, req.id);
  }

  @GrpcMethod(SERVICE, 'AddAdapter')
  add(req: AddAdapterRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): AddAdapterResponse {
    return addAdapter(this.adapters, messageFields(req), callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'RemoveAdapter')
  remove(req: RemoveAdapterRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveAdapterResponse {
    return removeAdapter(this.adapters, messageFields(req), callFromGrpc(md, call));
  }
}
