import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { Api } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { DATASET_EVENTS, livePagedList } from '../../core/paged-list';
import { Dataset, featuresOf } from '../../core/models';
import { EmptyState } from '../../shared/empty-state';

/** Datasets per page. */
const PAGE = 100;

type Source = 'huggingface' | 'project_csv' | 'project_json' | 'project_jsonl';

@Component({
  selector: 'app-dataset-list',
  imports: [FormsModule, RouterLink, EmptyState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Datasets</h1>
    <p class="caption">Import a dataset from Hugging Face or from a CSV / JSON / JSONL file in the project.</p>
    <div class="card">
      <div class="tabs">
        @for (t of tabs; track t.id) { <button type="button" [class.active]="tab() === t.id" (click)="tab.set(t.id)">{{ t.label }}</button> }
      </div>
      <form class="row" (ngSubmit)="add()">
        @if (tab() === 'huggingface') {
          <input name="hf" [(ngModel)]="hfName" placeholder="organization/dataset" aria-label="Hugging Face dataset" size="40" />
        } @else {
          <input name="name" [(ngModel)]="name" placeholder="Name" aria-label="Dataset name" />
          <input name="loc" [(ngModel)]="location" placeholder="data/my.csv (path in the project)" aria-label="Location" size="40" />
        }
        <button type="submit" [disabled]="busy()">Import</button>
      </form>
      @if (message(); as m) { <p [class]="m.ok ? 'ok' : 'error'" role="status">{{ m.text }}</p> }
    </div>
    @if (datasets.error(); as e) { <p class="error">{{ e }}</p> }
    @if (datasets.loaded() && !datasets.items().length) {
      <app-empty text="No datasets yet. Import one above: a Hugging Face name, or a CSV/JSON file path inside the project." />
    } @else {
      <table data-testid="datasets-table">
        <thead><tr><th>Name</th><th>Type</th><th>Source</th><th>Features</th><th></th></tr></thead>
        <tbody>
          @for (d of datasets.items(); track d.id) {
            <tr>
              <td><a [routerLink]="['/datasets', d.id]">{{ d.name }}</a>
                @if (d.file_missing) { <span class="missing" data-testid="file-missing" title="The file this dataset points at is not in the project.">file missing</span> }</td>
              <td>{{ d.type }}</td>
              <td class="mono">{{ d.huggingface_name || d.location }}</td>
              <td>@for (f of features(d); track f) { <span class="chip">{{ f }}</span> }</td>
              <td><button class="danger" (click)="remove(d)">Delete</button></td>
            </tr>
          }
        </tbody>
      </table>
      @if (datasets.hasMore()) { <button type="button" class="secondary" (click)="datasets.more()" [disabled]="datasets.loading()" data-testid="more-datasets">More datasets</button> }
    }
  `,
})
export default class DatasetList {
  /** One page at a time (the list route's paging), re-read when the live stream says datasets changed. */
  protected readonly datasets = livePagedList<Dataset>({ path: '/datasets', key: 'datasets', pageSize: PAGE }, DATASET_EVENTS);
  private readonly api = inject(Api);
  protected readonly tabs: { id: Source; label: string }[] = [
    { id: 'huggingface', label: 'Hugging Face' }, { id: 'project_csv', label: 'CSV' },
    { id: 'project_json', label: 'JSON' }, { id: 'project_jsonl', label: 'JSONL' },
  ];
  protected readonly tab = signal<Source>('huggingface');
  protected hfName = '';
  protected name = '';
  protected location = '';
  protected readonly busy = signal(false);
  protected readonly message = signal<{ ok: boolean; text: string } | null>(null);
  protected readonly features = featuresOf;

  async add(): Promise<void> {
    const hf = this.tab() === 'huggingface';
    if (!hf && !this.name.trim()) return this.message.set({ ok: false, text: 'Dataset name cannot be empty!' });
    this.busy.set(true);
    try {
      const body = hf
        ? { type: 'huggingface', huggingface_name: this.hfName.trim() }
        : { type: this.tab(), name: this.name.trim(), location: this.location.trim() };
      const r = await this.api.post<{ dataset: Dataset }>('/datasets', body);
      this.message.set({ ok: true, text: `Dataset "${r.dataset?.name ?? ''}" loaded.` });
      this.hfName = this.name = this.location = '';
      if (r.dataset?.id) this.datasets.add(r.dataset);
    } catch (e) {
      this.message.set({ ok: false, text: 'Failed to load dataset: ' + errorMessage(e) });
    } finally {
      this.busy.set(false);
    }
  }

  async remove(d: Dataset): Promise<void> {
    if (!confirm(`Delete dataset "${d.name}" and its prompts?`)) return;
    try {
      await this.api.delete(`/datasets/${d.id}`, { remove_prompts: 'true' });
      this.datasets.remove(d.id);
    } catch (e) {
      this.message.set({ ok: false, text: errorMessage(e) });
    }
  }
}
