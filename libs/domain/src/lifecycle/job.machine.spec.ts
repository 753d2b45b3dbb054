import { nextStatus, type JobMachineEvent, type JobStatus } from './job.machine.js';

const E = (type: JobMachineEvent['type']) => ({ type }) as JobMachineEvent;

/** [from, event, to | undefined (refused)] — every pair is listed once. */
const table: [JobStatus, JobMachineEvent['type'], string | undefined][] = [
  ['queued', 'DISPATCH', 'dispatching'],
  ['queued', 'SUBMITTED', undefined],
  ['queued', 'STARTED', undefined],
  ['queued', 'SUCCEEDED', undefined],
  ['queued', 'FAILED', 'failed'],
  ['queued', 'CANCEL', 'cancelled'],
  ['queued', 'CANCELLED', undefined],
  ['queued', 'REMOVE', 'removed'],
  ['queued', 'RETRY', undefined],
  ['queued', 'RESUME', undefined],
  ['dispatching', 'DISPATCH', undefined],
  ['dispatching', 'SUBMITTED', 'scheduling'],
  ['dispatching', 'STARTED', 'running'],
  ['dispatching', 'SUCCEEDED', 'succeeded'],
  ['dispatching', 'FAILED', 'failed'],
  ['dispatching', 'CANCEL', 'cancelling'],
  ['dispatching', 'CANCELLED', undefined],
  ['dispatching', 'REMOVE', undefined],
  ['dispatching', 'RETRY', 'retrying'],
  ['dispatching', 'RESUME', undefined],
  ['scheduling', 'DISPATCH', undefined],
  ['scheduling', 'SUBMITTED', undefined],
  ['scheduling', 'STARTED', 'running'],
  ['scheduling', 'SUCCEEDED', 'succeeded'],
  ['scheduling', 'FAILED', 'failed'],
  ['scheduling', 'CANCEL', 'cancelling'],
  ['scheduling', 'CANCELLED', 'cancelled'],
  ['scheduling', 'REMOVE', undefined],
  ['scheduling', 'RETRY', 'retrying'],
  ['scheduling', 'RESUME', undefined],
  ['running', 'DISPATCH', undefined],
  ['running', 'SUBMITTED', undefined],
  ['running', 'STARTED', undefined],
  ['running', 'SUCCEEDED', 'succeeded'],
  ['running', 'FAILED', 'failed'],
  ['running', 'CANCEL', 'cancelling'],
  ['running', 'CANCELLED', 'cancelled'],
  ['running', 'REMOVE', undefined],
  ['running', 'RETRY', 'retrying'],
  ['running', 'RESUME', undefined],
  ['cancelling', 'DISPATCH', undefined],
  ['cancelling', 'SUBMITTED', undefined],
  ['cancelling', 'STARTED', undefined],
  ['cancelling', 'SUCCEEDED', 'succeeded'],
  ['cancelling', 'FAILED', 'failed'],
  ['cancelling', 'CANCEL', undefined],
  ['cancelling', 'CANCELLED', 'cancelled'],
  ['cancelling', 'REMOVE', undefined],
  ['cancelling', 'RETRY', undefined],
  ['cancelling', 'RESUME', undefined],
  ['retrying', 'DISPATCH', 'dispatching'],
  ['retrying', 'SUBMITTED', undefined],
  ['retrying', 'STARTED', undefined],
  ['retrying', 'SUCCEEDED', undefined],
  ['retrying', 'FAILED', 'failed'],
  ['retrying', 'CANCEL', 'cancelled'],
  ['retrying', 'CANCELLED', undefined],
  ['retrying', 'REMOVE', undefined],
  ['retrying', 'RETRY', undefined],
  ['retrying', 'RESUME', undefined],
  ...(['succeeded', 'failed', 'cancelled', 'imported'] as const).flatMap((s) =>
    (['DISPATCH', 'SUBMITTED', 'STARTED', 'SUCCEEDED', 'FAILED', 'CANCEL', 'CANCELLED', 'REMOVE', 'RETRY', 'RESUME'] as const).map(
      (e): [JobStatus, JobMachineEvent['type'], string | undefined] => [
        s,
        e,
        e === 'REMOVE' ? 'removed' : e === 'RESUME' && (s === 'failed' || s === 'cancelled') ? 'retrying' : undefined,
      ],
    ),
  ),
];

describe('job machine', () => {
  it.each(table)('%s + %s → %s', (from, event, to) => {
    expect(nextStatus(from, E(event))).toBe(to);
  });

  it('refuses anything from a status it does not know', () => {
    expect(nextStatus('unknown', E('CANCEL'))).toBeUndefined();
    expect(nextStatus('', E('DISPATCH'))).toBeUndefined();
  });
});
