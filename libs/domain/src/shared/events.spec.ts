import type { JobLifecycleEvent } from '../lifecycle/job-lifecycle.events.js';
import { projectEvent } from '../projections.js';
import type { RecordedEvent } from './event.js';
import type { ProjectionOf } from './projection.js';

const recorded = (type: string, streamType: string, data: unknown): RecordedEvent => ({
  position: 1,
  streamId: `${streamType}-j1`,
  streamType,
  streamVersion: 2,
  type,
  schemaVersion: 1,
  data,
  metadata: { correlation_id: 'c', actor: 'test', transport: 'system' },
  recordedAt: '2026-01-01T00:00:00.000Z',
});

describe('typed event unions', () => {
  it('a projection of a union must handle every event type (checked by the compiler)', () => {
    // @ts-expect-error JobSucceeded and the other lifecycle events have no handler
    const partial: ProjectionOf<JobLifecycleEvent> = { JobDispatched: () => [] };
    expect(Object.keys(partial)).toEqual(['JobDispatched']);
  });

  it('the lifecycle projection reads each payload as stored (the stored JSON is unchanged)', () => {
    expect(projectEvent(recorded('JobDispatched', 'fine_tuning_job', { id: 'j1', runner: 'local', message: 'Starting on the local runner.' }))).toEqual([
      {
        op: 'update',
        table: 'fine_tuning_jobs',
        id: 'j1',
        set: { status: 'dispatching', status_message: 'Starting on the local runner.', updated_at: '2026-01-01T00:00:00.000Z' },
      },
      {
        op: 'insert',
        table: 'job_runs',
        row: { id: 'j1', job_type: 'fine_tuning_job', runner: 'local', handle: null, outputs_offset: 0, deadline_kind: null, deadline_at: null, updated_at: '2026-01-01T00:00:00.000Z' },
      },
    ]);
    expect(projectEvent(recorded('DatasetRemoved', 'dataset', { id: 'd1' }))).toEqual([{ op: 'delete', table: 'datasets', id: 'd1' }]);
  });
});
