import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { LiveEvents } from '../../../core/live-events';
import { EventRecord, FineTuningJob } from '../../../core/models';
import { applyJobEvent } from '../data/job-events';
import JobList from './job-list';

const job = (id: string, status = 'queued'): FineTuningJob =>
  ({ id, adapter_name: 'a-' + id, base_model_id: 'm', dataset_id: 'd', prompt_id: 'p', status, created_at: '2026-01-01T00:00:00Z' }) as FineTuningJob;
const ev = (type: string, stream_id: string, data: Record<string, unknown> = {}, position = 1): EventRecord => ({
  position, stream_id, stream_type: 'fine_tuning_job', stream_version: 2, type, data, metadata: {}, recorded_at: '2026-01-01T00:00:01Z',
});

describe('applyJobEvent', () => {
  it('changes only the affected row object', () => {
    const jobs = [job('1'), job('2')];
    const r = applyJobEvent(jobs, ev('JobStarted', '2'));
    expect(r.jobs[1].status).toBe('running');
    expect(r.jobs[0]).toBe(jobs[0]);
    expect(r.jobs).not.toBe(jobs);
  });
  it('reads the job id from a prefixed stream id', () =>
    expect(applyJobEvent([job('aaaaaaaa-1111-4111-8111-111111111111')], ev('JobStarted', 'fine_tuning_job-aaaaaaaa-1111-4111-8111-111111111111')).jobs[0].status).toBe('running'));
  it('does not move a row back when history replays', () => {
    const jobs = [{ ...job('1', 'succeeded'), updated_at: '2026-01-01T00:00:05Z' }];
    expect(applyJobEvent(jobs, ev('JobStarted', '1')).jobs).toBe(jobs);
  });
  it('fetches a job it has not seen when it is queued', () => expect(applyJobEvent([], ev('FineTuningJobQueued', '9')).refetch).toBe('9'));
  it('ignores other streams', () => {
    const jobs = [job('1')];
    expect(applyJobEvent(jobs, { ...ev('JobStarted', '1'), stream_type: 'evaluation_job' }).jobs).toBe(jobs);
  });
  it('uses the failure message', () => expect(applyJobEvent([job('1')], ev('JobFailed', '1', { message: 'boom' })).jobs[0].status_message).toBe('boom'));
});

describe('JobList', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    // No EventSource in jsdom: LiveEvents.dispatch stands in for the SSE stream.
  });

  it('shows a status change from a live event without reloading', async () => {
    const fixture = TestBed.createComponent(JobList);
    const ctrl = TestBed.inject(HttpTestingController);
    ctrl.expectOne('/api/fine-tuning-jobs').flush({ fine_tuning_jobs: Array.from({ length: 1000 }, (_, i) => job(String(i))) });
    for (const r of ctrl.match(() => true)) r.flush({});
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelectorAll('tbody tr').length).toBe(1000);
    // Names come one read per shown id (three for 1000 rows), not from the whole catalog.
    ctrl.expectOne('/api/models/m').flush({ model: { id: 'm', name: 'Model M' } });
    ctrl.expectOne('/api/datasets/d').flush({ dataset: { id: 'd', name: 'Data D' } });
    ctrl.expectOne('/api/prompts/p').flush({ prompt: { id: 'p', name: 'Prompt P' } });
    await new Promise((r) => setTimeout(r)); // the reads' promises settle
    await fixture.whenStable();
    expect(el.querySelector('tr[data-job-id="42"]')!.textContent).toContain('Model M');
    expect(el.querySelector('tr[data-job-id="42"]')!.textContent).toContain('Prompt P');
    const row = () => el.querySelector('tr[data-job-id="42"] [data-status]')!;
    expect(row().textContent).toBe('queued');
    const other = el.querySelector('tr[data-job-id="41"]');

    TestBed.inject(LiveEvents).dispatch(ev('JobStarted', '42', {}, 7));
    await fixture.whenStable();
    expect(row().textContent).toBe('running');
    expect(el.querySelector('tr[data-job-id="41"]')).toBe(other); // DOM of other rows kept
    ctrl.verify();
  }, 30_000); // rendering 1000 rows takes seconds on a loaded CI machine; this checks behaviour, not speed
});
