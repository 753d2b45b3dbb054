import { invalidArgument } from '../shared/domain-error.js';
import { CLUSTER_TIME_LIMIT, JOB_RUNNER_NAMES } from './job.commands.js';

/**
 * A job's own runner (extension fields `runner`, `time_limit`): '' keeps the
 * server's FTS_RUNNER. Returns the columns to store (null when not given).
 */
export function runnerChoice(cmd: { runner?: string; time_limit?: string }): { runner: string | null; time_limit: string | null } {
  const runner = (cmd.runner ?? '').trim();
  if (runner && !(JOB_RUNNER_NAMES as readonly string[]).includes(runner)) {
    throw invalidArgument('JOB.RUNNER_INVALID', `Runner '${runner.slice(0, 64)}' is not one of ${JOB_RUNNER_NAMES.join(', ')} (empty: the server's).`);
  }
  const timeLimit = (cmd.time_limit ?? '').trim();
  if (timeLimit && !CLUSTER_TIME_LIMIT.test(timeLimit)) {
    throw invalidArgument(
      'JOB.TIME_LIMIT_INVALID',
      `Time limit '${timeLimit.slice(0, 64)}' is not a Slurm time: use minutes, minutes:seconds, hours:minutes:seconds or days-hours[:minutes[:seconds]].`,
    );
  }
  return { runner: runner || null, time_limit: timeLimit || null };
}
