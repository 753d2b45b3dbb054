import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { errorMessage } from '../../../core/api-error';
import { EntityNames } from '../../../core/entity-names';
import { shortId } from '../../../core/format';
import { LiveEvents } from '../../../core/live-events';
import { EvalRun } from '../../../core/models';
import { StatusBadge } from '../../../shared/status-badge';
import { MetricBars } from '../components/metric-bars';
import { EvaluationApi } from '../data/evaluation.api';
import { EvaluationStore } from '../data/evaluation.store';
import { LATENCY_METRICS, SCORE_METRICS, aggregateRows, hasMetrics, chartData, flatRows, fmtMetric, groupStatus, runLabel } from '../data/results';

@Component({
  selector: 'app-evaluation-results',
  imports: [RouterLink, StatusBadge, MetricBars],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p><a routerLink="/evaluation">← Evaluation</a></p>
    <div class="row" style="justify-content:space-between">
      <h1>Evaluation {{ shortId(id()) }} @if (jobs().length) { <app-status [status]="status()" data-testid="evaluation-status" /> }</h1>
      @if (jobs().length) { <button class="danger" (click)="remove()" [disabled]="busy()">Delete evaluation</button> }
    </div>
    @if (jobs()[0]; as j) { <p class="caption">Dataset: {{ names.name('datasets', j.dataset_id) }} · Prompt: {{ names.name('prompts', j.prompt_id) }}</p> }
    <div class="row" style="gap:8px; flex-wrap: wrap">
      @for (j of jobs(); track j.id) { <span class="chip" [attr.data-job-id]="j.id">{{ label(j) }} <app-status [status]="j.status" /></span> }
    </div>
    @for (j of failed(); track j.id) {
      <div class="error-box" role="alert" data-testid="failure" [attr.data-job-id]="j.id">
        <strong>{{ label(j) }} failed: {{ j.status_message || 'no reason was recorded.' }}</strong>
        @if (tails()[j.id]?.length) { <span>Last lines of its log:</span><pre>{{ tails()[j.id].join('\n') }}</pre> }
      </div>
    }
    @if (error(); as e) { <p class="error" role="alert">{{ e }}</p> }
    @if (!withAggregate().length && !failed().length) {
      <p class="muted" data-testid="no-results">Evaluation report not available yet. Results appear here when a run finishes.</p>
    } @else if (withAggregate().length) {
      <h2>Aggregated results</h2>
      <table data-testid="aggregate-table">
        <thead><tr><th>Model &amp; adapter</th><th>Status</th><th>Rows</th>
          @for (m of metrics; track m) { <th>{{ m }}</th> }
        </tr></thead>
        <tbody>
          @for (r of aggregate(); track r.id) {
            <tr [attr.data-run-id]="r.id">
              <td>{{ r.label }}</td><td><app-status [status]="r.status" /></td><td>{{ r.rows ?? '—' }}</td>
              @for (m of metrics; track m) { <td>{{ fmt(r.values[m]) }}</td> }
            </tr>
          }
        </tbody>
      </table>
      <div class="card" data-testid="metrics-chart"><app-metric-bars [data]="chart()" /></div>
      <h2>Row-wise results</h2>
      <table data-testid="rows-table">
        <thead><tr><th>Model &amp; adapter</th><th>Input</th><th>Expected</th><th>Output</th><th>exact_match</th><th>rouge1</th><th>rougeL</th><th>bleu</th><th>latency (s)</th></tr></thead>
        <tbody>
          @for (r of rows(); track $index) {
            <tr><td>{{ r.run }}</td><td class="pre">{{ r.input }}</td><td class="pre">{{ r.expected }}</td><td class="pre">{{ r.output }}</td>
              <td>{{ fmt(r.exact_match) }}</td><td>{{ fmt(r.rouge1) }}</td><td>{{ fmt(r.rougeL) }}</td><td>{{ fmt(r.bleu) }}</td><td>{{ fmt(r.latency_s) }}</td></tr>
          }
        </tbody>
      </table>
    }
  `,
  styles: `.pre { white-space: pre-wrap; max-width: 320px; font-family: var(--mono); font-size: 12px }`,
})
export default class EvaluationResults {
  readonly id = input.required<string>();
  // Names of the evaluation's dataset, prompt, models and adapters, read by id (not the whole catalog).
  protected readonly names = inject(EntityNames);
  protected readonly store = inject(EvaluationStore);
  private readonly api = inject(EvaluationApi);
  protected readonly runs = signal<EvalRun[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly metrics = [...SCORE_METRICS, ...LATENCY_METRICS];
  protected readonly shortId = shortId;
  protected readonly fmt = fmtMetric;
  private readonly name = this.names.of;
  protected readonly jobs = computed(() => this.store.jobs().filter((j) => j.parent_job_id === this.id() || j.id === this.id()));
  protected readonly status = computed(() => groupStatus(this.jobs()));
  protected readonly withAggregate = computed(() => this.runs().filter(hasMetrics));
  protected readonly aggregate = computed(() => aggregateRows(this.withAggregate(), this.name));
  protected readonly chart = computed(() => chartData(this.withAggregate(), this.name));
  protected readonly rows = computed(() => flatRows(this.runs(), this.name));
  protected readonly failed = computed(() => this.jobs().filter((j) => j.status === 'failed'));
  /** Last log lines of each failed job, by job id. */
  protected readonly tails = signal<Record<string, string[]>>({});
  protected readonly busy = signal(false);
  private readonly router = inject(Router);

  constructor() {
    this.store.start();
    // Refetch results on load, and whenever one of this evaluation's jobs records a result or finishes.
    effect(() => {
      const e = this.store.lastEvent();
      const id = this.id();
      const mine = !e || this.jobs().some((j) => j.id === e.data?.['id'] || e.stream_id.endsWith(j.id)) || e.data?.['parent_job_id'] === id;
      if (mine) void this.load(id);
    });
    // Results read before the stream reached its head are read again at the head.
    const offHead = inject(LiveEvents).whenAtHead(() => void this.load(this.id()));
    inject(DestroyRef).onDestroy(offHead);
    effect(() => {
      for (const j of this.failed()) if (!(j.id in this.tails())) void this.loadTail(j.id);
    });
  }

  private async loadTail(id: string): Promise<void> {
    this.tails.set({ ...this.tails(), [id]: [] });
    try {
      const lines = await this.api.logTail(id);
      this.tails.set({ ...this.tails(), [id]: lines });
    } catch {
      /* the reason above still says why; the log is optional */
    }
  }

  async remove(): Promise<void> {
    const jobs = this.jobs();
    if (!confirm(`Delete this evaluation (${jobs.length} run${jobs.length === 1 ? '' : 's'}) and its results?`)) return;
    this.busy.set(true);
    try {
      for (const j of jobs) await this.api.remove(j.id);
      await this.store.refresh();
      await this.router.navigate(['/evaluation']);
    } catch (e) {
      this.error.set(`Could not delete the evaluation: ${errorMessage(e)}`);
      await this.store.refresh();
    } finally {
      this.busy.set(false);
    }
  }

  protected label(j: { base_model_id: string; adapter_id?: string }) { return runLabel(j, this.name); }

  private async load(id: string): Promise<void> {
    try {
      this.runs.set(await this.api.results(id));
      this.error.set(null);
    } catch (e) {
      if ((e as { status?: number }).status !== 404) this.error.set(errorMessage(e));
    }
  }
}
