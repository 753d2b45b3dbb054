import { Inject, Injectable, Optional } from '@nestjs/common';
import { getEvaluationJob, removeEvaluationJob, startEvaluationJob, type Row, type StartEvaluationJob, type PagingCatalogReader } from '@fts/domain';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { listPage, type PageRequest } from '../platform/transport/paging.js';
import { JOB_RUNNER, type JobRunner } from '../runners/job-runner.js';
import { withinCapacity } from './job-capacity.js';

/** Evaluation job commands and queries, shared by every transport. */
@Injectable()
export class EvaluationJobsHandlers {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CATALOG_READER) private readonly reader: PagingCatalogReader,
    @Optional() @Inject(JOB_RUNNER) private readonly jobRunner?: Pick<JobRunner, 'exceedsCapacity'>,
  ) {}

  /** One job per model/adapter combination, all `queued`, in request order. */
  start(cmd: StartEvaluationJob, call: CallContext): Row[] {
    return this.runner.run('StartEvaluationJob', (ctx) => withinCapacity(this.jobRunner, startEvaluationJob(cmd, ctx)), call);
  }

  remove(id: string, call: CallContext): void {
    this.runner.run('RemoveEvaluationJob', (ctx) => removeEvaluationJob({ id }, ctx), call);
  }

  list(page: PageRequest) {
    return listPage(this.reader, 'evaluation_jobs', page);
  }

  get(id: string): Row {
    return getEvaluationJob(this.reader, id);
  }
}
