import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  AdapterMetadata,
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
import { toMessage } from '../platform/transport/to-message.js';
import { AdaptersHandlers } from './adapters.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';
import { filesReport } from '../platform/paths/delete-folders.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class AdaptersGrpc {
  constructor(
    private readonly adapters: AdaptersHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListAdapters')
  list(req: ListAdaptersRequest): ListAdaptersResponse | EncodedResponse {
    return this.cache.get('ListAdapters', req, (): ListAdaptersResponse => {
      const page = this.adapters.list(req);
      return { adapters: page.rows.map((r) => toMessage<AdapterMetadata>(r)), next_page_token: page.next_page_token };
    });
  }

  @GrpcMethod(SERVICE, 'GetAdapter')
  get(req: GetAdapterRequest): GetAdapterResponse {
    return { adapter: toMessage<AdapterMetadata>(this.adapters.get(req.id)) };
  }

  @GrpcMethod(SERVICE, 'AddAdapter')
  add(req: AddAdapterRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): AddAdapterResponse {
    const row = this.adapters.add(
      {
        type: req.type ?? '',
        name: req.name ?? '',
        model_id: req.model_id ?? '',
        location: req.location ?? '',
        huggingface_name: req.huggingface_name ?? '',
        fine_tuning_job_id: req.fine_tuning_job_id ?? '',
        prompt_id: req.prompt_id ?? '',
      },
      callFromGrpc(md, call),
    );
    return { adapter: toMessage<AdapterMetadata>(row) };
  }

  @GrpcMethod(SERVICE, 'RemoveAdapter')
  remove(req: RemoveAdapterRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveAdapterResponse {
    return filesReport(this.adapters.remove(req.id ?? '', callFromGrpc(md, call), !!req.delete_files));
  }
}
