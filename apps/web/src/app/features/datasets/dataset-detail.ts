import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Api } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { LiveEvents } from '../../core/live-events';
import { Dataset, entityIdOf, featuresOf, type Schemas } from '../../core/models';

/** Rows shown in the table; the preview reads up to PREVIEW_MAX (the server's bound) to count them. */
const SHOWN_ROWS = 20;
const PREVIEW_MAX = 100;

export function rowCountText(read: number, max: number): string {
  if (read >= max) return `at least ${max} rows`;
  return `${read} row${read === 1 ? '' : 's'}`;
}

@Component({
  selector: 'app-dataset-detail',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p><a routerLink="/datasets">← Datasets</a></p>
    @if (dataset(); as d) {
      <h1>{{ d.name }}</h1>
      <p class="caption">{{ d.type }} · <span class="mono">{{ d.huggingface_name || d.location }}</span>
        @if (rowCount(); as n) { · <span data-testid="row-count">{{ n }}</span> }
        @if (d.file_missing) { · <span class="missing" data-testid="file-missing">file missing</span> }</p>
      <!-- the original stores the location as the description of a project dataset: show it once -->
      @if (d.description && d.description !== d.location && d.description !== d.huggingface_name) { <p>{{ d.description }}</p> }
      <p>@for (f of features(); track f) { <span class="chip">{{ f }}</span> }</p>
      <p><a class="btn" [routerLink]="['/prompts/new']" [queryParams]="{ dataset: d.id }">Create a prompt for this dataset</a></p>
    }
    <h2>First rows</h2>
    @if (error(); as e) { <p class="error">{{ e }}</p> }
    <table>
      <thead><tr>@for (c of cols(); track c) { <th>{{ c }}</th> }</tr></thead>
      <tbody>@for (r of rows().slice(0, SHOWN); track $index) { <tr>@for (c of cols(); track c) { <td>{{ r[c] }}</td> }</tr> }</tbody>
    </table>
  `,
})
export default class DatasetDetail {
  readonly id = input.required<string>();
  private readonly api = inject(Api);
  /** This dataset, read by id (not the whole catalog); re-read when its stream changes. */
  protected readonly dataset = signal<Dataset | undefined>(undefined);
  protected readonly features = computed(() => featuresOf(this.dataset()));
  protected readonly cols = signal<string[]>([]);
  protected readonly rows = signal<Record<string, unknown>[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly SHOWN = SHOWN_ROWS;
  protected readonly loadedRows = signal(false);
  /** "30 rows" when the preview read the whole file, "at least 100 rows" when it stopped at its bound. */
  protected readonly rowCount = computed(() => (this.loadedRows() && this.dataset()?.type !== 'huggingface' ? rowCountText(this.rows().length, PREVIEW_MAX) : ''));
  constructor() {
    const live = inject(LiveEvents);
    const off = live.subscribe((e) => {
      if (e.stream_type === 'dataset' && entityIdOf(e) === this.id()) void this.read(this.id());
    });
    const offHead = live.whenAtHead(() => void this.read(this.id()));
    inject(DestroyRef).onDestroy(() => { off(); offHead(); });
    effect(() => {
      const id = this.id();
      void this.read(id);
      this.api.get<Schemas['DatasetPreview']>(`/datasets/${id}/rows`, { limit: PREVIEW_MAX })
        .then((r) => { this.cols.set(r.features ?? Object.keys(r.rows?.[0] ?? {})); this.rows.set(r.rows ?? []); this.loadedRows.set(true); })
        .catch((e) => this.error.set(errorMessage(e)));
    });
  }

  private async read(id: string): Promise<void> {
    try {
      const r = await this.api.get<{ dataset?: Dataset }>(`/datasets/${encodeURIComponent(id)}`);
      if (id === this.id()) this.dataset.set(r.dataset);
    } catch {
      if (id === this.id()) this.dataset.set(undefined); // removed: the rows' read says why
    }
  }
}
