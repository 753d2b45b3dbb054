import { Injectable, inject } from '@angular/core';
import { Api } from '../../../core/api';
import { Config, EvalRun, EvaluationJob, type Present, type Schemas } from '../../../core/models';
import { Combo } from './combos';

/** The body of POST /api/evaluation-jobs (and /api/jobs/plan-evaluation) as the evaluation form sends it. */
export type StartEvaluationRequest = Present<
  Schemas['StartEvaluationJobRequest'],
  'model_adapter_combinations' | 'dataset_id' | 'prompt_id' | 'cpu' | 'gpu' | 'memory' | 'generation_config' | 'selected_features' | 'eval_dataset_fraction'
> & { type: 'mlflow'; model_adapter_combinations: Combo[] };

@Injectable({ providedIn: 'root' })
export class EvaluationApi {
  private readonly api = inject(Api);
  list() { return this.api.get<{ evaluation_jobs: EvaluationJob[] }>('/evaluation-jobs').then((r) => r.evaluation_jobs ?? []); }
  start(req: StartEvaluationRequest) { return this.api.post<{ evaluation_job: EvaluationJob; evaluation_jobs: EvaluationJob[] }>('/evaluation-jobs', req); }
  cancel(id: string) { return this.api.post(`/evaluation-jobs/${id}/cancel`, {}); }
  remove(id: string) { return this.api.delete(`/evaluation-jobs/${id}`); }
  logTail(id: string, lines = 12) { return this.api.get<{ lines: string[] }>(`/jobs/${id}/logs`, { tail_lines: lines }).then((r) => r.lines ?? []); }
  results(id: string) { return this.api.get<{ runs: EvalRun[] }>(`/evaluation-results/${id}`).then((r) => r.runs ?? []); }
}

/** The default generation config text (falls back to the original's defaults). */
export async function defaultGenerationConfig(api: Api): Promise<string> {
  try {
    // The first page only (the defaults are written first): not every generation config of a large project.
    const cs = (await api.get<{ configs: Config[] }>('/configs', { type: 'generation_config', page_size: 100 })).configs ?? [];
    const c = cs.find((x) => x.is_default) ?? cs[0];
    if (c?.config) return JSON.stringify(JSON.parse(c.config), null, 2);
  } catch { /* use the built-in default */ }
  return JSON.stringify({ do_sample: true, temperature: 0.8, max_new_tokens: 60, top_p: 1, top_k: 50, num_beams: 1, repetition_penalty: 1.1 }, null, 2);
}
