import { Inject, Injectable } from '@nestjs/common';
import { cancelJob, getEvaluationJob, getFineTuningJob, type Row, type CatalogReader } from '@fts/domain';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { CANCEL_GRACE_MS } from './cancel-grace.tokens.js';

/**
 * CancelFineTuningJob / CancelEvaluationJob. A queued job is cancelled at
 * once; a live one becomes `cancelling` with a deadline (now + grace), and
 * the supervisor, reacting to JobCancelRequested, stops the run. Missing job:
 * NOT_FOUND; a finished or already cancelling one: FAILED_PRECONDITION.
 * Answers with the job as it is after the command.
 */
@Injectable()
export class JobCancelHandlers {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CATALOG_READER) private readonly reader: CatalogReader,
    @Inject(CANCEL_GRACE_MS) private readonly graceMs: number,
  ) {}

  cancelFineTuningJob(id: string, call: CallContext): Row {
    this.runner.run('CancelFineTuningJob', (ctx) => cancelJob({ streamType: 'fine_tuning_job', id }, this.graceMs, ctx), call);
    return getFineTuningJob(this.reader, id);
  }

  cancelEvaluationJob(id: string, call: CallContext): Row {
    this.runner.run('CancelEvaluationJob', (ctx) => cancelJob({ streamType: 'evaluation_job', id }, this.graceMs, ctx), call);
    return getEvaluationJob(this.reader, id);
  }
}
