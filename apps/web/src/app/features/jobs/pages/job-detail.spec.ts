import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { FineTuningJob } from '../../../core/models';
import JobDetail from './job-detail';

const settle = () => new Promise((r) => setTimeout(r));

describe('JobDetail', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
  });

  it("shows the job's settings as soon as the job is read, its metrics when they come", async () => {
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(JobDetail);
    fixture.componentRef.setInput('id', 'j1');
    fixture.detectChanges();
    const job = { id: 'j1', adapter_name: 'a1', dataset_id: 'd1', status: 'running', num_epochs: 3, created_at: '2026-01-01T00:00:00Z' } as FineTuningJob;
    http.expectOne('/api/fine-tuning-jobs/j1').flush({ fine_tuning_job: job });
    http.expectOne('/api/jobs/j1/checkpoints').flush({ checkpoints: [] });
    await settle();
    fixture.detectChanges();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('[data-testid=run-settings]')).not.toBeNull();
    expect(el.textContent).toContain('No metrics yet');
    await settle(); // the names the render asked for are read together
    http.expectOne('/api/datasets?ids=d1').flush({ datasets: [{ id: 'd1', name: 'Tickets' }] });
    await settle();
    fixture.detectChanges();
    expect(el.querySelector('[data-testid=run-settings]')!.textContent).toContain('Tickets');
    // The metrics were still to come all along (chart.js does not draw in jsdom: an empty answer).
    http.expectOne('/api/jobs/j1/metrics').flush({ points: [] });
    await settle();
    http.verify();
  });
});
