import { Injectable, Inject } from '@nestjs/common';
import {
  DEFAULT_DATASET_SPLIT,
  datasetSplitByAdapter,
  planEvaluationRun,
  startEvaluationJob,
  type EvaluationRunPlan,
  type StartEvaluationJob,
} from '@fts/domain';
import type { CatalogReader } from '@fts/domain';
import { CATALOG_READER } from '../../platform/platform.tokens.js';
import { ProjectPaths } from '../../platform/paths/project-paths.js';
import { readPlanSplits } from './plan-dataset.js';

/**
 * PlanEvaluationJob: the start's validation (events dropped), then per
 * model/adapter combination the held-out rows evaluate.py would evaluate,
 * from the split the adapter was trained with (as run-specs.ts passes it).
 */
@Injectable()
export class EvaluationPlanHandlers {
  constructor(
    @Inject(CATALOG_READER) private readonly reader: CatalogReader,
    private readonly paths: ProjectPaths,
  ) {}

  async plan(cmd: StartEvaluationJob): Promise<EvaluationRunPlan[]> {
    const jobs = startEvaluationJob(cmd, { read: this.reader, now: new Date().toISOString(), newId: () => 'plan' }).result;
    const first = jobs[0];
    // The decider accepted the request, so the jobs' dataset exists.
    const dataset = this.reader.get('datasets', first.dataset_id ?? '')!;
    const promptRow = first.prompt_id ? this.reader.get('prompts', first.prompt_id) : undefined;
    const prompt = promptRow
      ? {
          type: promptRow.type ?? '',
          prompt_template: promptRow.prompt_template ?? '',
          input_template: promptRow.input_template ?? '',
          completion_template: promptRow.completion_template ?? '',
        }
      : null;
    const splits = await readPlanSplits(this.paths, dataset);
    return jobs.map((job) =>
      planEvaluationRun({
        job,
        split: job.adapter_id ? datasetSplitByAdapter(this.reader, job.adapter_id) : DEFAULT_DATASET_SPLIT,
        prompt,
        splits,
      }),
    );
  }
}
