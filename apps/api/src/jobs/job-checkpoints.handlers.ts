import { Injectable, Inject } from '@nestjs/common';
import { checkpointsOf, getFineTuningJob, resumeJob, type Row, type CatalogReader } from '@fts/domain';
import type { JobCheckpoint } from '@fts/proto';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { findJob, requireJobId } from './job-lookup.js';

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A job_checkpoints row as a JobCheckpoint (a loss the template did not report is NaN). */
export function toJobCheckpoint(row: Row): JobCheckpoint {
  return {
    step: finite(row.step) ?? 0,
    epoch: finite(row.epoch) ?? 0,
    loss: finite(row.loss) ?? Number.NaN,
    eval_loss: finite(row.eval_loss) ?? Number.NaN,
    path: typeof row.path === 'string' ? row.path : '',
    attempt: finite(row.attempt) ?? 1,
    at: typeof row.at === 'string' ? row.at : '',
  };
}

/**
 * ListJobCheckpoints and ResumeFineTuningJob: the checkpoints a job's runs
 * saved, and running a failed or cancelled job again from one of them (the
 * supervisor dispatches it on the JobRetryScheduled this records).
 */
@Injectable()
export class JobCheckpointsHandlers {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CATALOG_READER) private readonly reader: CatalogReader,
  ) {}

  list(jobId: string): JobCheckpoint[] {
    const job = findJob(this.reader, requireJobId(jobId, 'job_id', 'ListJobCheckpointsRequest'));
    return checkpointsOf(job.ref.id, { read: this.reader }).map(toJobCheckpoint);
  }

  resume(id: string, step: number | undefined, call: CallContext): Row {
    this.runner.run('ResumeFineTuningJob', (ctx) => resumeJob({ streamType: 'fine_tuning_job', id }, step, ctx), call);
    return getFineTuningJob(this.reader, id);
  }
}
