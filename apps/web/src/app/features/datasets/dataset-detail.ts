import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Api } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { Catalog } from '../../core/catalog';
import { featuresOf } from '../../core/models';

@Component({
  selector: 'app-dataset-detail',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p><a routerLink="/datasets">← Datasets</a></p>
    @if (dataset(); as d) {
      <h1>{{ d.name }}</h1>
      <p class="caption">{{ d.type }} · <span class="mono">{{ d.huggingface_name || d.location }}</span></p>
      @if (d.description) { <p>{{ d.description }}</p> }
      <p>@for (f of features(); track f) { <span class="chip">{{ f }}</span> }</p>
      <p><a class="btn" [routerLink]="['/prompts/new']" [queryParams]="{ dataset: d.id }">Create a prompt for this dataset</a></p>
    }
    <h2>First rows</h2>
    @if (error(); as e) { <p class="error">{{ e }}</p> }
    <table>
      <thead><tr>@for (c of cols(); track c) { <th>{{ c }}</th> }</tr></thead>
      <tbody>@for (r of rows(); track $index) { <tr>@for (c of cols(); track c) { <td>{{ r[c] }}</td> }</tr> }</tbody>
    </table>
  `,
})
export default class DatasetDetail {
  readonly id = input.required<string>();
  private readonly api = inject(Api);
  private readonly catalog = inject(Catalog);
  protected readonly dataset = computed(() => this.catalog.datasets().find((d) => d.id === this.id()));
  protected readonly features = computed(() => featuresOf(this.dataset()));
  protected readonly cols = signal<string[]>([]);
  protected readonly rows = signal<Record<string, unknown>[]>([]);
  protected readonly error = signal<string | null>(null);
  constructor() {
    this.catalog.start();
    effect(() => {
      const id = this.id();
      this.api.get<{ features: string[]; rows: Record<string, unknown>[] }>(`/datasets/${id}/rows`, { limit: 20 })
        .then((r) => { this.cols.set(r.features ?? Object.keys(r.rows?.[0] ?? {})); this.rows.set(r.rows ?? []); })
        .catch((e) => this.error.set(errorMessage(e)));
    });
  }
}
