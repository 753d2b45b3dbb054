import fs from 'node:fs';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import {
  planFineTuning,
  shapeFromConfig,
  shapeFromName,
  startFineTuningJob,
  type FineTuningPlan,
  type Known,
  type ModelShape,
  type ModelRow,
} from '@fts/domain';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import type { CatalogReader } from '@fts/domain';
import { CATALOG_READER } from '../../platform/platform.tokens.js';
import { ProjectPaths } from '../../platform/paths/project-paths.js';
import { FineTuningJobsHandlers, type StartFineTuningJobFields } from '../fine-tuning-jobs.handlers.js';
import { findModelFile, readSmallFile } from './model-files.js';
import { readPlanSplits } from './plan-dataset.js';
import { recordedThroughput } from './plan-throughput.js';
import { resolveTokenizer, type TokenizerSources } from './plan-tokenizer.js';

/**
 * PlanFineTuningJob: the start's own validation (the decider runs on the
 * current catalog; its events are dropped, so nothing is written), then the
 * plan over the dataset file, the model's tokenizer and config, and the
 * throughput earlier jobs recorded.
 */
@Injectable()
export class FineTuningPlanHandlers {
  private readonly tokenizers: TokenizerSources;

  constructor(
    private readonly jobs: FineTuningJobsHandlers,
    @Inject(CATALOG_READER) private readonly reader: CatalogReader,
    private readonly paths: ProjectPaths,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.tokenizers = {
      paths,
      cacheDir: path.join(config.stateDir, 'tokenizers'),
      hfEndpoint: config.hfEndpoint,
      hfToken: config.hfToken,
      timeoutMs: config.hfTimeoutMs,
      hubCacheDir: config.hfHubCacheDir,
    };
  }

  async plan(req: StartFineTuningJobFields): Promise<FineTuningPlan> {
    const cmd = this.jobs.command(req);
    const job = startFineTuningJob(cmd, { read: this.reader, now: new Date().toISOString(), newId: () => 'plan' }).result;
    // The decider accepted the request, so the job's base model and dataset exist.
    const model = this.reader.get('models', job.base_model_id ?? '')!;
    const dataset = this.reader.get('datasets', job.dataset_id ?? '')!;
    const promptRow = job.prompt_id ? this.reader.get('prompts', job.prompt_id) : undefined;
    const [splits, tokenizer] = await Promise.all([readPlanSplits(this.paths, dataset), resolveTokenizer(model, this.tokenizers)]);
    return planFineTuning({
      job,
      prompt: promptRow
        ? {
            type: promptRow.type ?? '',
            prompt_template: promptRow.prompt_template ?? '',
            input_template: promptRow.input_template ?? '',
            completion_template: promptRow.completion_template ?? '',
          }
        : null,
      splits,
      shape: this.modelShape(model),
      tokenizer,
      throughput: recordedThroughput(this.reader, job.base_model_id ?? '', job.num_gpu ?? 0, job.gpu_label_id ?? 0),
    });
  }

  /** config.json from the model folder, the HF cache or the plan's Hub cache; else a common size in the name. */
  private modelShape(model: ModelRow): Known<{ shape: ModelShape }> {
    const repo = typeof model.huggingface_model_name === 'string' ? model.huggingface_model_name : '';
    const fetched = repo ? path.join(this.tokenizers.cacheDir, ...repo.split('/'), 'config.json') : '';
    const found = findModelFile(this.paths, model, 'config.json', this.config.hfHubCacheDir) ?? (fetched && fs.existsSync(fetched) ? { absPath: fetched, from: 'the Hub' } : undefined);
    if (found) {
      try {
        const shape = shapeFromConfig(JSON.parse(readSmallFile(found.absPath)) as Record<string, unknown>, `config.json from ${found.from}`);
        if (shape) return { known: true, shape };
      } catch {
        // fall through to the name
      }
    }
    const named = shapeFromName(repo || (model.name ?? ''));
    if (named) return { known: true, shape: named };
    return { known: false, reason: `the model's config.json is not in its folder or the Hugging Face cache, and its name gives no size` };
  }
}
