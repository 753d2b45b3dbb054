import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  GetEvaluationJobRequest,
  GetEvaluationJobResponse,
  ListEvaluationJobsRequest,
  ListEvaluationJobsResponse,
  RemoveEvaluationJobRequest,
  RemoveEvaluationJobResponse,
  StartEvaluationJobRequest,
  StartEvaluationJobResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { messageFields } from '../platform/transport/wire-fields.js';
import { EvaluationJobsHandlers } from './evaluation-jobs.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';
import { getEvaluationJob } from './get-evaluation-job.request.js';
import { listEvaluationJobs } from './list-evaluation-jobs.request.js';
import { startEvaluationJob } from './start-evaluation-job.request.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class EvaluationJobsGrpc {
  constructor(
    private readonly jobs: EvaluationJobsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListEvaluationJobs')
  list(req: ListEvaluationJobsRequest): ListEvaluationJobsResponse | EncodedResponse {
    return this.cache.get('ListEvaluationJobs', req, () => listEvaluationJobs(this.jobs, req));
  }

  @GrpcMethod(SERVICE, 'GetEvaluationJob')
  get(req: GetEvaluationJobRequest): GetEvaluationJobResponse {
    return getEvaluationJob(this.jobs, req.id);
  }

  @GrpcMethod(SERVICE, 'StartEvaluationJob')
  start(req: StartEvaluationJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): StartEvaluationJobResponse {
    return startEvaluationJob(this.jobs, messageFields(req), callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'RemoveEvaluationJob')
  remove(req: RemoveEvaluationJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveEvaluationJobResponse {
    this.jobs.remove(req.id, callFromGrpc(md, call));
    return {};
  }
}
