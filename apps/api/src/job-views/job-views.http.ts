import type { IncomingMessage, ServerResponse } from 'node:http';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { lastValueFrom, reduce } from 'rxjs';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields, pageOf, queryInt } from '../http/request-shape.js';
import { sendSse } from '../http/sse.js';
import { toEvaluationJobMessage, toFineTuningJobMessage } from '../jobs/job-messages.js';
import { AdapterComparisonsHandlers } from './adapter-comparisons.handlers.js';
import { EvaluationResultsHandlers } from './evaluation-results.handlers.js';
import { JobCancelHandlers } from './job-cancel.handlers.js';
import { JobCheckpointsHandlers } from './job-checkpoints.handlers.js';
import { DEFAULT_TAIL_LINES, JobLogsHandlers, MAX_TAIL_LINES } from './job-logs.handlers.js';
import { JobWatchHandlers } from './job-watch.handlers.js';
import { toModelExportMessage } from './job-views.messages.js';
import { ModelExportsHandlers } from './model-exports.handlers.js';

type Q = Record<string, string | string[] | undefined>;

/** Cancel, watch, metrics, logs, evaluation results, comparisons and exports over HTTP: the job-views handlers. */
@ApiTags('jobs')
@Controller('api')
export class JobViewsHttp {
  constructor(
    private readonly cancels: JobCancelHandlers,
    private readonly watches: JobWatchHandlers,
    private readonly logs: JobLogsHandlers,
    private readonly evaluations: EvaluationResultsHandlers,
    private readonly comparisons: AdapterComparisonsHandlers,
    private readonly exports: ModelExportsHandlers,
    private readonly checkpoints: JobCheckpointsHandlers,
  ) {}

  @Post('fine-tuning-jobs/:id/cancel')
  @HttpCode(200)
  @ApiContract({ ok: 'CancelFineTuningJobResponse' })
  cancelFineTuningJob(@Param('id') id: string, @Req() req: HttpRequestLike) {
    return { fine_tuning_job: toFineTuningJobMessage(this.cancels.cancelFineTuningJob(id, callFromHttp(req))) };
  }

  @Post('evaluation-jobs/:id/cancel')
  @HttpCode(200)
  @ApiContract({ ok: 'CancelEvaluationJobResponse' })
  cancelEvaluationJob(@Param('id') id: string, @Req() req: HttpRequestLike) {
    return { evaluation_job: toEvaluationJobMessage(this.cancels.cancelEvaluationJob(id, callFromHttp(req))) };
  }

  @Get('jobs/:id/checkpoints')
  @ApiContract({ ok: 'ListJobCheckpointsResponse' })
  checkpointsOf(@Param('id') id: string) {
    return { checkpoints: this.checkpoints.list(id) };
  }

  /** Body (optional): {"checkpoint_step": N}; without it, the newest checkpoint. */
  @Post('fine-tuning-jobs/:id/resume')
  @HttpCode(200)
  @ApiContract({ body: 'ResumeFineTuningJobBody', optionalBody: true, ok: 'ResumeFineTuningJobResponse' })
  resumeFineTuningJob(@Param('id') id: string, @Body() body: unknown, @Req() req: HttpRequestLike) {
    const step = new BodyFields(body ?? {}).num('checkpoint_step');
    return { fine_tuning_job: toFineTuningJobMessage(this.checkpoints.resume(id, step ? step : undefined, callFromHttp(req))) };
  }

  @Get('jobs/:id/metrics')
  @ApiContract({ ok: 'GetJobMetricsResponse' })
  metrics(@Param('id') id: string) {
    return { points: this.watches.metrics(id) };
  }

  /** The last `tail_lines` lines (default 200) of the job's log, in one answer. */
  @Get('jobs/:id/logs')
  @ApiContract({ query: ['tailLines'], ok: 'JobLogChunk' })
  async jobLogs(@Param('id') id: string, @Query('tail_lines') tailLines?: string | string[]) {
    const chunks = this.logs.logs({ job_id: id, tail_lines: queryInt('tail_lines', tailLines, 200, 0, MAX_TAIL_LINES), follow: false });
    const lines = await lastValueFrom(chunks.pipe(reduce((all: string[], c) => all.concat(c.lines ?? []), [])), { defaultValue: [] });
    return { lines };
  }

  /** SSE: the tail, then new lines (`event: log`) until the job has ended and everything is read. */
  @Get('jobs/:id/logs/stream')
  @ApiContract({ query: ['streamTailLines', 'sse'], ok: 'JobLogChunk', as: 'sse', events: 'log' })
  streamLogs(@Param('id') id: string, @Query('tail_lines') tailLines: string | string[] | undefined, @Req() req: IncomingMessage, @Res() res: ServerResponse) {
    const logs = { job_id: id, tail_lines: queryInt('tail_lines', tailLines, DEFAULT_TAIL_LINES, 0, MAX_TAIL_LINES), follow: true };
    sendSse(req, res, (demand) => this.logs.logs(logs, demand), (c) => ({ event: 'log', data: { lines: c.lines ?? [] } }));
  }

  /** SSE of WatchJob: `event: update`, data a JobUpdate, until the job ends. */
  @Get('jobs/:id/updates')
  @ApiContract({ query: ['sse'], ok: 'JobUpdate', as: 'sse', events: 'update' })
  updates(@Param('id') id: string, @Req() req: IncomingMessage, @Res() res: ServerResponse) {
    sendSse(req, res, (demand) => this.watches.watch(id, demand), (u) => ({ id: u.position || undefined, event: 'update', data: u }));
  }

  @Get('evaluation-results/:id')
  @ApiContract({ ok: 'GetEvaluationResultsResponse' })
  async evaluationResults(@Param('id') id: string) {
    return { runs: await this.evaluations.results(id) };
  }

  @Post('comparisons')
  @ApiContract({ body: 'StartAdapterComparisonRequest', ok: 'StartAdapterComparisonResponse' })
  startComparison(@Body() body: unknown, @Req() req: HttpRequestLike) {
    const b = new BodyFields(body);
    const comparison = this.comparisons.start(
      {
        base_model_id: b.str('base_model_id'),
        adapter_ids: b.strList('adapter_ids'),
        input_text: b.str('input_text'),
        generation_config: b.str('generation_config'),
        cpu: b.num('cpu'),
        gpu: b.num('gpu'),
        memory: b.num('memory'),
        gpu_label_id: b.num('gpu_label_id'),
      },
      callFromHttp(req),
    );
    return { comparison };
  }

  @Get('comparisons/:id')
  @ApiContract({ ok: 'GetAdapterComparisonResponse' })
  getComparison(@Param('id') id: string) {
    return { comparison: this.comparisons.get(id) };
  }

  @Get('exports')
  @ApiContract({ query: ['page'], ok: 'ListModelExportsResponse' })
  listExports(@Query() q: Q) {
    const page = this.exports.list(pageOf(q));
    return { exports: page.rows.map(toModelExportMessage), next_page_token: page.next_page_token };
  }

  @Get('exports/:id')
  @ApiContract({ ok: 'GetModelExportResponse' })
  getExport(@Param('id') id: string) {
    return { export: toModelExportMessage(this.exports.get(id)) };
  }
}
