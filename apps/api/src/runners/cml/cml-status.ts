import type { RunState } from '../job-runner.js';

export const CML_TIMEOUT_MESSAGE = 'CML stopped the run: it exceeded its timeout.';

/**
 * A CML job-run status (spec/jobs.md §5.3) as a RunState. Pure.
 *
 * ENGINE_* values and the lowercase forms used by search filters and the v1
 * API are both accepted. ENGINE_UNKNOWN and anything unrecognised is
 * `unknown` (keep polling), never a failure.
 */
export function mapEngineStatus(raw: unknown): RunState {
  const s = typeof raw === 'string' ? raw.trim().toUpperCase().replace(/^ENGINE_/, '') : '';
  switch (s) {
    case 'SCHEDULING':
    case 'STARTING':
      return { phase: 'scheduling' };
    case 'RUNNING':
      return { phase: 'running' };
    case 'STOPPING':
      return { phase: 'running', cancelling: true, message: 'CML is stopping the run.' };
    case 'STOPPED':
      return { phase: 'cancelled', message: 'The run was stopped in CML.' };
    case 'SUCCEEDED':
      return { phase: 'succeeded' };
    case 'FAILED':
      return { phase: 'failed', message: 'The CML run failed.' };
    case 'TIMEDOUT':
    case 'TIMED_OUT':
      return { phase: 'failed', message: CML_TIMEOUT_MESSAGE };
    default:
      return {
        phase: 'unknown',
        transient: true,
        message: s === 'UNKNOWN' ? "CML does not know the run's status right now." : `CML reported an unexpected run status '${String(raw)}'.`,
      };
  }
}
