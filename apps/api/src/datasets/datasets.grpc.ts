import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  AddDatasetRequest,
  AddDatasetResponse,
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
import { messageFields } from '../platform/transport/wire-fields.js';
import { DatasetsHandlers } from './datasets.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';
import { addDataset } from './add-dataset.request.js';
import { getDataset } from './get-dataset.request.js';
import { getDatasetSplitByAdapter } from './get-dataset-split-by-adapter.request.js';
import { listDatasets } from './list-datasets.request.js';
import { removeDatasetRequest } from './remove-dataset.request.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class DatasetsGrpc {
  constructor(
    private readonly datasets: DatasetsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListDatasets')
  list(req: ListDatasetsRequest): ListDatasetsResponse | EncodedResponse {
    return this.cache.get('ListDatasets', req, () => listDatasets(this.datasets, req));
  }

  @GrpcMethod(SERVICE, 'GetDataset')
  get(req: GetDatasetRequest): GetDatasetResponse {
    return getDataset(this.datasets, req.id);
  }

  @GrpcMethod(SERVICE, 'AddDataset')
  add(req: AddDatasetRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): Promise<AddDatasetResponse> {
    return addDataset(this.datasets, messageFields(req), callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'RemoveDataset')
  remove(req: RemoveDatasetRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveDatasetResponse {
    this.datasets.remove(removeDatasetRequest(messageFields(req)), callFromGrpc(md, call));
    return {};
  }

  @GrpcMethod(SERVICE, 'GetDatasetSplitByAdapter')
  splitByAdapter(req: GetDatasetSplitByAdapterRequest): GetDatasetSplitByAdapterResponse {
    return getDatasetSplitByAdapter(this.datasets, req.adapter_id ?? '');
  }
}
