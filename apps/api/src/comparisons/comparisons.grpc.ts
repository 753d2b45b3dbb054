import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  GetAdapterComparisonRequest,
  GetAdapterComparisonResponse,
  StartAdapterComparisonRequest,
  StartAdapterComparisonResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { messageFields } from '../platform/transport/wire-fields.js';
import { AdapterComparisonsHandlers } from './adapter-comparisons.handlers.js';
import { getAdapterComparison } from './get-adapter-comparison.request.js';
import { startAdapterComparison } from './start-adapter-comparison.request.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class ComparisonsGrpc {
  constructor(private readonly comparisons: AdapterComparisonsHandlers) {}

  @GrpcMethod(SERVICE, 'StartAdapterComparison')
  startAdapterComparison(req: StartAdapterComparisonRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): StartAdapterComparisonResponse {
    return startAdapterComparison(this.comparisons, messageFields(req), callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'GetAdapterComparison')
  getAdapterComparison(req: GetAdapterComparisonRequest): GetAdapterComparisonResponse {
    return getAdapterComparison(this.comparisons, req.id ?? '');
  }
}
