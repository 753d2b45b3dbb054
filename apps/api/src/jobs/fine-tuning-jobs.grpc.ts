import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  GetFineTuningJobRequest,
  GetFineTuningJobResponse,
  ListFineTuningJobsRequest,
  ListFineTuningJobsResponse,
  RemoveFineTuningJobRequest,
  RemoveFineTuningJobResponse,
  StartFineTuningJobRequest,
  StartFineTuningJobResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { messageFields } from '../platform/transport/wire-fields.js';
import { FineTuningJobsHandlers } from './fine-tuning-jobs.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';
import { getFineTuningJob } from './get-fine-tuning-job.request.js';
import { listFineTuningJobs } from './list-fine-tuning-jobs.request.js';
import { removeFineTuningJob } from './remove-fine-tuning-job.request.js';
import { startFineTuningJob } from './start-fine-tuning-job.request.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class FineTuningJobsGrpc {
  constructor(
    private readonly jobs: FineTuningJobsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListFineTuningJobs')
  list(req: ListFineTuningJobsRequest): ListFineTuningJobsResponse | EncodedResponse {
    return this.cache.get('ListFineTuningJobs', req, () => listFineTuningJobs(this.jobs, req));
  }

  @GrpcMethod(SERVICE, 'GetFineTuningJob')
  get(req: GetFineTuningJobRequest): GetFineTuningJobResponse {
    return getFineTuningJob(this.jobs, req.id);
  }

  @GrpcMethod(SERVICE, 'StartFineTuningJob')
  start(req: StartFineTuningJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): StartFineTuningJobResponse {
    return startFineTuningJob(this.jobs, messageFields(req), callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'RemoveFineTuningJob')
  remove(req: RemoveFineTuningJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveFineTuningJobResponse {
    return removeFineTuningJob(this.jobs, messageFields(req), callFromGrpc(md, call));
  }
}
