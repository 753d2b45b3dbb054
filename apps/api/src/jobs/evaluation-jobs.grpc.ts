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
import type { StartEvaluationJob } from '@fts/domain';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { EvaluationJobsHandlers } from './evaluation-jobs.handlers.js';
import { toEvaluationJobMessage } from './job-messages.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class EvaluationJobsGrpc {
  constructor(
    private readonly jobs: EvaluationJobsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListEvaluationJobs')
  list(req: ListEvaluationJobsRequest): ListEvaluationJobsResponse | EncodedResponse {
    return this.cache.get('ListEvaluationJobs', req, (): ListEvaluationJobsResponse => {
      const page = this.jobs.list(req);
      return { evaluation_jobs: page.rows.map(toEvaluationJobMessage), next_page_token: page.next_page_token };
    });
  }

  @GrpcMethod(SERVICE, 'GetEvaluationJob')
  get(req: GetEvaluationJobRequest): GetEvaluationJobResponse {
    return { evaluation_job: toEvaluationJobMessage(this.jobs.get(req.id)) };
  }

  /** The request's type, comparison_adapter_id, job_id and run_number are computed by the server, never read. */
  @GrpcMethod(SERVICE, 'StartEvaluationJob')
  start(req: StartEvaluationJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): StartEvaluationJobResponse {
    const rows = this.jobs.start(evaluationFieldsFromGrpc(req), callFromGrpc(md, call));
    const jobs = rows.map(toEvaluationJobMessage);
    return { evaluation_job: jobs[jobs.length - 1], evaluation_jobs: jobs };
  }

  @GrpcMethod(SERVICE, 'RemoveEvaluationJob')
  remove(req: RemoveEvaluationJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveEvaluationJobResponse {
    this.jobs.remove(req.id, callFromGrpc(md, call));
    return {};
  }
}

/** StartEvaluationJobRequest → the start's fields (PlanEvaluationJob takes the same request). */
export function evaluationFieldsFromGrpc(req: StartEvaluationJobRequest): StartEvaluationJob {
  return {
    model_adapter_combinations: (req.model_adapter_combinations ?? []).map((c) => ({
      base_model_id: c?.base_model_id ?? '',
      adapter_id: c?.adapter_id ?? '',
    })),
    dataset_id: req.dataset_id ?? '',
    prompt_id: req.prompt_id ?? '',
    cpu: req.cpu ?? 0,
    gpu: req.gpu ?? 0,
    memory: req.memory ?? 0,
    model_bnb_config: req.model_bnb_config ?? '',
    adapter_bnb_config: req.adapter_bnb_config ?? '',
    generation_config: req.generation_config ?? '',
    gpu_label_id: req.gpu_label_id ?? 0,
    selected_features: req.selected_features ?? [],
    eval_dataset_fraction: req.eval_dataset_fraction ?? 0,
    runner: req.runner ?? '',
    time_limit: req.time_limit ?? '',
  };
}
