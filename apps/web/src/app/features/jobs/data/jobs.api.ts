import { Injectable, inject } from '@angular/core';
import { Api } from '../../../core/api';
import { FineTuningJob, JobCheckpoint, MetricPoint } from '../../../core/models';

export interface StartFineTuningJobRequest {
  adapter_name: string; base_model_id: string; dataset_id: string; prompt_id: string; num_workers: number;
  auto_add_adapter: boolean; num_epochs: number; learning_rate: number; cpu: number; gpu: number; memory: number;
  train_test_split: number; dataset_fraction: number; lora_config: string; training_arguments_config: string;
  adapter_bnb_config: string; model_bnb_config: string; output_dir: string; framework_type: 'legacy';
  checkpoint_every_steps?: number; max_attempts?: number; early_stopping_patience?: number; early_stopping_min_delta?: number;
}

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
