import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { queryFields } from '../http/query-fields.js';
import { BodyFields, pageOf } from '../http/request-shape.js';
import { EvaluationJobsHandlers } from './evaluation-jobs.handlers.js';
import { FineTuningJobsHandlers } from './fine-tuning-jobs.handlers.js';
import { getEvaluationJob } from './get-evaluation-job.request.js';
import { getFineTuningJob } from './get-fine-tuning-job.request.js';
import { listEvaluationJobs } from './list-evaluation-jobs.request.js';
import { listFineTuningJobs } from './list-fine-tuning-jobs.request.js';
import { removeFineTuningJob } from './remove-fine-tuning-job.request.js';
import { startEvaluationJob } from './start-evaluation-job.request.js';
import { startFineTuningJob } from './start-fine-tuning-job.request.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/fine-tuning-jobs and /api/evaluation-jobs: the same slices as the gRPC job RPCs (cancel and resume are in job-lifecycle.http.ts). */
@ApiTags('jobs')
@Controller('api')
export class JobsHttp {
  constructor(
    private readonly fineTuning: FineTuningJobsHandlers,
    private readonly evaluation: EvaluationJobsHandlers,
  ) {}

  @Get('fine-tuning-jobs')
  @ApiContract({ query: ['page'], ok: 'ListFineTuningJobsResponse' })
  listFineTuning(@Query() q: Q) {
    return listFineTuningJobs(this.fineTuning, pageOf(q));
  }

  @Get('fine-tuning-jobs/:id')
  @ApiContract({ ok: 'GetFineTuningJobResponse' })
  getFineTuning(@Param('id') id: string) {
    return getFineTuningJob(this.fineTuning, id);
  }

  @Post('fine-tuning-jobs')
  @ApiContract({ body: 'StartFineTuningJobRequest', ok: 'StartFineTuningJobResponse' })
  startFineTuning(@Body() body: unknown, @Req() req: HttpRequestLike) {
    return startFineTuningJob(this.fineTuning, new BodyFields(body), callFromHttp(req));
  }

  /** 200 with what `delete_files` deleted and kept (both empty without it), as RemoveFineTuningJobResponse over gRPC. */
  @Delete('fine-tuning-jobs/:id')
  @ApiContract({ query: ['deleteFiles'], ok: 'RemoveFineTuningJobResponse' })
  removeFineTuning(@Param('id') id: string, @Query() q: Q, @Req() req: HttpRequestLike) {
    return removeFineTuningJob(this.fineTuning, queryFields(q), callFromHttp(req), id);
  }

  @Get('evaluation-jobs')
  @ApiContract({ query: ['page'], ok: 'ListEvaluationJobsResponse' })
  listEvaluation(@Query() q: Q) {
    return listEvaluationJobs(this.evaluation, pageOf(q));
  }

  @Get('evaluation-jobs/:id')
  @ApiContract({ ok: 'GetEvaluationJobResponse' })
  getEvaluation(@Param('id') id: string) {
    return getEvaluationJob(this.evaluation, id);
  }

  @Post('evaluation-jobs')
  @ApiContract({ body: 'StartEvaluationJobRequest', ok: 'StartEvaluationJobResponse' })
  startEvaluation(@Body() body: unknown, @Req() req: HttpRequestLike) {
    return startEvaluationJob(this.evaluation, new BodyFields(body), callFromHttp(req));
  }

  @Delete('evaluation-jobs/:id')
  @HttpCode(204)
  @ApiContract({ ok: null })
  removeEvaluation(@Param('id') id: string, @Req() req: HttpRequestLike) {
    this.evaluation.remove(id, callFromHttp(req));
  }
}
