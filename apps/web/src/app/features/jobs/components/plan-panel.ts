import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Api } from '../../../core/api';
import { LiveRequest } from '../../../shared/live-request';
import type { Present, Schemas } from '../../../core/models';
import type { StartFineTuningJobRequest } from '../data/jobs.api';

/** POST /api/jobs/plan: the plan's parts are always sent (a part's own sub-parts may be absent). */
export type FineTuningPlan = Present<Schemas['PlanFineTuningJobResponse'], 'rows' | 'tokens' | 'steps' | 'memory' | 'duration'>;

/** How long the form must be still before a plan is asked for. */
export const PLAN_DEBOUNCE_MS = 150;

const GIB = 1024 ** 3;
const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;
const pct = (x: number) => `${Math.round(x * 100)}%`;
const count = (n: number) => n.toLocaleString('en-US');
function duration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * The pre-launch plan of the train form (POST /api/jobs/plan), asked for
 * again whenever the request changes (debounced): rows and split, rendered
 * sample rows, token lengths, steps, the memory bar against a GPU and the
 * duration estimate. `needsConfirmation()` is true while the plan says the
 * start cannot work and the user has not confirmed.
 */
@Component({
  selector: 'app-plan-panel',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card plan" aria-label="Plan" data-testid="plan">
      <h2>Plan <span class="muted" style="font-size: 13px">{{ status() }}</span></h2>
      @if (!request()) { <p class="muted">Choose a dataset, a prompt and a base model to see what the job will do.</p> }
      @if (error(); as e) { <p class="error" role="alert" data-testid="plan-error">The start would fail: {{ e }}</p> }
      @if (plan(); as p) {
        @for (b of p.blockers; track b) { <p class="error" data-testid="plan-blocker">⚠ {{ b }}</p> }
        @for (w of p.warnings; track w) { <p class="muted" data-testid="plan-warning">{{ w }}</p> }
        <div class="grid3">
          <div data-testid="plan-rows">
            <strong>Rows</strong>
            @if (p.rows.known) {
              <div>{{ count(p.rows.total) }} in the dataset, {{ count(p.rows.after_fraction) }} after the fraction</div>
              <div><b>{{ count(p.rows.train) }}</b> train · {{ count(p.rows.eval) }} eval ({{ p.rows.eval_split }} split)</div>
              @for (d of p.rows.dropped; track d.reason) { <div class="muted">{{ count(d.rows) }} {{ d.reason }}</div> }
            } @else { <div class="muted">{{ p.rows.unknown_reason }}</div> }
          </div>
          <div data-testid="plan-steps">
            <strong>Steps</strong>
            @if (p.steps.known) {
              <div><b>{{ count(p.steps.steps_per_epoch) }}</b> per epoch{{ p.steps.exact ? '' : ' (at most)' }}, {{ count(p.steps.total_steps) }} in all</div>
              <div class="muted">{{ p.steps.world_size }} process(es) × batch {{ p.steps.batch_size }} × accumulation {{ p.steps.gradient_accumulation }}{{ p.steps.packed ? ', packed' : '' }}</div>
            } @else { <div class="muted">{{ p.steps.unknown_reason }}</div> }
          </div>
          <div data-testid="plan-duration">
            <strong>Duration</strong>
            @if (p.duration.known) {
              <div><b>≈ {{ duration(p.duration.seconds) }}</b></div>
              <div class="muted">at {{ count(round(p.duration.tokens_per_second)) }} tokens/s recorded by {{ p.duration.based_on_jobs }} earlier job(s)</div>
            } @else { <div class="muted">unknown: {{ p.duration.unknown_reason }}</div> }
          </div>
        </div>
        <div data-testid="plan-tokens">
          <strong>Tokens</strong> (max length {{ p.max_seq_length }})
          @if (p.tokens.known) {
            <div>prompt p50 {{ p.tokens.prompt?.p50 }} · p90 {{ p.tokens.prompt?.p90 }} · p99 {{ p.tokens.prompt?.p99 }} · max {{ p.tokens.prompt?.max }};
              completion p50 {{ p.tokens.completion?.p50 }} · p90 {{ p.tokens.completion?.p90 }} · p99 {{ p.tokens.completion?.p99 }} · max {{ p.tokens.completion?.max }}</div>
            <div>{{ count(p.tokens.trained_tokens_per_epoch) }} tokens trained per epoch · {{ pct(p.tokens.truncated_share) }} truncated · completion cut in {{ pct(p.tokens.completion_cut_share) }}
              @if (p.tokens.sampled) { <span class="muted">(from {{ count(p.tokens.rows_measured) }} sampled rows)</span> }</div>
            <div class="histogram" aria-label="Length histogram" data-testid="plan-histogram">
              @for (b of p.tokens.histogram; track b.upper) {
                <div class="bar" [style.height.%]="barHeight(b.count)" [title]="'≤ ' + b.upper + ' tokens: ' + b.count + ' rows'" [class.over]="b.upper > p.max_seq_length"></div>
              }
            </div>
            <div class="muted" style="font-size: 12px">{{ p.tokens.tokenizer }}</div>
          } @else { <div class="muted" data-testid="plan-tokens-unknown">{{ p.tokens.unknown_reason }}</div> }
        </div>
        <div data-testid="plan-memory">
          <strong>GPU memory</strong>
          @if (p.memory.known) {
            <label>against <select name="plan-gpu" [ngModelOptions]="{ standalone: true }" [ngModel]="gpu()" (ngModelChange)="gpu.set($event)">
              @for (g of p.memory.gpus; track g.gpu) { <option [value]="g.gpu">{{ g.gpu }} ({{ gib(g.memory_bytes) }})</option> }
            </select></label>
            @if (selectedGpu(); as g) {
              <div class="progress membar" [class.over]="!g.fits"><div [style.width.%]="memoryShare(g.memory_bytes)"></div></div>
              <div data-testid="plan-memory-verdict"><b>{{ gib(p.memory.total_bytes) }}</b> of {{ gib(g.memory_bytes) }}: {{ g.fits ? 'fits' : 'does not fit' }}</div>
            }
            <div class="muted" style="font-size: 12px">weights {{ gib(p.memory.weights_bytes) }} ({{ p.memory.quantization === 'none' ? 'unquantized' : p.memory.quantization }}) ·
              LoRA {{ gib(p.memory.lora_bytes) }} ({{ count(p.memory.trainable_parameters) }} params) · activations {{ gib(p.memory.activations_bytes) }}{{ p.memory.gradient_checkpointing ? ' (checkpointed)' : '' }} ·
              logits {{ gib(p.memory.logits_bytes) }} · overhead {{ gib(p.memory.overhead_bytes) }}; {{ p.memory.shape_source }}</div>
            <details><summary class="muted">Formula</summary><p class="muted">{{ p.memory.formula }}</p></details>
          } @else { <div class="muted">unknown: {{ p.memory.unknown_reason }}</div> }
        </div>
        @if (p.sample_rows.length) {
          <details open data-testid="plan-samples"><summary>First rows as training sees them (prompt, <mark>trained completion</mark>)</summary>
            @for (r of p.sample_rows; track r.index) {
              <pre class="sample">{{ r.prompt }}<mark>{{ r.completion }}</mark></pre>
              @if (!r.completion_located) { <div class="muted">completion not found: the whole text is trained</div> }
            }
          </details>
        }
        @if (p.blockers.length) {
          <label class="confirm"><input type="checkbox" name="plan-confirm" [ngModelOptions]="{ standalone: true }" [ngModel]="confirmed()" (ngModelChange)="confirmed.set($event)" data-testid="plan-confirm" />
            Start anyway: I understand the plan says this job cannot produce a useful adapter</label>
        }
      }
    </section>
  `,
  styles: `
    .plan h2 { margin-top: 0; font-size: 16px; }
    .histogram { display: flex; align-items: flex-end; gap: 2px; height: 60px; margin: 6px 0; border-bottom: 1px solid var(--border); }
    .histogram .bar { flex: 1; background: var(--primary); min-height: 1px; }
    .histogram .bar.over { background: #c62828; }
    .membar { height: 12px; margin: 4px 0; }
    .membar.over > div { background: #c62828; }
    .sample mark { background: #e3f2fd; }
    .confirm { display: block; margin-top: 8px; color: #c62828; }
  `,
})
export class PlanPanel {
  private readonly api = inject(Api);
  /** The start request the form would send; null while it lacks a dataset, prompt or model. */
  readonly request = input<StartFineTuningJobRequest | null>(null);

  private readonly live = new LiveRequest<StartFineTuningJobRequest, FineTuningPlan>((req) => this.api.post<FineTuningPlan>('/jobs/plan', req), PLAN_DEBOUNCE_MS);
  protected readonly plan = this.live.result;
  protected readonly error = this.live.error;
  protected readonly loading = this.live.loading;
  protected readonly confirmed = signal(false);
  protected readonly gpu = signal('NVIDIA A100 80GB');

  protected readonly selectedGpu = computed(() => this.plan()?.memory.gpus.find((g) => g.gpu === this.gpu()) ?? this.plan()?.memory.gpus[0]);
  protected readonly status = computed(() => (this.loading() ? 'updating…' : this.plan() ? 'up to date' : ''));
  /** The plan says the start cannot work and the user has not confirmed. */
  readonly needsConfirmation = computed(() => !!this.plan()?.blockers.length && !this.confirmed());

  protected readonly count = count;
  protected readonly gib = gib;
  protected readonly pct = pct;
  protected readonly duration = duration;
  protected readonly round = Math.round;

  constructor() {
    effect(() => {
      const req = this.request();
      untracked(() => this.live.set(req));
    });
    // a new plan without blockers clears an earlier confirmation
    effect(() => {
      if (!this.plan()?.blockers.length) untracked(() => this.confirmed.set(false));
    });
  }

  protected barHeight(n: number): number {
    const max = Math.max(1, ...(this.plan()?.tokens.histogram.map((b) => b.count) ?? [1]));
    return (100 * n) / max;
  }

  protected memoryShare(gpuBytes: number): number {
    return Math.min(100, (100 * (this.plan()?.memory.total_bytes ?? 0)) / gpuBytes);
  }
}
