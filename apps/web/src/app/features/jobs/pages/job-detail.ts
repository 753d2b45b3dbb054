import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, effect, inject, input, signal, viewChild } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { API_BASE } from '../../../core/api';
import { errorMessage } from '../../../core/api-error';
import { EntityNames } from '../../../core/entity-names';
import { fmtDate, fmtDuration, fmtNumber, prettyJson } from '../../../core/format';
import { LiveEvents } from '../../../core/live-events';
import { JobCheckpoint, MetricPoint, TERMINAL, entityIdOf } from '../../../core/models';
import { StatusBadge } from '../../../shared/status-badge';
import { MetricChart, Series } from '../components/metric-chart';
import { pointsFromEvent } from '../data/job-events';
import { LogBuffer } from '../data/log-buffer';
import { JobsApi } from '../data/jobs.api';
import { JobsStore } from '../data/jobs.store';

const MAX_LOG_LINES = 2000;
/** Lines of the log shown in a failed job's error box. */
const FAILURE_LINES = 12;

@Component({
  selector: 'app-job-detail',
  imports: [RouterLink, StatusBadge, MetricChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p><a routerLink="/jobs">← Training jobs</a></p>
    @if (job(); as j) {
      <div class="row" style="justify-content:space-between">
        <h1 [attr.data-job-id]="j.id">{{ j.adapter_name }} <app-status [status]="j.status" data-testid="job-status" /></h1>
        <div class="row">
          <a class="btn secondary" [routerLink]="['/jobs/train']" [queryParams]="{ from: j.id }">Run again with the same settings</a>
          @if (resumable()) {
            <button (click)="resume()" [disabled]="busy() || !checkpoints().length" data-testid="resume"
              [attr.title]="checkpoints().length ? null : 'This job saved no checkpoint, so there is nothing to resume from.'">
              Resume from checkpoint</button>
          }
          @if (!terminal()) {
            <button class="danger" (click)="cancel()" [disabled]="j.status === 'cancelling' || busy()">Cancel job</button>
          }
          <button class="danger" (click)="remove()" [disabled]="busy()">Delete job</button>
        </div>
      </div>
      <p class="caption muted mono">{{ j.id }} · {{ j.status_message }}</p>
      @if (j.status === 'failed') {
        <div class="error-box" role="alert" data-testid="failure">
          <strong>This job failed: {{ j.status_message || 'no reason was recorded.' }}</strong>
          @if (lastLines().length) { <span>Last lines of its log:</span><pre>{{ lastLines().join('\n') }}</pre> }
        </div>
      }
      @if (j.status === 'retrying') {
        <div class="card" role="status" data-testid="retrying">
          <strong>Retrying (attempt {{ j.attempt || 1 }} of {{ maxAttempts() }}):</strong> {{ j.status_message }}
        </div>
      }
      @if (j.cluster_job_id || j.runner === 'slurm') {
        <div class="card" data-testid="cluster-placement">
          <strong>Slurm</strong> · job <span class="mono" data-testid="slurm-job-id">{{ j.cluster_job_id || 'not submitted yet' }}</span>
          · nodes <span class="mono" data-testid="slurm-nodes">{{ j.cluster_nodes || 'none allocated yet' }}</span>
          @if (j.time_limit) { · time limit <span class="mono">{{ j.time_limit }}</span> }
          @if (j.status === 'scheduling') { <p class="muted" data-testid="slurm-pending">{{ j.status_message }}</p> }
        </div>
      }
      @if (error(); as e) { <p class="error" role="alert" data-testid="action-error">{{ e }}</p> }
      <div class="card">
        <div class="row" style="justify-content:space-between">
          <strong>Progress</strong>
          <span data-testid="progress-text">{{ progressText() }}</span>
        </div>
        <div class="progress"><div [style.width.%]="progress() * 100"></div></div>
      </div>
      <div class="grid2">
        <div class="card"><h2>Loss</h2>
          @if (points().length) {
            <app-metric-chart title="Training and evaluation loss" [series]="lossSeries" [points]="points()" data-testid="loss-chart" />
          } @else { <p class="muted">No metrics yet. They appear here once the job starts training.</p> }
        </div>
        <div class="card"><h2>Learning rate</h2>
          @if (points().length) {
            <app-metric-chart title="Learning rate" [series]="lrSeries" [points]="points()" />
          } @else { <p class="muted">Waiting for the first step.</p> }
        </div>
      </div>
      <div class="card" data-testid="checkpoints">
        <div class="row" style="justify-content:space-between">
          <h2>Checkpoints</h2>
          <span data-testid="attempts">Attempt {{ j.attempt || 1 }} of {{ maxAttempts() }} ·
            {{ j.checkpoint_every_steps ? 'a checkpoint every ' + j.checkpoint_every_steps + ' steps' : 'a checkpoint per epoch' }}
            @if (j.early_stopping_patience) { · early stopping after {{ j.early_stopping_patience }} evaluations without improvement }</span>
        </div>
        @if (checkpoints().length) {
          <table data-testid="checkpoints">
            <tr><th>Step</th><th>Epoch</th><th>Loss</th><th>Eval loss</th><th>Attempt</th><th>Folder</th>@if (resumable()) {<th></th>}</tr>
            @for (c of checkpoints(); track c.attempt + ':' + c.step) {
              <tr data-testid="checkpoint-row" [class.best]="c.step === j.best_checkpoint_step">
                <td>{{ c.step }}@if (c.step === j.best_checkpoint_step) { <strong data-testid="best-checkpoint"> · the adapter</strong> }</td><td>{{ num(c.epoch) }}</td><td>{{ num(c.loss) }}</td><td>{{ num(c.eval_loss) }}</td>
                <td>{{ c.attempt }}</td><td class="mono">{{ c.path }}</td>
                @if (resumable()) { <td><button class="secondary" (click)="resume(c.step)" [disabled]="busy()">Resume from here</button></td> }
              </tr>
            }
          </table>
        } @else {
          <p class="muted">No checkpoint yet. A run that dies for a reason outside your control is retried from the newest one.</p>
        }
      </div>
      <div class="card">
        <div class="row" style="justify-content:space-between"><h2>Log</h2>
          <label class="row"><input type="checkbox" [checked]="follow()" (change)="follow.set(!follow())" /> follow</label></div>
        <pre #logBox class="log" data-testid="log">{{ logText() }}</pre>
      </div>
      <div class="grid2">
        <div class="card">
          <h2>Run</h2>
          <table data-testid="run-settings">
            <tr><th>Base model</th><td>{{ names.name('models', j.base_model_id) }}</td></tr>
            <tr><th>Dataset</th><td>{{ names.name('datasets', j.dataset_id) }}</td></tr>
            <tr><th>Prompt</th><td>{{ names.name('prompts', j.prompt_id) }}</td></tr>
            <tr><th>Adapter</th><td>{{ j.adapter_id ? names.name('adapters', j.adapter_id) : '—' }}</td></tr>
            <tr><th>Epochs / learning rate</th><td>{{ j.num_epochs }} / {{ num(j.learning_rate) }}</td></tr>
            <tr><th>CPU / memory / GPU</th><td>{{ j.num_cpu }} / {{ j.num_memory }} GiB / {{ j.num_gpu }}</td></tr>
            <tr><th>Workers</th><td>{{ j.num_workers }}</td></tr>
            <tr><th>Fraction / split</th><td>{{ num(j.dataset_fraction) }} / {{ num(j.train_test_split) }}</td></tr>
            <tr><th>Output</th><td class="mono">{{ j.out_dir }}</td></tr>
            <tr><th>Created / updated</th><td>{{ date(j.created_at) }} / {{ date(j.updated_at) }}</td></tr>
          </table>
        </div>
        <div class="card">
          <h2>Configuration</h2>
          <details open><summary>LoRA</summary><pre>{{ pretty(j.lora_config) }}</pre></details>
          <details><summary>Training arguments</summary><pre>{{ pretty(j.training_arguments_config) }}</pre></details>
          <details><summary>BitsAndBytes (model)</summary><pre>{{ pretty(j.model_bnb_config) }}</pre></details>
          <details><summary>BitsAndBytes (adapter)</summary><pre>{{ pretty(j.adapter_bnb_config) }}</pre></details>
        </div>
      </div>
    } @else if (error(); as e) {
      <p class="error">{{ e }}</p>
    } @else {
      <p class="muted">Loading…</p>
    }
  `,
  styles: `.log { height: 260px; max-height: 260px; background: #10171d; color: #d5e1e8; }`,
})
export default class JobDetail {
  readonly id = input.required<string>();
  // The job's model, dataset, prompt and adapter names, read by id (not the whole catalog).
  protected readonly names = inject(EntityNames);
  private readonly store = inject(JobsStore);
  private readonly api = inject(JobsApi);
  private readonly live = inject(LiveEvents);
  protected readonly points = signal<MetricPoint[]>([]);
  protected readonly checkpoints = signal<JobCheckpoint[]>([]);
  protected readonly lines = signal<string[]>([]);
  protected readonly follow = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly lossSeries: Series[] = [
    { key: 'loss', label: 'loss', color: '#1e88e5' },
    { key: 'eval_loss', label: 'eval_loss', color: '#e53935' },
  ];
  protected readonly lrSeries: Series[] = [{ key: 'learning_rate', label: 'learning_rate', color: '#43a047' }];
  protected readonly date = fmtDate;
  protected readonly pretty = prettyJson;
  protected readonly num = fmtNumber;
  private readonly router = inject(Router);
  private readonly log = new LogBuffer(MAX_LOG_LINES);
  private readonly logBox = viewChild<ElementRef<HTMLPreElement>>('logBox');

  protected readonly job = computed(() => this.store.jobs().find((j) => j.id === this.id()));
  protected readonly terminal = computed(() => TERMINAL.includes(this.job()?.status ?? ''));
  protected readonly resumable = computed(() => ['failed', 'cancelled'].includes(this.job()?.status ?? ''));
  protected readonly maxAttempts = computed(() => this.job()?.max_attempts || 3);
  protected readonly logText = computed(() => this.lines().join('\n'));
  protected readonly lastLines = computed(() => this.lines().slice(-FAILURE_LINES));
  protected readonly progress = computed(() => {
    const last = this.points().at(-1);
    if (this.job()?.status === 'succeeded') return 1;
    return last?.total_steps ? Math.min(1, last.step / last.total_steps) : 0;
  });
  protected readonly progressText = computed(() => {
    const pts = this.points();
    const last = pts.at(-1);
    if (!last) return this.job()?.status === 'succeeded' ? '100%' : 'not started';
    const pct = Math.round(this.progress() * 100);
    let eta = '';
    if (last.total_steps && pts.length > 1 && !this.terminal()) {
      const first = pts[0];
      const secs = (Date.parse(last.at) - Date.parse(first.at)) / 1000;
      const rate = (last.step - first.step) / secs;
      if (rate > 0) eta = ` · ETA ${fmtDuration((last.total_steps - last.step) / rate)}`;
    }
    return `step ${last.step}${last.total_steps ? ' / ' + last.total_steps : ''} · ${pct}%${eta}`;
  });

  constructor() {
    const destroy = inject(DestroyRef);
    // This job only: read by id below, kept current by its live events (the store applies them); not the whole jobs list.
    this.store.watch();
    let logSource: EventSource | undefined;
    // Read at the stream's head (LiveEvents.readAtHead): once, not before the head and again at it (the metrics are large).
    let cancelRead: (() => void) | undefined;
    effect(() => {
      const id = this.id();
      cancelRead?.();
      cancelRead = this.live.readAtHead(() => void this.load(id));
      logSource?.close();
      this.lines.set(this.log.reset());
      if (typeof EventSource !== 'undefined') {
        // The stream is the log's only source: its first chunk on every (re)connect is the tail, which
        // replaces what is shown; later chunks are new lines. The server ends the stream once the run has
        // ended and everything is read; EventSource would then reconnect and send the tail again.
        const source = new EventSource(`${API_BASE}/jobs/${id}/logs/stream?tail_lines=${MAX_LOG_LINES}`);
        logSource = source;
        source.onopen = () => this.log.connected();
        source.addEventListener('log', (m) => {
          const d = JSON.parse((m as MessageEvent).data) as { lines?: string[] };
          this.lines.set(this.log.chunk(d.lines ?? []));
        });
        source.onerror = () => {
          if (this.terminal()) source.close();
        };
      }
    });
    const off = this.live.subscribe((e) => {
      if (e.stream_type !== 'fine_tuning_job' || entityIdOf(e) !== this.id()) return;
      if (e.type === 'JobCheckpointRecorded') void this.loadCheckpoints(this.id());
      if (e.type === 'JobProgressRecorded') {
        const add = pointsFromEvent(e);
        const seen = new Set(this.points().map((p) => p.step));
        this.points.set([...this.points(), ...add.filter((p) => !seen.has(p.step))]);
      }
    });
    effect(() => {
      this.logText();
      const box = this.logBox()?.nativeElement;
      if (box && this.follow()) queueMicrotask(() => (box.scrollTop = box.scrollHeight));
    });
    destroy.onDestroy(() => {
      off();
      cancelRead?.();
      logSource?.close();
    });
  }

  /** The job, its metrics and its checkpoints, each shown as it arrives: the job's settings need not wait for a long run's metrics. */
  private async load(id: string): Promise<void> {
    try {
      await Promise.all([
        this.api.get(id).then((job) => this.store.upsert(job)),
        this.api.metrics(id).then((points) => {
          const live = this.points();
          const seen = new Set(points.map((p) => p.step));
          this.points.set([...points, ...live.filter((p) => !seen.has(p.step))].sort((a, b) => a.step - b.step));
        }),
        this.api.checkpoints(id).then((checkpoints) => this.checkpoints.set(checkpoints)),
      ]);
      this.error.set(null);
    } catch (e) {
      this.error.set(errorMessage(e));
    }
  }

  private async loadCheckpoints(id: string): Promise<void> {
    try {
      this.checkpoints.set(await this.api.checkpoints(id));
    } catch (e) {
      this.error.set(`Could not read the checkpoints: ${errorMessage(e)}`);
    }
  }

  /** Runs the job again under the same id, from the newest checkpoint or the one at `step`. */
  async resume(step?: number): Promise<void> {
    this.busy.set(true);
    try {
      this.store.upsert(await this.api.resume(this.id(), step));
      this.error.set(null);
    } catch (e) {
      this.error.set(`Could not resume the job: ${errorMessage(e)}`);
    } finally {
      this.busy.set(false);
    }
  }

  async remove(): Promise<void> {
    const j = this.job();
    if (!j || !confirm(`Delete the training job "${j.adapter_name}"? Its adapter, if registered, is kept.`)) return;
    const deleteFiles = confirm(
      'Also delete its files (run folders with their checkpoints, and its adapter folder)? Only folders inside the project ' +
        'that no adapter, model or dataset uses are deleted. Cancel keeps the files.',
    );
    this.busy.set(true);
    try {
      await this.api.remove(j.id, deleteFiles);
      this.store.drop(j.id);
      await this.router.navigate(['/jobs']);
    } catch (e) {
      this.error.set(`Could not delete the job: ${errorMessage(e)}`);
    } finally {
      this.busy.set(false);
    }
  }

  async cancel(): Promise<void> {
    this.busy.set(true);
    try {
      this.store.upsert(await this.api.cancel(this.id()));
      this.error.set(null);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
