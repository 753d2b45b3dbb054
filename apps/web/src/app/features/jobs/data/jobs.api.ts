import { Injectable, inject } from '@angular/core';
import { Api } from '../../../core/api';
import { FineTuningJob, JobCheckpoint, MetricPoint, type Present, type Schemas } from '../../../core/models';

/** The body of POST /api/fine-tuning-jobs (and /api/jobs/plan) as the train form sends it. */
export type StartFineTuningJobRequest = Present<
  Schemas['StartFineTuningJobRequest'],
  | 'adapter_name' | 'base_model_id' | 'dataset_id' | 'prompt_id' | 'num_workers' | 'auto_add_adapter' | 'num_epochs' | 'learning_rate'
  | 'cpu' | 'gpu' | 'memory' | 'train_test_split' | 'dataset_fraction' | 'lora_config' | 'training_arguments_config'
  | 'adapter_bnb_config' | 'model_bnb_config' | 'output_dir'
> & { framework_type: 'legacy' };

@Injectable({ providedIn: 'root' })
export class JobsApi {
  private readonly api = inject(Api);
  list() { return this.api.get<{ fine_tuning_jobs: FineTuningJob[] }>('/fine-tuning-jobs').then((r) => r.fine_tuning_jobs ?? []); }
  get(id: string) { return this.api.get<{ fine_tuning_job: FineTuningJob }>(`/fine-tuning-jobs/${id}`).then((r) => r.fine_tuning_job); }
  start(req: StartFineTuningJobRequest) { return this.api.post<{ fine_tuning_job: FineTuningJob }>('/fine-tuning-jobs', req).then((r) => r.fine_tuning_job); }
  cancel(id: string) { return this.api.post<{ fine_tuning_job: FineTuningJob }>(`/fine-tuning-jobs/${id}/cancel`, {}).then((r) => r.fine_tuning_job); }
  /** With `deleteFiles`, the server also deletes the job's run folders and adapter folder that nothing else uses. */
  remove(id: string, deleteFiles = false) { return this.api.delete(`/fine-tuning-jobs/${id}`, deleteFiles ? { delete_files: 'true' } : undefined); }
  checkpoints(id: string) { return this.api.get<{ checkpoints: JobCheckpoint[] }>(`/jobs/${id}/checkpoints`).then((r) => r.checkpoints ?? []); }
  /** Runs a failed or cancelled job again from its newest checkpoint, or the one at `step`. */
  resume(id: string, step?: number) {
    return this.api.post<{ fine_tuning_job: FineTuningJob }>(`/fine-tuning-jobs/${id}/resume`, step ? { checkpoint_step: step } : {}).then((r) => r.fine_tuning_job);
  }
  metrics(id: string) { return this.api.get<{ points: MetricPoint[] }>(`/jobs/${id}/metrics`).then((r) => r.points ?? []); }
  logs(id: string, tail = 200) { return this.api.get<{ lines: string[] }>(`/jobs/${id}/logs`, { tail_lines: tail }).then((r) => r.lines ?? []); }
}
