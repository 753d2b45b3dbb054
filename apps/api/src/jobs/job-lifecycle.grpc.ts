import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type { Observable } from 'rxjs';
import type {
  CancelEvaluationJobRequest,
  CancelEvaluationJobResponse,
  CancelFineTuningJobRequest,
  CancelFineTuningJobResponse,
  GetJobLogsRequest,
  GetJobMetricsRequest,
  GetJobMetricsResponse,
  JobLogChunk,
  JobUpdate,
  ListJobCheckpointsRequest,
  ListJobCheckpointsResponse,
  ResumeFineTuningJobRequest,
  ResumeFineTuningJobResponse,
  WatchJobRequest,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { grpcDemand, type GrpcStreamCall } from '../platform/transport/flow.js';
import { messageFields } from '../platform/transport/wire-fields.js';
import { JobCancelHandlers } from './job-cancel.handlers.js';
import { JobCheckpointsHandlers } from './job-checkpoints.handlers.js';
import { JobLogsHandlers } from './job-logs.handlers.js';
import { JobWatchHandlers } from './job-watch.handlers.js';
import { cancelEvaluationJob } from './cancel-evaluation-job.request.js';
import { cancelFineTuningJob } from './cancel-fine-tuning-job.request.js';
import { getJobLogsRequest } from './get-job-logs.request.js';
import { getJobMetrics } from './get-job-metrics.request.js';
import { listJobCheckpoints } from './list-job-checkpoints.request.js';
import { resumeFineTuningJob, resumeFineTuningJobRequest } from './resume-fine-tuning-job.request.js';

const SERVICE = 'FineTuningStudio';

/** What users do with a job once it exists: cancel, resume, watch, read its metrics, checkpoints and logs. */
@Controller()
export class JobLifecycleGrpc {
  constructor(
    private readonly cancels: JobCancelHandlers,
    private readonly watches: JobWatchHandlers,
    private readonly logs: JobLogsHandlers,
    private readonly checkpoints: JobCheckpointsHandlers,
  ) {}

  @GrpcMethod(SERVICE, 'CancelFineTuningJob')
  cancelFineTuningJob(req: CancelFineTuningJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): CancelFineTuningJobResponse {
    return cancelFineTuningJob(this.cancels, req.id ?? '', callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'CancelEvaluationJob')
  cancelEvaluationJob(req: CancelEvaluationJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): CancelEvaluationJobResponse {
    return cancelEvaluationJob(this.cancels, req.id ?? '', callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'WatchJob')
  watchJob(req: WatchJobRequest, _md: Metadata, call: GrpcStreamCall): Observable<JobUpdate> {
    return this.watches.watch(req.job_id ?? '', grpcDemand(call));
  }

  @GrpcMethod(SERVICE, 'GetJobMetrics')
  getJobMetrics(req: GetJobMetricsRequest): GetJobMetricsResponse {
    return getJobMetrics(this.watches, req.job_id ?? '');
  }

  @GrpcMethod(SERVICE, 'ListJobCheckpoints')
  listJobCheckpoints(req: ListJobCheckpointsRequest): ListJobCheckpointsResponse {
    return listJobCheckpoints(this.checkpoints, req.job_id ?? '');
  }

  @GrpcMethod(SERVICE, 'ResumeFineTuningJob')
  resumeFineTuningJob(req: ResumeFineTuningJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): ResumeFineTuningJobResponse {
    return resumeFineTuningJob(this.checkpoints, resumeFineTuningJobRequest(messageFields(req)), callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'GetJobLogs')
  getJobLogs(req: GetJobLogsRequest, _md: Metadata, call: GrpcStreamCall): Observable<JobLogChunk> {
    return this.logs.logs(getJobLogsRequest(messageFields(req)), grpcDemand(call));
  }
}
