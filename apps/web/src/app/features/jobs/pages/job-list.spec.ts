import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { LiveEvents } from '../../../core/live-events';
import { EventRecord, FineTuningJob } from '../../../core/models';
import { applyJobEvent } from '../data/job-events';
import JobList, { JOBS_SHOWN } from './job-list';

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

  it('shows the newest jobs first, a page of them, more on demand; status changes from live events without reloading', async () => {
    const fixture = TestBed.createComponent(JobList);
    const ctrl = TestBed.inject(HttpTestingController);
    const jobs = Array.from({ length: 1000 }, (_, i) => ({ ...job(String(i)), dataset_id: `d${i}`, created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, 1000 - i)).toISOString() }));
    ctrl.expectOne('/api/fine-tuning-jobs').flush({ fine_tuning_jobs: jobs });
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelectorAll('tbody tr').length).toBe(JOBS_SHOWN);
    expect(el.querySelector('tbody tr')!.getAttribute('data-job-id')).toBe('0');
    expect(el.textContent).toContain(`${JOBS_SHOWN} of 1000`);
    // Names of the shown rows only, one read per column (not one per row, nor the whole catalog).
    await new Promise((r) => setTimeout(r)); // the turn's ids are batched
    ctrl.expectOne('/api/models?ids=m').flush({ models: [{ id: 'm', name: 'Model M' }] });
    const datasets = ctrl.expectOne((r) => r.url === '/api/datasets');
    expect(datasets.request.params.get('ids')!.split(',')).toEqual(jobs.slice(0, JOBS_SHOWN).map((j) => j.dataset_id));
    datasets.flush({ datasets: [{ id: 'd42', name: 'Data 42' }] });
    ctrl.expectOne('/api/prompts?ids=p').flush({ prompts: [{ id: 'p', name: 'Prompt P' }] });
    await new Promise((r) => setTimeout(r)); // the reads' promises settle
    await fixture.whenStable();
    expect(el.querySelector('tr[data-job-id="42"]')!.textContent).toContain('Model M');
    expect(el.querySelector('tr[data-job-id="42"]')!.textContent).toContain('Data 42');
    expect(el.querySelector('tr[data-job-id="42"]')!.textContent).toContain('Prompt P');
    const row = () => el.querySelector('tr[data-job-id="42"] [data-status]')!;
    expect(row().textContent).toBe('queued');
    const other = el.querySelector('tr[data-job-id="41"]');

    TestBed.inject(LiveEvents).dispatch(ev('JobStarted', '42', {}, 7));
    await fixture.whenStable();
    expect(row().textContent).toBe('running');
    expect(el.querySelector('tr[data-job-id="41"]')).toBe(other); // DOM of other rows kept

    (el.querySelector('[data-testid=more-jobs]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(el.querySelectorAll('tbody tr').length).toBe(2 * JOBS_SHOWN);
    await new Promise((r) => setTimeout(r));
    // Only the new rows' datasets are read; the model and prompt names are known.
    const more = ctrl.expectOne((r) => r.url === '/api/datasets');
    expect(more.request.params.get('ids')!.split(',')).toEqual(jobs.slice(JOBS_SHOWN, 2 * JOBS_SHOWN).map((j) => j.dataset_id));
    more.flush({ datasets: [] });
    ctrl.verify();
  }, 30_000); // rendering many rows takes seconds on a loaded CI machine; this checks behaviour, not speed
});
