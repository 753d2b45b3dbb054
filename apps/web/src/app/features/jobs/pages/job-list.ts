import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { EntityNames } from '../../../core/entity-names';
import { EmptyState } from '../../../shared/empty-state';
import { JobRow } from '../components/job-row';
import { JobsStore } from '../data/jobs.store';

/** Jobs rendered at first, and added by each "More jobs". */
export const JOBS_SHOWN = 100;

@Component({
  selector: 'app-job-list',
  imports: [JobRow, EmptyState, FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Training jobs</h1>
    <p class="caption">Status changes arrive live; no refresh needed.</p>
    @if (store.error(); as e) { <p class="error">{{ e }}</p> }
    @if (store.loaded() && store.jobs().length === 0) {
      <app-empty text="No training jobs yet. Add a dataset, a prompt and a base model, then train an adapter." link="/jobs/train" action="Train a new adapter" />
    } @else {
      <div class="row" style="margin-bottom:8px">
        <input class="filter" placeholder="Filter by adapter, status or id" [ngModel]="filter()" (ngModelChange)="filter.set($event)" aria-label="Filter jobs" />
        <span class="muted">{{ shown().length }} of {{ visible().length }}{{ visible().length < store.jobs().length ? ' matching (' + store.jobs().length + ' jobs)' : '' }}</span>
      </div>
      <table data-testid="jobs-table">
        <thead><tr><th>Job</th><th>Status</th><th>Adapter</th><th>Base model</th><th>Dataset</th><th>Prompt</th><th>Created</th><th>Message</th></tr></thead>
        <tbody>
          @for (j of shown(); track j.id) {
            <tr app-job-row [job]="j" [model]="names.name('models', j.base_model_id)" [dataset]="names.name('datasets', j.dataset_id)" [prompt]="names.name('prompts', j.prompt_id)"></tr>
          }
        </tbody>
      </table>
      @if (shown().length < visible().length) {
        <button type="button" class="secondary" (click)="limit.set(limit() + JOBS_SHOWN)" data-testid="more-jobs">More jobs</button>
      }
    }
  `,
  styles: `.filter { width: 320px; max-width: 100%; }`,
})
export default class JobList {
  protected readonly store = inject(JobsStore);
  // Names of the shown jobs' model, dataset and prompt only: the landing page must not load the whole catalog.
  protected readonly names = inject(EntityNames);
  protected readonly filter = signal('');
  protected readonly JOBS_SHOWN = JOBS_SHOWN;
  /** Rows on screen: the newest first, more on demand (a project with thousands of jobs renders a page of them). */
  protected readonly limit = signal(JOBS_SHOWN);
  protected readonly visible = computed(() => {
    const f = this.filter().trim().toLowerCase();
    const all = this.store.sorted();
    return f ? all.filter((j) => `${j.id} ${j.adapter_name} ${j.status}`.toLowerCase().includes(f)) : all;
  });
  protected readonly shown = computed(() => this.visible().slice(0, this.limit()));
  constructor() {
    this.store.start();
  }
}
