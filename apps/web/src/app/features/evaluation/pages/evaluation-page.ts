import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { Api } from '../../../core/api';
import { errorMessage } from '../../../core/api-error';
import { EntityNames } from '../../../core/entity-names';
import { ModelAdapters } from '../../../core/model-adapters';
import { DATASET_EVENTS, MODEL_EVENTS, PROMPT_EVENTS, livePagedList } from '../../../core/paged-list';
import { fmtDate, shortId } from '../../../core/format';
import { Dataset, Model, Prompt, TERMINAL, featuresOf } from '../../../core/models';
import { EmptyState } from '../../../shared/empty-state';
import { JsonEditor, jsonError } from '../../../shared/json-editor';
import { StatusBadge } from '../../../shared/status-badge';
import { Combo, adaptersFor, addCombo, canAdd, comboErrors, emptyCombo, removeCombo, setAdapter, setModel } from '../data/combos';
import { EvaluationPlanPanel } from '../components/evaluation-plan-panel';
import { EvaluationApi, defaultGenerationConfig, type StartEvaluationRequest } from '../data/evaluation.api';
import { EvaluationStore } from '../data/evaluation.store';
import { runLabel } from '../data/results';

/** Options per page of the dataset, prompt and model selects. */
const SELECT_PAGE = 100;

@Component({
  selector: 'app-evaluation-page',
  imports: [FormsModule, JsonEditor, RouterLink, EmptyState, StatusBadge, EvaluationPlanPanel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Evaluation</h1>
    <p class="caption">Evaluate base models and adapters on the held-out rows of a dataset. One run per model &amp; adapter pair; results are compared side by side.</p>
    @if (datasets.loaded() && models.loaded() && anyPrompt() !== null && (!datasets.items().length || !models.items().length || !anyPrompt())) {
      <app-empty text="An evaluation needs a dataset, a prompt for it and a base model. Add them first." link="/datasets" action="Add a dataset" />
    }
    @if (models.loaded() && models.items().length && adapters.any() === false) {
      <p class="muted" data-testid="no-adapters">No adapters yet — <a routerLink="/jobs/train">train one first</a>, or evaluate a base model alone.</p>
    }
    <form class="card" (ngSubmit)="submit()" (input)="refreshPlan()" (change)="refreshPlan()" (click)="refreshPlan()" style="max-width: 900px" data-testid="evaluation-form">
      <div class="grid2">
        <label class="field"><span>Dataset</span>
          <select name="dataset" [ngModel]="datasetId()" (ngModelChange)="datasetId.set($event); promptId.set(''); features.set([])">
            <option value="">— choose —</option>
            @for (d of datasets.items(); track d.id) { <option [value]="d.id">{{ d.name }}</option> }
          </select>
          @if (datasets.hasMore()) { <button type="button" class="link" (click)="datasets.more()" [disabled]="datasets.loading()" data-testid="more-datasets">more datasets…</button> }
        </label>
        <label class="field"><span>Prompt</span>
          <select name="prompt" [ngModel]="promptId()" (ngModelChange)="promptId.set($event)" [disabled]="!datasetId()">
            <option value="">— choose —</option>
            @for (p of prompts.items(); track p.id) { <option [value]="p.id">{{ p.name }}</option> }
          </select>
          @if (prompts.hasMore()) { <button type="button" class="link" (click)="prompts.more()" [disabled]="prompts.loading()">more prompts…</button> }
          @if (datasetId() && prompts.loaded() && !prompts.items().length) { <span class="error">No prompts for this dataset. <a routerLink="/prompts/new">Create a prompt template</a>.</span> }
        </label>
      </div>
      <h3>Models to evaluate</h3>
      @for (c of combos(); track $index; let i = $index) {
        <div class="row combo" data-testid="combo-row">
          <label class="field"><span>Base model</span>
            <select [name]="'model' + i" [attr.name]="'model' + i" [ngModel]="c.base_model_id" (ngModelChange)="combos.set(setModel(combos(), i, $event))">
              <option value="">— choose —</option>
              @for (m of models.items(); track m.id) { <option [value]="m.id">{{ m.name }}</option> }
            </select>
            @if (models.hasMore() && $last) { <button type="button" class="link" (click)="models.more()" [disabled]="models.loading()" data-testid="more-models">more models…</button> }
          </label>
          <label class="field"><span>Adapter</span>
            <select [name]="'adapter' + i" [attr.name]="'adapter' + i" [ngModel]="c.adapter_id" (ngModelChange)="combos.set(setAdapter(combos(), i, $event))" [disabled]="!c.base_model_id">
              <option value="">Base model only</option>
              @for (a of adaptersOf(c); track a.id) { <option [value]="a.id">{{ a.name }}</option> }
            </select>
          </label>
          <button type="button" class="secondary" (click)="combos.set(removeCombo(combos(), i))" [disabled]="combos().length <= 1">Remove</button>
        </div>
      }
      <button type="button" class="secondary" (click)="combos.set(addCombo(combos()))" [disabled]="!canAdd(combos())">Add another model &amp; adapter</button>
      @if (featureList().length) {
        <fieldset class="field"><legend>Extra columns in the results</legend>
          @for (f of featureList(); track f) {
            <label class="chip"><input type="checkbox" [checked]="features().includes(f)" (change)="toggleFeature(f)" /> {{ f }}</label>
          }
        </fieldset>
      }
      <div class="grid3">
        <label class="field"><span>Evaluation dataset fraction: {{ fraction }}</span><input type="range" name="fraction" min="0.05" max="1" step="0.05" [(ngModel)]="fraction" /></label>
        <label class="field"><span>CPU</span><input type="number" name="cpu" min="1" [(ngModel)]="cpu" /></label>
        <label class="field"><span>Memory (GiB)</span><input type="number" name="memory" min="1" [(ngModel)]="memory" /></label>
        <label class="field"><span>GPU</span><input type="number" name="gpu" min="0" [(ngModel)]="gpu" /></label>
      </div>
      <details><summary>Generation config</summary><app-json-editor label="Generation config" [(value)]="genConfig" /></details>
      <app-evaluation-plan-panel [request]="planRequest()" />
      @for (m of problems(); track m) { <p class="error" role="alert">{{ m }}</p> }
      @if (error(); as e) { <p class="error" role="alert">Failed to start the evaluation: {{ e }}</p> }
      <button type="submit" [disabled]="busy() || !!jsonError(genConfig())">Start evaluation</button>
    </form>

    <h2>Evaluation runs</h2>
    @if (store.error(); as e) { <p class="error">{{ e }}</p> }
    @if (store.loaded() && !store.groups().length) {
      <app-empty text="No evaluations yet. Fill in the form above and start one." />
    } @else {
      <table data-testid="evaluation-runs">
        <thead><tr><th>Evaluation</th><th>Status</th><th>Model &amp; adapter</th><th>Dataset</th><th>Created</th><th>Message</th><th></th></tr></thead>
        <tbody>
          @for (g of store.groups(); track g.parent) {
            @for (j of g.jobs; track j.id; let first = $first) {
              <tr [attr.data-job-id]="j.id" [attr.data-parent-id]="g.parent">
                @if (first) {
                  <td [attr.rowspan]="g.jobs.length"><a [routerLink]="['/evaluation', g.parent]">{{ shortId(g.parent) }}</a>
                    <!-- the overall status only where it sums up several runs; a single run's status is on its row -->
                    @if (g.jobs.length > 1) { <app-status [status]="g.status" /> }</td>
                }
                <td><app-status [status]="j.status" /></td>
                <td>{{ label(j) }}</td>
                <td>{{ names.name('datasets', j.dataset_id) }}</td>
                <td>{{ fmtDate(j.created_at) }}</td>
                <td class="muted msg" [title]="j.status_message ?? ''">{{ j.status_message }}</td>
                <td>@if (!isDone(j.status)) { <button type="button" class="secondary" (click)="cancel(j.id)">Cancel</button> }</td>
              </tr>
            }
          }
        </tbody>
      </table>
    }
  `,
  styles: `.msg { max-width: 320px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap } .combo { align-items: flex-end; gap: 12px } .combo .field { flex: 1 } fieldset { border: 0; padding: 0 } .chip { margin-right: 8px }`,
})
export default class EvaluationPage {
  // The selects' options: a first page of each list, more on demand; prompts of the chosen dataset and adapters of the chosen
  // models only; the runs' names read by id. Not the whole catalog.
  protected readonly datasets = livePagedList<Dataset>({ path: '/datasets', key: 'datasets', pageSize: SELECT_PAGE }, DATASET_EVENTS);
  protected readonly models = livePagedList<Model>({ path: '/models', key: 'models', pageSize: SELECT_PAGE }, MODEL_EVENTS);
  protected readonly prompts = livePagedList<Prompt>({ path: '/prompts', key: 'prompts', pageSize: SELECT_PAGE, params: { dataset_id: '' } }, PROMPT_EVENTS);
  protected readonly adapters = new ModelAdapters();
  protected readonly names = inject(EntityNames);
  /** Whether any prompt exists (one row read), for the "add them first" hint. */
  protected readonly anyPrompt = signal<boolean | null>(null);
  protected readonly store = inject(EvaluationStore);
  private readonly evals = inject(EvaluationApi);
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  protected readonly setModel = (l: Combo[], i: number, m: string) => setModel(l, i, m, this.adapters.of(m));
  protected readonly setAdapter = setAdapter;
  protected readonly addCombo = addCombo;
  protected readonly removeCombo = removeCombo;
  protected readonly canAdd = canAdd;
  protected readonly jsonError = jsonError;
  protected readonly shortId = shortId;
  protected readonly fmtDate = fmtDate;

  protected readonly datasetId = signal('');
  protected readonly promptId = signal('');
  protected readonly combos = signal<Combo[]>([emptyCombo()]);
  protected readonly features = signal<string[]>([]);
  protected readonly genConfig = signal('');
  protected fraction = 1;
  protected cpu = 2;
  protected memory = 8;
  protected gpu = 1;
  protected readonly error = signal<string | null>(null);
  protected readonly problems = signal<string[]>([]);
  /** What the plan panel plans: the start request, once dataset, prompt and a model are chosen. */
  protected readonly planRequest = signal<StartEvaluationRequest | null>(null);
  protected readonly busy = signal(false);
  protected readonly featureList = computed(() => featuresOf(this.datasets.items().find((d) => d.id === this.datasetId())));

  constructor() {
    this.store.start();
    effect(() => void this.prompts.setParams({ dataset_id: this.datasetId() }));
    void this.api.get<{ prompts?: Prompt[] }>('/prompts', { page_size: 1 }).then((r) => this.anyPrompt.set(!!r.prompts?.length)).catch(() => this.anyPrompt.set(null));
    void defaultGenerationConfig(this.api).then((t) => this.genConfig.set(t));
  }

  protected adaptersOf(c: Combo) { return adaptersFor(this.adapters.of(c.base_model_id), c.base_model_id); }
  protected label(j: { base_model_id: string; adapter_id?: string }) { return runLabel(j, this.names.of); }
  protected isDone(s: string) { return TERMINAL.includes(s); }
  protected toggleFeature(f: string): void {
    const cur = this.features();
    this.features.set(cur.includes(f) ? cur.filter((x) => x !== f) : [...cur, f]);
  }

  protected async cancel(id: string): Promise<void> {
    try { await this.evals.cancel(id); } catch (e) { this.error.set(errorMessage(e)); }
  }

  private request(): StartEvaluationRequest {
    return {
      type: 'mlflow', model_adapter_combinations: this.combos(), dataset_id: this.datasetId(), prompt_id: this.promptId(),
      cpu: Number(this.cpu), gpu: Number(this.gpu), memory: Number(this.memory), generation_config: this.genConfig(),
      selected_features: this.features(), eval_dataset_fraction: Number(this.fraction),
    };
  }

  /** On every input, change and click in the form: the plan follows it (the panel debounces). */
  protected refreshPlan(): void {
    const ready = this.datasetId() && this.promptId() && this.combos().some((c) => c.base_model_id);
    const next = ready ? { ...this.request(), model_adapter_combinations: this.combos().filter((c) => c.base_model_id) } : null;
    if (JSON.stringify(next) !== JSON.stringify(this.planRequest())) this.planRequest.set(next);
  }

  async submit(): Promise<void> {
    this.error.set(null);
    const errs = comboErrors(this.combos());
    if (!this.datasetId()) errs.unshift('Choose a dataset.');
    else if (!this.promptId()) errs.unshift('Choose a prompt.');
    this.problems.set(errs);
    if (errs.length || jsonError(this.genConfig())) return;
    this.busy.set(true);
    try {
      const r = await this.evals.start(this.request());
      await this.store.refresh();
      const parent = r.evaluation_job?.parent_job_id || r.evaluation_job?.id;
      if (parent) await this.router.navigate(['/evaluation', parent]);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
