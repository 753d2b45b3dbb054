import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type { Observable } from 'rxjs';
import type {
  CancelEvaluationJobRequest,
  CancelEvaluationJobResponse,
  CancelFineTuningJobRequest,
  CancelFineTuningJobResponse,
  GetAdapterComparisonRequest,
  GetAdapterComparisonResponse,
  GetEvaluationResultsRequest,
  GetEvaluationResultsResponse,
  GetJobLogsRequest,
  GetJobMetricsRequest,
  ListJobCheckpointsRequest,
  ListJobCheckpointsResponse,
  ResumeFineTuningJobRequest,
  ResumeFineTuningJobResponse,
  GetJobMetricsResponse,
  GetModelExportRequest,
  GetModelExportResponse,
  JobLogChunk,
  JobUpdate,
  ListModelExportsRequest,
  ListModelExportsResponse,
  StartAdapterComparisonRequest,
  StartAdapterComparisonResponse,
  WatchJobRequest,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { grpcDemand, type GrpcStreamCall } from '../platform/transport/flow.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';
import { toEvaluationJobMessage, toFineTuningJobMessage } from '../jobs/job-messages.js';
import { JobCancelHandlers } from './job-cancel.handlers.js';
import { JobCheckpointsHandlers } from './job-checkpoints.handlers.js';
import { JobWatchHandlers } from './job-watch.handlers.js';
import { JobLogsHandlers } from './job-logs.handlers.js';
import { EvaluationResultsHandlers } from './evaluation-results.handlers.js';
import { AdapterComparisonsHandlers } from './adapter-comparisons.handlers.js';
import { ModelExportsHandlers } from './model-exports.handlers.js';
import { toModelExportMessage } from './job-views.messages.js';

const SERVICE = 'FineTuningStudio';

/** The job lifecycle RPCs: cancel, watch, metrics, logs, evaluation results, adapter comparisons, model exports. */
@Controller()
export class JobViewsGrpc {
  constructor(
    private readonly cancels: JobCancelHandlers,
    private readonly watches: JobWatchHandlers,
    private readonly logs: JobLogsHandlers,
    private readonly evaluations: EvaluationResultsHandlers,
    private readonly comparisons: AdapterComparisonsHandlers,
    private readonly exports: ModelExportsHandlers,
    private readonly cache: ListResponseCache,
    private readonly checkpoints: JobCheckpointsHandlers,
  ) {}

  @GrpcMethod(SERVICE, 'CancelFineTuningJob')
  cancelFineTuningJob(req: CancelFineTuningJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): CancelFineTuningJobResponse {
    return { fine_tuning_job: toFineTuningJobMessage(this.cancels.cancelFineTuningJob(req.id ?? '', callFromGrpc(md, call))) };
  }

  @GrpcMethod(SERVICE, 'CancelEvaluationJob')
  cancelEvaluationJob(req: CancelEvaluationJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): CancelEvaluationJobResponse {
    return { evaluation_job: toEvaluationJobMessage(this.cancels.cancelEvaluationJob(req.id ?? '', callFromGrpc(md, call))) };
  }

  @GrpcMethod(SERVICE, 'WatchJob')
  watchJob(req: WatchJobRequest, _md: Metadata, call: GrpcStreamCall): Observable<JobUpdate> {
    return this.watches.watch(req.job_id ?? '', grpcDemand(call));
  }

  @GrpcMethod(SERVICE, 'GetJobMetrics')
  getJobMetrics(req: GetJobMetricsRequest): GetJobMetricsResponse {
    return { points: this.watches.metrics(req.job_id ?? '') };
  }

  @GrpcMethod(SERVICE, 'ListJobCheckpoints')
  listJobCheckpoints(req: ListJobCheckpointsRequest): ListJobCheckpointsResponse {
    return { checkpoints: this.checkpoints.list(req.job_id ?? '') };
  }

  @GrpcMethod(SERVICE, 'ResumeFineTuningJob')
  resumeFineTuningJob(req: ResumeFineTuningJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): ResumeFineTuningJobResponse {
    const step = req.checkpoint_step ? req.checkpoint_step : undefined;
    return { fine_tuning_job: toFineTuningJobMessage(this.checkpoints.resume(req.id ?? '', step, callFromGrpc(md, call))) };
  }

  @GrpcMethod(SERVICE, 'GetJobLogs')
  getJobLogs(req: GetJobLogsRequest, _md: Metadata, call: GrpcStreamCall): Observable<JobLogChunk> {
    return this.logs.logs({ job_id: req.job_id ?? '', tail_lines: req.tail_lines ?? 0, follow: req.follow ?? false }, grpcDemand(call));
  }

  @GrpcMethod(SERVICE, 'GetEvaluationResults')
  async getEvaluationResults(req: GetEvaluationResultsRequest): Promise<GetEvaluationResultsResponse> {
    return { runs: await this.evaluations.results(req.id ?? '') };
  }

  @GrpcMethod(SERVICE, 'StartAdapterComparison')
  startAdapterComparison(req: StartAdapterComparisonRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): StartAdapterComparisonResponse {
    const comparison = this.comparisons.start(
      {
        base_model_id: req.base_model_id ?? '',
        adapter_ids: req.adapter_ids ?? [],
        input_text: req.input_text ?? '',
        generation_config: req.generation_config ?? '',
        cpu: req.cpu ?? 0,
        gpu: req.gpu ?? 0,
        memory: req.memory ?? 0,
        gpu_label_id: req.gpu_label_id ?? 0,
      },
      callFromGrpc(md, call),
    );
    return { comparison };
  }

  @GrpcMethod(SERVICE, 'GetAdapterComparison')
  getAdapterComparison(req: GetAdapterComparisonRequest): GetAdapterComparisonResponse {
    return { comparison: this.comparisons.get(req.id ?? '') };
  }

  @GrpcMethod(SERVICE, 'ListModelExports')
  listModelExports(req: ListModelExportsRequest): ListModelExportsResponse | EncodedResponse {
    return this.cache.get('ListModelExports', req, (): ListModelExportsResponse => {
      const page = this.exports.list(req);
      return { exports: page.rows.map(toModelExportMessage), next_page_token: page.next_page_token };
    });
  }

  @GrpcMethod(SERVICE, 'GetModelExport')
  getModelExport(req: GetModelExportRequest): GetModelExportResponse {
    return { export: toModelExportMessage(this.exports.get(req.id ?? '')) };
  }
}
