import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { Api } from '../../../core/api';
import { errorMessage } from '../../../core/api-error';
import { EntityNames } from '../../../core/entity-names';
import { ModelAdapters } from '../../../core/model-adapters';
import { DATASET_EVENTS, MODEL_EVENTS, livePagedList } from '../../../core/paged-list';
import { LiveEvents } from '../../../core/live-events';
import { Dataset, Model, Prompt, entityIdOf } from '../../../core/models';
import { EmptyState } from '../../../shared/empty-state';
import { JsonEditor, jsonError } from '../../../shared/json-editor';
import { StatusBadge } from '../../../shared/status-badge';
import { defaultGenerationConfig } from '../../evaluation/data/evaluation.api';
import { Comparison, ComparisonApi, outputCards, rowInput } from '../data/comparison';

/** Options per page of the model and dataset selects. */
const SELECT_PAGE = 100;

@Component({
  selector: 'app-comparison-page',
  imports: [FormsModule, JsonEditor, RouterLink, EmptyState, StatusBadge],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Compare adapters</h1>
    <p class="caption">Run one input through a base model and several of its adapters, and read the outputs side by side.</p>
    @if (models.loaded() && !models.items().length) {
      <app-empty text="No base models yet — add one first." link="/models" action="Add a base model" />
    }
    <form class="card" (ngSubmit)="submit()" style="max-width: 900px" data-testid="comparison-form">
      <label class="field"><span>Base model</span>
        <select name="model" [ngModel]="modelId()" (ngModelChange)="modelId.set($event); adapterIds.set([])">
          <option value="">— choose —</option>
          @for (m of models.items(); track m.id) { <option [value]="m.id">{{ m.name }}</option> }
        </select>
        @if (models.hasMore()) { <button type="button" class="link" (click)="models.more()" [disabled]="models.loading()" data-testid="more-models">more models…</button> }
      </label>
      @if (modelId()) {
        @if (adapters().length) {
          <fieldset class="field"><legend>Adapters</legend>
            @for (a of adapters(); track a.id) {
              <label class="chip"><input type="checkbox" [checked]="adapterIds().includes(a.id)" (change)="toggle(a.id)" [attr.data-adapter]="a.name" /> {{ a.name }}</label>
            }
          </fieldset>
        } @else {
          <p class="muted">No adapters for this model yet — <a routerLink="/jobs/train">train one first</a>. The base model alone can still be run.</p>
        }
      }
      <div class="grid2">
        <label class="field"><span>Take input from a dataset row</span>
          <select name="dataset" [ngModel]="datasetId()" (ngModelChange)="pickDataset($event)">
            <option value="">— none —</option>
            @for (d of datasets.items(); track d.id) { <option [value]="d.id">{{ d.name }}</option> }
          </select>
          @if (datasets.hasMore()) { <button type="button" class="link" (click)="datasets.more()" [disabled]="datasets.loading()" data-testid="more-datasets">more datasets…</button> }
        </label>
        @if (rows().length) {
          <label class="field"><span>Row</span>
            <select name="row" [ngModel]="-1" (ngModelChange)="pickRow(+$event)">
              <option [value]="-1">— choose a row —</option>
              @for (r of rows(); track $index) { <option [value]="$index">{{ $index + 1 }}: {{ preview(r) }}</option> }
            </select>
          </label>
        }
      </div>
      <label class="field"><span>Input text</span><textarea name="input" rows="5" aria-label="Input text" [(ngModel)]="inputText"></textarea></label>
      <details><summary>Generation config</summary><app-json-editor label="Generation config" [(value)]="genConfig" /></details>
      @if (error(); as e) { <p class="error" role="alert">{{ e }}</p> }
      <button type="submit" [disabled]="busy() || !!jsonError(genConfig())">Generate</button>
    </form>
    @if (comparison(); as c) {
      <h2>Outputs <app-status [status]="c.status" data-testid="comparison-status" /></h2>
      @if (c.status_message) { <p class="muted">{{ c.status_message }}</p> }
      <div class="outputs" data-testid="comparison-outputs">
        @for (o of cards(); track o.key) {
          <div class="card" data-testid="output-card">
            <h3>{{ o.title }}</h3>
            @if (o.output !== null) {
              <pre>{{ o.output }}</pre>
              <p class="muted">{{ o.latency_s !== undefined ? o.latency_s.toFixed(2) + ' s' : '' }}</p>
            } @else { <p class="muted">Waiting for output…</p> }
          </div>
        }
      </div>
    }
  `,
  styles: `.outputs { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px } pre { white-space: pre-wrap } fieldset { border: 0; padding: 0 } .chip { margin-right: 8px }`,
})
export default class ComparisonPage {
  // The selects' options: a first page of each list, more on demand; the chosen model's adapters; names by id. Not the whole catalog.
  protected readonly models = livePagedList<Model>({ path: '/models', key: 'models', pageSize: SELECT_PAGE }, MODEL_EVENTS);
  protected readonly datasets = livePagedList<Dataset>({ path: '/datasets', key: 'datasets', pageSize: SELECT_PAGE }, DATASET_EVENTS);
  private readonly modelAdapters = new ModelAdapters();
  private readonly names = inject(EntityNames);
  /** The chosen dataset's first prompt (its input template fills a row in), read when a dataset is chosen. */
  private prompt: Prompt | undefined;
  private readonly api = inject(Api);
  private readonly cmp = inject(ComparisonApi);
  protected readonly jsonError = jsonError;
  protected readonly modelId = signal('');
  protected readonly adapterIds = signal<string[]>([]);
  protected readonly datasetId = signal('');
  protected readonly rows = signal<Record<string, unknown>[]>([]);
  protected inputText = '';
  protected readonly genConfig = signal('');
  protected readonly comparison = signal<Comparison | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly adapters = computed(() => this.modelAdapters.of(this.modelId()));
  protected readonly cards = computed(() => { const c = this.comparison(); return c ? outputCards(c, this.names.of) : []; });

  constructor() {
    void defaultGenerationConfig(this.api).then((t) => this.genConfig.set(t));
    const off = inject(LiveEvents).subscribe((e) => {
      const c = this.comparison();
      if (c && e.stream_type === 'adapter_comparison' && entityIdOf(e) === c.id) void this.refetch(c.id);
    });
    inject(DestroyRef).onDestroy(() => void off());
  }

  protected toggle(id: string): void {
    const cur = this.adapterIds();
    this.adapterIds.set(cur.includes(id) ? cur.filter((x) => x !== id) : [...cur, id]);
  }
  protected preview(r: Record<string, unknown>) { return rowInput(r).slice(0, 60); }

  protected async pickDataset(id: string): Promise<void> {
    this.datasetId.set(id);
    this.rows.set([]);
    this.prompt = undefined;
    if (!id) return;
    try {
      const [rows, prompts] = await Promise.all([
        this.api.get<{ rows: Record<string, unknown>[] }>(`/datasets/${id}/rows`, { limit: 20 }),
        this.api.get<{ prompts?: Prompt[] }>('/prompts', { dataset_id: id, page_size: 1 }).catch(() => ({ prompts: [] as Prompt[] })),
      ]);
      if (id !== this.datasetId()) return;
      this.prompt = prompts.prompts?.[0];
      this.rows.set(rows.rows ?? []);
    } catch (e) { this.error.set(errorMessage(e)); }
  }
  protected pickRow(i: number): void {
    const r = this.rows()[i];
    if (!r) return;
    const prompt = this.prompt;
    this.inputText = rowInput(r, prompt?.input_template || prompt?.prompt_template);
  }

  private async refetch(id: string): Promise<void> {
    try { this.comparison.set(await this.cmp.get(id)); } catch (e) { console.warn('comparison refetch failed', e); }
  }

  async submit(): Promise<void> {
    this.error.set(null);
    if (!this.modelId()) { this.error.set('Choose a base model.'); return; }
    if (!this.inputText.trim()) { this.error.set('Enter an input text.'); return; }
    this.busy.set(true);
    try {
      const c = await this.cmp.start({ base_model_id: this.modelId(), adapter_ids: this.adapterIds(), input_text: this.inputText, generation_config: this.genConfig() });
      this.comparison.set(c);
      void this.refetch(c.id); // events may have arrived before the id was known
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
