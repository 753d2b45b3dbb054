import type { Row, StartEvaluationJob } from '@fts/domain';
import type { StartEvaluationJobResponse } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import type { EvaluationJobsHandlers } from './evaluation-jobs.handlers.js';
import { toEvaluationJobMessage } from './job-messages.js';

/**
 * StartEvaluationJobRequest (gRPC message or the JSON body of POST /api/evaluation-jobs) → the start's fields;
 * PlanEvaluationJob takes the same request. Its type, comparison_adapter_id, job_id and run_number are computed
 * by the server, never read.
 */
export function startEvaluationJobRequest(f: WireFields): StartEvaluationJob {
  return {
    model_adapter_combinations: f.objects('model_adapter_combinations').map((c) => ({
      base_model_id: c.str('base_model_id'),
      adapter_id: c.str('adapter_id'),
    })),
    dataset_id: f.str('dataset_id'),
    prompt_id: f.str('prompt_id'),
    cpu: f.num('cpu'),
    gpu: f.num('gpu'),
    memory: f.num('memory'),
    model_bnb_config: f.str('model_bnb_config'),
    adapter_bnb_config: f.str('adapter_bnb_config'),
    generation_config: f.str('generation_config'),
    gpu_label_id: f.num('gpu_label_id'),
    selected_features: f.strList('selected_features'),
    eval_dataset_fraction: f.num('eval_dataset_fraction'),
    runner: f.str('runner'),
    time_limit: f.str('time_limit'),
  };
}

/** One job per model/adapter combination; `evaluation_job` is the last of them. */
export function startEvaluationJobResponse(rows: Row[]): StartEvaluationJobResponse {
  const jobs = rows.map(toEvaluationJobMessage);
  return { evaluation_job: jobs[jobs.length - 1], evaluation_jobs: jobs };
}

export function startEvaluationJob(jobs: EvaluationJobsHandlers, f: WireFields, call: CallContext): StartEvaluationJobResponse {
  return startEvaluationJobResponse(jobs.start(startEvaluationJobRequest(f), call));
}
