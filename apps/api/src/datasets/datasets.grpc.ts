import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  AddDatasetRequest,
  AddDatasetResponse,
  DatasetMetadata,
  GetDatasetRequest,
  GetDatasetResponse,
  GetDatasetSplitByAdapterRequest,
  GetDatasetSplitByAdapterResponse,
  ListDatasetsRequest,
  ListDatasetsResponse,
  RemoveDatasetRequest,
  RemoveDatasetResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { toMessage } from '../platform/transport/to-message.js';
import { DatasetsHandlers } from './datasets.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class DatasetsGrpc {
  constructor(
    private readonly datasets: DatasetsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListDatasets')
  list(req: ListDatasetsRequest): ListDatasetsResponse | EncodedResponse {
    return this.cache.get('ListDatasets', req, (): ListDatasetsResponse => {
      const page = this.datasets.list(req);
      return { datasets: page.rows.map((r) => toMessage<DatasetMetadata>(r)), next_page_token: page.next_page_token };
    });
  }

  @GrpcMethod(SERVICE, 'GetDataset')
  get(req: GetDatasetRequest): GetDatasetResponse {
    return { dataset: toMessage<DatasetMetadata>(this.datasets.get(req.id)) };
  }

  @GrpcMethod(SERVICE, 'AddDataset')
  async add(req: AddDatasetRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): Promise<AddDatasetResponse> {
    const row = await this.datasets.add(
      { type: req.type ?? '', huggingface_name: req.huggingface_name ?? '', location: req.location ?? '', name: req.name ?? '' },
      callFromGrpc(md, call),
    );
    return { dataset: toMessage<DatasetMetadata>(row) };
  }

  @GrpcMethod(SERVICE, 'RemoveDataset')
  remove(req: RemoveDatasetRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveDatasetResponse {
    this.datasets.remove({ id: req.id ?? '', remove_prompts: !!req.remove_prompts }, callFromGrpc(md, call));
    return {};
  }

  @GrpcMethod(SERVICE, 'GetDatasetSplitByAdapter')
  splitByAdapter(req: GetDatasetSplitByAdapterRequest): GetDatasetSplitByAdapterResponse {
    return { response: this.datasets.splitByAdapter(req.adapter_id ?? '') };
  }
}
