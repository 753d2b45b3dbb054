import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { Api, uuid } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { DATASET_EVENTS, livePagedList } from '../../core/paged-list';
import { Dataset, featuresOf } from '../../core/models';
import { autoFillTemplates, fillTemplate, trainingTemplate } from './prompt-template';

/** Datasets per page of the select. */
const SELECT_PAGE = 100;

@Component({
  selector: 'app-prompt-editor',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Create prompt</h1>
    <p class="caption">Pick a dataset; the templates are filled in from its columns. The preview uses real rows.</p>
    <div class="grid2">
      <form class="card" (ngSubmit)="save()">
        <label class="field"><span>Prompt name</span><input name="name" [ngModel]="name()" (ngModelChange)="name.set($event)" /></label>
        <label class="field"><span>Dataset</span>
          <select name="dataset" [ngModel]="datasetId()" (ngModelChange)="pickDataset($event)">
            <option value="">— choose —</option>
            @for (d of datasets.items(); track d.id) { <option [value]="d.id">{{ d.name }}</option> }
          </select>
          @if (datasets.hasMore()) { <button type="button" class="link" (click)="datasets.more()" [disabled]="datasets.loading()" data-testid="more-datasets">more datasets…</button> }
        </label>
        @if (features().length) { <p>@for (f of features(); track f) { <span class="chip">{{ f }}</span> }</p> }
        @if (chat()) {
          <p data-testid="chat-prompt">Chat dataset (<code>messages</code>): no template needed. The base model's chat template renders each
            conversation and only the assistant turns are trained.</p>
        } @else {
        <label class="field"><span>Prompt template</span>
          <textarea name="prompt" rows="9" class="mono" [ngModel]="prompt()" (ngModelChange)="prompt.set($event)"></textarea></label>
        <label class="field"><span>Completion template</span>
          <textarea name="completion" rows="2" class="mono" [ngModel]="completion()" (ngModelChange)="completion.set($event)"></textarea></label>
        }
        @if (error(); as e) { <p class="error" role="alert">{{ e }}</p> }
        <button type="submit" [disabled]="busy()">Create prompt</button>
      </form>
      <div class="card">
        <div class="row" style="justify-content:space-between"><h2>Preview</h2>
          <button type="button" class="secondary" (click)="next()" [disabled]="rows().length < 2">Another row</button></div>
        @if (rowsError(); as e) { <p class="error">{{ e }}</p> }
        @if (row(); as r) {
          <p class="muted">Row {{ rowIndex() + 1 }} of {{ rows().length }} loaded</p>
          <pre data-testid="prompt-preview">{{ preview() }}</pre>
        } @else { <p class="muted">Choose a dataset to see an example.</p> }
      </div>
    </div>
  `,
})
export default class PromptEditor {
  /** The dataset select's options: the first page, more on demand (and the one a link chose, read by id). */
  protected readonly datasets = livePagedList<Dataset>({ path: '/datasets', key: 'datasets', pageSize: SELECT_PAGE }, DATASET_EVENTS);
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  protected readonly name = signal('');
  protected readonly datasetId = signal('');
  protected readonly prompt = signal('');
  protected readonly completion = signal('');
  protected readonly rows = signal<Record<string, unknown>[]>([]);
  protected readonly rowIndex = signal(0);
  protected readonly rowsError = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly features = computed(() => featuresOf(this.datasets.items().find((d) => d.id === this.datasetId())));
  protected readonly row = computed(() => this.rows()[this.rowIndex()]);
  /** Rows holding OpenAI-style `messages`: a chat prompt, rendered by the model's chat template. */
  protected readonly chat = computed(() => this.features().includes('messages'));
  protected readonly preview = computed(() =>
    this.chat() ? chatPreview(this.row()?.['messages']) : fillTemplate(trainingTemplate(this.prompt(), this.completion()), this.row() ?? {}),
  );

  constructor() {
    const ds = inject(ActivatedRoute).snapshot.queryParamMap.get('dataset');
    if (ds) {
      this.datasetId.set(ds);
      void this.datasets.ensure(ds, 'dataset');
    }
    let filledFor = '';
    effect(() => {
      // Auto-fill once the dataset's features are known (also when arriving with ?dataset=).
      const f = this.features();
      if (f.length && filledFor !== this.datasetId()) {
        filledFor = this.datasetId();
        const t = autoFillTemplates(f);
        this.prompt.set(t.prompt);
        this.completion.set(t.completion);
        void this.loadRows(this.datasetId());
      }
    });
  }

  pickDataset(id: string): void {
    this.datasetId.set(id);
    this.rows.set([]);
  }

  next(): void {
    this.rowIndex.set((this.rowIndex() + 1) % Math.max(1, this.rows().length));
  }

  private async loadRows(id: string): Promise<void> {
    try {
      const r = await this.api.get<{ rows: Record<string, unknown>[] }>(`/datasets/${id}/rows`, { limit: 20 });
      this.rows.set(r.rows ?? []);
      this.rowIndex.set(0);
      this.rowsError.set(null);
    } catch (e) {
      this.rowsError.set(errorMessage(e));
    }
  }

  async save(): Promise<void> {
    if (!this.name().trim()) return this.error.set('Prompt Name cannot be empty!');
    if (!this.datasetId()) return this.error.set('Choose a dataset.');
    this.busy.set(true);
    try {
      await this.api.post('/prompts', this.chat()
        ? { id: uuid(), name: this.name().trim(), type: 'chat', dataset_id: this.datasetId(), prompt_template: '', input_template: '', completion_template: '' }
        : {
          id: uuid(), name: this.name().trim(), type: 'in_place', dataset_id: this.datasetId(),
          prompt_template: trainingTemplate(this.prompt(), this.completion()), input_template: this.prompt(), completion_template: this.completion(),
        });
      await this.router.navigate(['/prompts']);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}

/** A conversation as "role: content" lines (the model's own chat template is applied in the plan and the job). */
function chatPreview(messages: unknown): string {
  if (!Array.isArray(messages)) return '(this row has no messages)';
  return messages.map((m: { role?: unknown; content?: unknown }) => `${String(m?.role)}: ${String(m?.content ?? '')}`).join('\n');
}
