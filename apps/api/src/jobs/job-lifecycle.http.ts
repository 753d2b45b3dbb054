import type { IncomingMessage, ServerResponse } from 'node:http';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { lastValueFrom, reduce } from 'rxjs';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { queryFields } from '../http/query-fields.js';
import { BodyFields } from '../http/request-shape.js';
import { sendSse } from '../http/sse.js';
import { JobCancelHandlers } from './job-cancel.handlers.js';
import { JobCheckpointsHandlers } from './job-checkpoints.handlers.js';
import { JobLogsHandlers } from './job-logs.handlers.js';
import { JobWatchHandlers } from './job-watch.handlers.js';
import { cancelEvaluationJob } from './cancel-evaluation-job.request.js';
import { cancelFineTuningJob } from './cancel-fine-tuning-job.request.js';
import { getJobLogsRequest } from './get-job-logs.request.js';
import { getJobMetrics } from './get-job-metrics.request.js';
import { listJobCheckpoints } from './list-job-checkpoints.request.js';
import { resumeFineTuningJob, resumeFineTuningJobRequest } from './resume-fine-tuning-job.request.js';

type Q = Record<string, string | string[] | undefined>;

/** Cancel, resume, checkpoints, metrics, logs and updates of a job over HTTP: the same slices as the gRPC RPCs. */
@ApiTags('jobs')
@Controller('api')
export class JobLifecycleHttp {
  constructor(
    private readonly cancels: JobCancelHandlers,
    private readonly watches: JobWatchHandlers,
    private readonly logs: JobLogsHandlers,
    private readonly checkpoints: JobCheckpointsHandlers,
  ) {}

  @Post('fine-tuning-jobs/:id/cancel')
  @HttpCode(200)
  @ApiContract({ ok: 'CancelFineTuningJobResponse' })
  cancelFineTuningJob(@Param('id') id: string, @Req() req: HttpRequestLike) {
    return cancelFineTuningJob(this.cancels, id, callFromHttp(req));
  }

  @Post('evaluation-jobs/:id/cancel')
  @HttpCode(200)
  @ApiContract({ ok: 'CancelEvaluationJobResponse' })
  cancelEvaluationJob(@Param('id') id: string, @Req() req: HttpRequestLike) {
    return cancelEvaluationJob(this.cancels, id, callFromHttp(req));
  }

  @Get('jobs/:id/checkpoints')
  @ApiContract({ ok: 'ListJobCheckpointsResponse' })
  checkpointsOf(@Param('id') id: string) {
    return listJobCheckpoints(this.checkpoints, id);
  }

  /** Body (optional): {"checkpoint_step": N}; without it, the newest checkpoint. */
  @Post('fine-tuning-jobs/:id/resume')
  @HttpCode(200)
  @ApiContract({ body: 'ResumeFineTuningJobBody', optionalBody: true, ok: 'ResumeFineTuningJobResponse' })
  resumeFineTuningJob(@Param('id') id: string, @Body() body: unknown, @Req() req: HttpRequestLike) {
    return resumeFineTuningJob(this.checkpoints, resumeFineTuningJobRequest(new BodyFields(body ?? {}), id), callFromHttp(req));
  }

  @Get('jobs/:id/metrics')
  @ApiContract({ ok: 'GetJobMetricsResponse' })
  metrics(@Param('id') id: string) {
    return getJobMetrics(this.watches, id);
  }

  /** The last `tail_lines` lines (default 100, as GetJobLogs) of the job's log, in one answer. */
  @Get('jobs/:id/logs')
  @ApiContract({ query: ['tailLines'], ok: 'JobLogChunk' })
  async jobLogs(@Param('id') id: string, @Query() q: Q) {
    const chunks = this.logs.logs(getJobLogsRequest(queryFields(q), { job_id: id, follow: false }));
    const lines = await lastValueFrom(chunks.pipe(reduce((all: string[], c) => all.concat(c.lines ?? []), [])), { defaultValue: [] });
    return { lines };
  }

  /** SSE: the tail, then new lines (`event: log`) until the job has ended and everything is read. */
  @Get('jobs/:id/logs/stream')
  @ApiContract({ query: ['streamTailLines', 'sse'], ok: 'JobLogChunk', as: 'sse', events: 'log' })
  streamLogs(@Param('id') id: string, @Query() q: Q, @Req() req: IncomingMessage, @Res() res: ServerResponse) {
    const logs = getJobLogsRequest(queryFields(q), { job_id: id, follow: true });
    sendSse(req, res, (demand) => this.logs.logs(logs, demand), (c) => ({ event: 'log', data: { lines: c.lines ?? [] } }));
  }

  /** SSE of WatchJob: `event: update`, data a JobUpdate, until the job ends. */
  @Get('jobs/:id/updates')
  @ApiContract({ query: ['sse'], ok: 'JobUpdate', as: 'sse', events: 'update' })
  updates(@Param('id') id: string, @Req() req: IncomingMessage, @Res() res: ServerResponse) {
    sendSse(req, res, (demand) => this.watches.watch(id, demand), (u) => ({ id: u.position || undefined, event: 'update', data: u }));
  }
}
