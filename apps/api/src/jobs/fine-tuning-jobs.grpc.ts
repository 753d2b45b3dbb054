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
import { FineTuningJobsHandlers, type StartFineTuningJobFields } from './fine-tuning-jobs.handlers.js';
import { toFineTuningJobMessage } from './job-messages.js';
import { filesReport } from '../platform/paths/delete-folders.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class FineTuningJobsGrpc {
  constructor(
    private readonly jobs: FineTuningJobsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListFineTuningJobs')
  list(req: ListFineTuningJobsRequest): ListFineTuningJobsResponse | EncodedResponse {
    return this.cache.get('ListFineTuningJobs', req, (): ListFineTuningJobsResponse => {
      const page = this.jobs.list(req);
      return { fine_tuning_jobs: page.rows.map(toFineTuningJobMessage), next_page_token: page.next_page_token };
    });
  }

  @GrpcMethod(SERVICE, 'GetFineTuningJob')
  get(req: GetFineTuningJobRequest): GetFineTuningJobResponse {
    return { fine_tuning_job: toFineTuningJobMessage(this.jobs.get(req.id)) };
  }

  @GrpcMethod(SERVICE, 'StartFineTuningJob')
  start(req: StartFineTuningJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): StartFineTuningJobResponse {
    const row = this.jobs.start(startFieldsFromGrpc(req), callFromGrpc(md, call));
    return { fine_tuning_job: toFineTuningJobMessage(row) };
  }

  @GrpcMethod(SERVICE, 'RemoveFineTuningJob')
  remove(req: RemoveFineTuningJobRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemoveFineTuningJobResponse {
    const files = this.jobs.remove(req.id, callFromGrpc(md, call), !!req.delete_files);
    return filesReport(files);
  }
}

/** StartFineTuningJobRequest → the start's fields (PlanFineTuningJob takes the same request). */
export function startFieldsFromGrpc(req: StartFineTuningJobRequest): StartFineTuningJobFields {
  return {
    adapter_name: req.adapter_name ?? '',
    base_model_id: req.base_model_id ?? '',
    dataset_id: req.dataset_id ?? '',
    prompt_id: req.prompt_id ?? '',
    num_workers: req.num_workers ?? 0,
    auto_add_adapter: req.auto_add_adapter ?? false,
    num_epochs: req.num_epochs ?? 0,
    learning_rate: req.learning_rate ?? 0,
    cpu: req.cpu ?? 0,
    gpu: req.gpu ?? 0,
    memory: req.memory ?? 0,
    train_test_split: req.train_test_split ?? 0,
    model_bnb_config: req.model_bnb_config ?? '',
    adapter_bnb_config: req.adapter_bnb_config ?? '',
    training_arguments_config: req.training_arguments_config ?? '',
    lora_config: req.lora_config ?? '',
    output_dir: req.output_dir ?? '',
    dataset_fraction: req.dataset_fraction ?? 0,
    user_script: req.user_script ?? '',
    user_config_id: req.user_config_id ?? '',
    user_config: req.user_config ?? '',
    framework_type: req.framework_type ?? '',
    axolotl_config_id: req.axolotl_config_id ?? '',
    gpu_label_id: req.gpu_label_id ?? 0,
    runner: req.runner ?? '',
    time_limit: req.time_limit ?? '',
    checkpoint_every_steps: req.checkpoint_every_steps ?? 0,
    max_attempts: req.max_attempts ?? 0,
    early_stopping_metric: req.early_stopping_metric ?? '',
    early_stopping_patience: req.early_stopping_patience ?? 0,
    early_stopping_min_delta: req.early_stopping_min_delta ?? 0,
  };
}
