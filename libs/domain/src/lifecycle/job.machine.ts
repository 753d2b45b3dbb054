import { setup, transition, type SnapshotFrom } from 'xstate';

/**
 * The lifecycle of a fine-tuning or evaluation job, used as a pure transition
 * function inside the job decider: the stored `status` is the state, every
 * accepted transition becomes an event on the job's stream, and an event the
 * machine does not accept in the current state is refused (FAILED_PRECONDITION).
 *
 *   queued → dispatching → scheduling → running → succeeded | failed | cancelled
 *                  (any live state) ── cancel ──→ cancelling → cancelled
 *   dispatching | scheduling | running ── retry ──→ retrying ── dispatch ──→ dispatching
 *   failed | cancelled ── resume ──→ retrying
 *
 * `retrying` is a job waiting to run again from its newest checkpoint under
 * the same id: its run died for a reason outside the user's control, or a
 * user asked to resume it. The retry decision is an event, so a restart
 * finds it and dispatches it once.
 */
export type JobStatus =
  | 'queued'
  | 'dispatching'
  | 'scheduling'
  | 'running'
  | 'cancelling'
  | 'retrying'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  /** A job row that came in through ImportDatabase: its run was never tracked here. */
  | 'imported';

export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled', 'imported'];
export const LIVE_STATUSES: readonly JobStatus[] = ['queued', 'dispatching', 'scheduling', 'running', 'cancelling', 'retrying'];
export const isTerminal = (s: string) => (TERMINAL_STATUSES as readonly string[]).includes(s);

export type JobMachineEvent =
  /** The supervisor took the job and is handing it to a runner. */
  | { type: 'DISPATCH' }
  /** The runner accepted it (a process exists / a CML run was created) and it waits for resources. */
  | { type: 'SUBMITTED' }
  /** The work has begun. */
  | { type: 'STARTED' }
  | { type: 'SUCCEEDED' }
  | { type: 'FAILED' }
  /** The run died for a reason outside the user's control and the job has attempts left. */
  | { type: 'RETRY' }
  /** A user asked to run a failed or cancelled job again from a checkpoint. */
  | { type: 'RESUME' }
  /** A user asked to cancel. */
  | { type: 'CANCEL' }
  /** The runner confirmed the work is stopped. */
  | { type: 'CANCELLED' }
  /** Removal of the job's record. */
  | { type: 'REMOVE' };

export const jobMachine = setup({
  types: { events: {} as JobMachineEvent },
}).createMachine({
  id: 'job',
  initial: 'queued',
  states: {
    queued: {
      on: { DISPATCH: 'dispatching', CANCEL: 'cancelled', FAILED: 'failed', REMOVE: 'removed' },
    },
    dispatching: {
      on: { SUBMITTED: 'scheduling', STARTED: 'running', SUCCEEDED: 'succeeded', FAILED: 'failed', CANCEL: 'cancelling', RETRY: 'retrying' },
    },
    scheduling: {
      on: { STARTED: 'running', SUCCEEDED: 'succeeded', FAILED: 'failed', CANCEL: 'cancelling', CANCELLED: 'cancelled', RETRY: 'retrying' },
    },
    running: {
      on: { SUCCEEDED: 'succeeded', FAILED: 'failed', CANCEL: 'cancelling', CANCELLED: 'cancelled', RETRY: 'retrying' },
    },
    retrying: {
      // Nothing runs while it waits: a cancel ends it at once.
      on: { DISPATCH: 'dispatching', CANCEL: 'cancelled', FAILED: 'failed' },
    },
    cancelling: {
      // The run may still finish on its own before the stop lands: record what really happened.
      on: { CANCELLED: 'cancelled', SUCCEEDED: 'succeeded', FAILED: 'failed' },
    },
    succeeded: { on: { REMOVE: 'removed' } },
    failed: { on: { REMOVE: 'removed', RESUME: 'retrying' } },
    cancelled: { on: { REMOVE: 'removed', RESUME: 'retrying' } },
    imported: { on: { REMOVE: 'removed' } },
    removed: { type: 'final' },
  },
});

export type JobSnapshot = SnapshotFrom<typeof jobMachine>;

/** The snapshot for a stored status (statuses are the state names). */
export function snapshotOf(status: string): JobSnapshot {
  return jobMachine.resolveState({ value: status as JobStatus, context: {} });
}

/**
 * The next status for `event`, or undefined when the machine refuses it in
 * `status`. Pure: nothing runs, nothing is stored.
 */
export function nextStatus(status: string, event: JobMachineEvent): JobStatus | 'removed' | undefined {
  if (!(LIVE_STATUSES as readonly string[]).includes(status) && !isTerminal(status)) return undefined;
  const snapshot = snapshotOf(status);
  if (!snapshot.can(event)) return undefined;
  const [next] = transition(jobMachine, snapshot, event);
  return next.value as JobStatus | 'removed';
}
