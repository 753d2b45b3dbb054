import { failedPrecondition, type Decision } from '@fts/domain';
import type { JobRunner } from '../runners/job-runner.js';

/**
 * A start request the runner can never run (more GPUs than it has in all) is
 * FAILED_PRECONDITION naming the capacity, checked after the request's own
 * validation so a malformed request still gets its INVALID_ARGUMENT.
 */
/** A started job's row: how many GPUs it asks for. */
type WithGpus = { num_gpu?: number | null };

export function withinCapacity<R extends WithGpus | WithGpus[]>(
  runner: Pick<JobRunner, 'exceedsCapacity'> | undefined,
  decision: Decision<R>,
): Decision<R> {
  const rows = Array.isArray(decision.result) ? decision.result : [decision.result];
  for (const row of rows) {
    const why = runner?.exceedsCapacity?.({ gpus: row.num_gpu ?? 0 });
    if (why) throw failedPrecondition('JOB.NOT_ENOUGH_GPUS', why);
  }
  return decision;
}
