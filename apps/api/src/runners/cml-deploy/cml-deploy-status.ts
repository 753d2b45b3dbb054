import type { RunState } from '../job-runner.js';

/**
 * CML model build and deployment statuses (spec/jobs.md §5.3: lowercase
 * strings) in the runner's terms. Pure.
 *
 *   build:      pending | queued | pushing | building → in progress
 *               built | succeeded                      → built (look at the deployment)
 *               build failed | failed                  → failed
 *               timedout                               → failed (timed out)
 *               unknown / anything else                → unknown (keep polling)
 *   deployment: deployed → serving; pending/deploying/starting → starting;
 *               stopping; stopped; failed; anything else → unknown
 */
export type BuildPhase = 'in_progress' | 'built' | 'failed' | 'timed_out' | 'unknown';
export type DeploymentPhase = 'starting' | 'deployed' | 'stopping' | 'stopped' | 'failed' | 'unknown';

const norm = (raw: unknown) => (typeof raw === 'string' ? raw.trim().toLowerCase().replace(/[_-]+/g, ' ') : '');

export function buildPhaseOf(raw: unknown): BuildPhase {
  switch (norm(raw)) {
    case 'pending':
    case 'queued':
    case 'pushing':
    case 'building':
      return 'in_progress';
    case 'built':
    case 'succeeded':
      return 'built';
    case 'build failed':
    case 'failed':
      return 'failed';
    case 'timedout':
    case 'timed out':
      return 'timed_out';
    default:
      return 'unknown';
  }
}

export function deploymentPhaseOf(raw: unknown): DeploymentPhase {
  switch (norm(raw)) {
    case 'deployed':
      return 'deployed';
    case 'pending':
    case 'deploying':
    case 'starting':
      return 'starting';
    case 'stopping':
      return 'stopping';
    case 'stopped':
      return 'stopped';
    case 'failed':
      return 'failed';
    default:
      return 'unknown';
  }
}

/** The API's own words about a failed build or deployment, when it gave any. */
export function apiReasonOf(obj: Record<string, unknown>): string | undefined {
  for (const k of ['failure_reason', 'status_message', 'message', 'error', 'reason']) {
    const v = obj[k];
    if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 500);
  }
  return undefined;
}

/** A failed build as a RunState, with CML's status and message. */
export function buildFailure(build: { id: string; status?: unknown } & Record<string, unknown>, phase: 'failed' | 'timed_out'): RunState {
  const reason = apiReasonOf(build);
  const what = phase === 'timed_out' ? 'timed out' : 'failed';
  return {
    phase: 'failed',
    exitCode: null,
    message: `The CML model build ${build.id} ${what} (status '${String(build.status)}')${reason ? `: ${reason}` : ''}.`,
  };
}
