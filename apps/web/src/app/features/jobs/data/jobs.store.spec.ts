import { describe, expect, it } from 'vitest';
import { newest } from './jobs.store';
import type { FineTuningJob } from '../../../core/models';

const job = (status: string, updated_at: string) => ({ id: 'j1', status, updated_at }) as unknown as FineTuningJob;

describe('newest', () => {
  it('keeps a live update over an older response that arrived after it', () => {
    const live = job('running', '2026-01-01T00:00:02.000Z');
    expect(newest(live, job('dispatching', '2026-01-01T00:00:01.000Z'))).toBe(live);
  });
  it('takes the server’s row when it is as new or newer', () => {
    const fetched = job('succeeded', '2026-01-01T00:00:03.000Z');
    expect(newest(job('running', '2026-01-01T00:00:02.000Z'), fetched)).toBe(fetched);
    expect(newest(undefined, fetched)).toBe(fetched);
  });
});
