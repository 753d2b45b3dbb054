import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { StartEvaluationJob } from '@fts/domain';
import { filesReport } from '../platform/paths/delete-folders.js';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields, pageOf, queryBool } from '../http/request-shape.js';
import { EvaluationJobsHandlers } from './evaluation-jobs.handlers.js';
import { FineTuningJobsHandlers, type StartFineTuningJobFields } from './fine-tuning-jobs.handlers.js';
import { toEvaluationJobMessage, toFineTuningJobMessage } from './job-messages.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/fine-tuning-jobs and /api/evaluation-jobs: the same handlers as the gRPC job RPCs (cancel is in job-views). */
@ApiTags('jobs')
@Controller('api')
export class JobsHttp {
  constructor(
    private readonly fineTuning: FineTuningJobsHandlers,
    private readonly evaluation: EvaluationJobsHandlers,
  ) {}

  @Get('fine-tuning-jobs')
  listFineTuning(@Query() q: Q) {
    const page = this.fineTuning.list(pageOf(q));
    return { fine_tuning_jobs: page.rows.map(toFineTuningJobMessage), next_page_token: page.next_page_token };
  }

  @Get('fine-tuning-jobs/:id')
  getFineTuning(@Param('id') id: string) {
    return { fine_tuning_job: toFineTuningJobMessage(this.fineTuning.get(id)) };
  }

  @Post('fine-tuning-jobs')
  startFineTuning(@Body() body: unknown, @Req() req: HttpRequestLike) {
    const row = this.fineTuning.start(startFieldsFromHttp(body), callFromHttp(req));
    return { fine_tuning_job: toFineTuningJobMessage(row) };
  }

  /** 200 with what `delete_files` deleted and kept (both empty without it), as RemoveFineTuningJobResponse over gRPC. */
  @Delete('fine-tuning-jobs/:id')
  removeFineTuning(@Param('id') id: string, @Query('delete_files') deleteFiles: string | string[] | undefined, @Req() req: HttpRequestLike) {
    return filesReport(this.fineTuning.remove(id, callFromHttp(req), queryBool('delete_files', deleteFiles)));
  }

  @Get('evaluation-jobs')
  listEvaluation(@Query() q: Q) {
    const page = this.evaluation.list(pageOf(q));
    return { evaluation_jobs: page.rows.map(toEvaluationJobMessage), next_page_token: page.next_page_token };
  }

  @Get('evaluation-jobs/:id')
  getEvaluation(@Param('id') id: string) {
    return { evaluation_job: toEvaluationJobMessage(this.evaluation.get(id)) };
  }

  @Post('evaluation-jobs')
  startEvaluation(@Body() body: unknown, @Req() req: HttpRequestLike) {
    const rows = this.evaluation.start(evaluationFieldsFromHttp(body), callFromHttp(req));
    const jobs = rows.map(toEvaluationJobMessage);
    return { evaluation_job: jobs[jobs.length - 1], evaluation_jobs: jobs };
  }

  @Delete('evaluation-jobs/:id')
  @HttpCode(204)
  removeEvaluation(@Param('id') id: string, @Req() req: HttpRequestLike) {
    this.evaluation.remove(id, callFromHttp(req));
  }
}

/** The JSON body of POST /api/fine-tuning-jobs → the start's fields (POST /api/jobs/plan takes the same body). */
export function startFieldsFromHttp(body: unknown): StartFineTuningJobFields {
  const b = new BodyFields(body);
  return {
    adapter_name: b.str('adapter_name'),
    base_model_id: b.str('base_model_id'),
    dataset_id: b.str('dataset_id'),
    prompt_id: b.str('prompt_id'),
    num_workers: b.num('num_workers'),
    auto_add_adapter: b.bool('auto_add_adapter'),
    num_epochs: b.num('num_epochs'),
    learning_rate: b.num('learning_rate'),
    cpu: b.num('cpu'),
    gpu: b.num('gpu'),
    memory: b.num('memory'),
    train_test_split: b.num('train_test_split'),
    model_bnb_config: b.str('model_bnb_config'),
    adapter_bnb_config: b.str('adapter_bnb_config'),
    training_arguments_config: b.str('training_arguments_config'),
    lora_config: b.str('lora_config'),
    output_dir: b.str('output_dir'),
    dataset_fraction: b.num('dataset_fraction'),
    user_script: b.str('user_script'),
    user_config_id: b.str('user_config_id'),
    user_config: b.str('user_config'),
    framework_type: b.str('framework_type'),
    axolotl_config_id: b.str('axolotl_config_id'),
    gpu_label_id: b.num('gpu_label_id'),
    runner: b.str('runner'),
    time_limit: b.str('time_limit'),
    checkpoint_every_steps: b.num('checkpoint_every_steps'),
    max_attempts: b.num('max_attempts'),
    early_stopping_metric: b.str('early_stopping_metric'),
    early_stopping_patience: b.num('early_stopping_patience'),
    early_stopping_min_delta: b.num('early_stopping_min_delta'),
  };
}

/** The JSON body of POST /api/evaluation-jobs → the start's fields (POST /api/jobs/plan-evaluation takes the same body). */
export function evaluationFieldsFromHttp(body: unknown): StartEvaluationJob {
  const b = new BodyFields(body);
  return {
    model_adapter_combinations: b.objects('model_adapter_combinations').map((c) => ({
      base_model_id: c.str('base_model_id'),
      adapter_id: c.str('adapter_id'),
    })),
    dataset_id: b.str('dataset_id'),
    prompt_id: b.str('prompt_id'),
    cpu: b.num('cpu'),
    gpu: b.num('gpu'),
    memory: b.num('memory'),
    model_bnb_config: b.str('model_bnb_config'),
    adapter_bnb_config: b.str('adapter_bnb_config'),
    generation_config: b.str('generation_config'),
    gpu_label_id: b.num('gpu_label_id'),
    selected_features: b.strList('selected_features'),
    eval_dataset_fraction: b.num('eval_dataset_fraction'),
    runner: b.str('runner'),
    time_limit: b.str('time_limit'),
  };
}
