import { ChangeDetectionStrategy, Component, effect, inject, input, untracked } from '@angular/core';
import { Api } from '../../../core/api';
import { EntityNames } from '../../../core/entity-names';
import { LiveRequest } from '../../../shared/live-request';
import type { Present, Schemas } from '../../../core/models';
import type { StartEvaluationRequest } from '../data/evaluation.api';

/** POST /api/jobs/plan-evaluation; each run's rows are always sent. */
type EvaluationPlan = Omit<Schemas['PlanEvaluationJobResponse'], 'runs'> & { runs: Present<Schemas['PlanEvaluationRun'], 'rows'>[] };

/**
 * The evaluation form's live plan (POST /api/jobs/plan-evaluation): per
 * model/adapter, the held-out rows of the split the adapter was trained with
 * that will be evaluated, and the first ones as the model will see them.
 */
@Component({
  selector: 'app-evaluation-plan-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-label="Evaluation plan" data-testid="evaluation-plan">
      <h3>Plan <span class="muted" style="font-size: 13px">{{ live.loading() ? 'updating…' : '' }}</span></h3>
      @if (!request()) { <p class="muted">Choose a dataset, a prompt and a model to see which rows will be evaluated.</p> }
      @if (live.error(); as e) { <p class="error" role="alert">The start would fail: {{ e }}</p> }
      @if (live.result(); as p) {
        @for (b of p.blockers; track b) { <p class="error" data-testid="evaluation-plan-blocker">⚠ {{ b }}</p> }
        @for (w of p.warnings; track w) { <p class="muted">{{ w }}</p> }
        @for (r of p.runs; track $index) {
          <div data-testid="evaluation-plan-run">
            <strong>{{ names.name('models', r.base_model_id) }}{{ r.adapter_id ? ' + ' + names.name('adapters', r.adapter_id) : '' }}</strong>:
            @if (r.rows.known) {
              <b>{{ r.evaluated }}</b> of {{ r.rows.eval }} held-out rows ({{ r.rows.eval_split }} split of {{ r.rows.total }}, fraction {{ r.dataset_fraction }}, split {{ r.train_test_split }})
            } @else { <span class="muted">{{ r.rows.unknown_reason }}</span> }
          </div>
        }
        @if (p.runs[0]?.sample_rows?.length) {
          <details><summary>First rows (model input → expected output)</summary>
            @for (s of p.runs[0].sample_rows; track s.index) { <pre>{{ s.input }}<mark>{{ s.expected }}</mark></pre> }
          </details>
        }
      }
    </section>
  `,
})
export class EvaluationPlanPanel {
  private readonly api = inject(Api);
  protected readonly names = inject(EntityNames);
  /** The start request the form would send; null while it lacks a dataset, prompt or model. */
  readonly request = input<StartEvaluationRequest | null>(null);
  protected readonly live = new LiveRequest<StartEvaluationRequest, EvaluationPlan>((req) => this.api.post<EvaluationPlan>('/jobs/plan-evaluation', req), 150);

  constructor() {
    effect(() => {
      const req = this.request();
      untracked(() => this.live.set(req));
    });
  }
}
