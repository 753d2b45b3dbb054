import type { Row } from '@fts/domain';
import type { StartFineTuningJobResponse } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import type { FineTuningJobsHandlers, StartFineTuningJobFields } from './fine-tuning-jobs.handlers.js';
import { toFineTuningJobMessage } from './job-messages.js';

/** StartFineTuningJobRequest (gRPC message or the JSON body of POST /api/fine-tuning-jobs) → the start's fields; PlanFineTuningJob takes the same request. */
export function startFineTuningJobRequest(f: WireFields): StartFineTuningJobFields {
  return {
    adapter_name: f.str('adapter_name'),
    base_model_id: f.str('base_model_id'),
    dataset_id: f.str('dataset_id'),
    prompt_id: f.str('prompt_id'),
    num_workers: f.num('num_workers'),
    auto_add_adapter: f.bool('auto_add_adapter'),
    num_epochs: f.num('num_epochs'),
    learning_rate: f.num('learning_rate'),
    cpu: f.num('cpu'),
    gpu: f.num('gpu'),
    memory: f.num('memory'),
    train_test_split: f.num('train_test_split'),
    model_bnb_config: f.str('model_bnb_config'),
    adapter_bnb_config: f.str('adapter_bnb_config'),
    training_arguments_config: f.str('training_arguments_config'),
    lora_config: f.str('lora_config'),
    output_dir: f.str('output_dir'),
    dataset_fraction: f.num('dataset_fraction'),
    user_script: f.str('user_script'),
    user_config_id: f.str('user_config_id'),
    user_config: f.str('user_config'),
    framework_type: f.str('framework_type'),
    axolotl_config_id: f.str('axolotl_config_id'),
    gpu_label_id: f.num('gpu_label_id'),
    runner: f.str('runner'),
    time_limit: f.str('time_limit'),
    checkpoint_every_steps: f.num('checkpoint_every_steps'),
    max_attempts: f.num('max_attempts'),
    early_stopping_metric: f.str('early_stopping_metric'),
    early_stopping_patience: f.num('early_stopping_patience'),
    early_stopping_min_delta: f.num('early_stopping_min_delta'),
  };
}

export function startFineTuningJobResponse(row: Row): StartFineTuningJobResponse {
  return { fine_tuning_job: toFineTuningJobMessage(row) };
}

export function startFineTuningJob(jobs: FineTuningJobsHandlers, f: WireFields, call: CallContext): StartFineTuningJobResponse {
  return startFineTuningJobResponse(jobs.start(startFineTuningJobRequest(f), call));
}
