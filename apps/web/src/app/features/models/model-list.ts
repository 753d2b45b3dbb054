import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Api } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { ADAPTER_EVENTS, MAX_PAGE_SIZE, MODEL_EVENTS, livePagedList } from '../../core/paged-list';
import { Adapter, Model, type Schemas } from '../../core/models';
import { EmptyState } from '../../shared/empty-state';

/** Models per page. */
const PAGE = 50;

@Component({
  selector: 'app-model-list',
  imports: [FormsModule, EmptyState],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Base models &amp; adapters</h1>
    <p class="caption">Base models from Hugging Face or the project, and the adapters trained on them.</p>
    <form class="card row" (ngSubmit)="addModel()">
      <input name="hf" [(ngModel)]="hfName" placeholder="organization/model" aria-label="Hugging Face model" size="40" />
      <button type="submit" [disabled]="busy()">Import model</button>
      @if (message(); as m) { <span [class]="m.ok ? 'ok' : 'error'" role="status">{{ m.text }}</span> }
    </form>
    @if (models.error() || adapters.error(); as e) { <p class="error" role="alert">{{ e }}</p> }
    @if (models.loaded() && !models.items().length) {
      <app-empty text="No base models yet. Import one by its Hugging Face name above." />
    }
    <div class="grid2">
      @for (m of models.items(); track m.id) {
        <div class="card" data-testid="model-card">
          <div class="row" style="justify-content:space-between"><strong>{{ m.name }}
            @if (m.file_missing) { <span class="missing" data-testid="file-missing" title="The model's files are not in the project.">file missing</span> }</strong>
            <button class="danger" (click)="removeModel(m)">Delete</button></div>
          <p class="muted mono">{{ m.type }} · {{ m.huggingface_model_name || m.location }}</p>
          <details [open]="adaptersOf(m).length > 0"><summary>Adapters ({{ adaptersOf(m).length }})</summary>
            @for (a of adaptersOf(m); track a.id) {
              <div class="row" style="justify-content:space-between" data-testid="adapter-row">
                <div>
                  <strong>{{ a.name }}</strong>
                  @if (a.file_missing) { <span class="missing" data-testid="file-missing" title="The adapter's files are not in the project.">file missing</span> }
                  <div class="mono muted" data-testid="adapter-location">{{ a.location || a.huggingface_name }}</div>
                </div>
                <button class="danger" (click)="removeAdapter(a)">Delete</button>
              </div>
            } @empty { <p class="muted">No adapters yet. Train one under Experiments.</p> }
          </details>
        </div>
      }
    </div>
    @if (models.hasMore()) { <button type="button" class="secondary" (click)="models.more()" [disabled]="models.loading()" data-testid="more-models">More models</button> }
    @if (adapters.hasMore()) { <button type="button" class="secondary" (click)="adapters.more()" [disabled]="adapters.loading()">More adapters</button> }
  `,
  styles: `[data-testid=adapter-row] { padding: 6px 0; border-top: 1px solid var(--border); align-items: flex-start; }`,
})
export default class ModelList {
  /** A page of models at a time (the list route's paging), re-read when the live stream says models changed. */
  protected readonly models = livePagedList<Model>({ path: '/models', key: 'models', pageSize: PAGE }, MODEL_EVENTS);
  /** Adapters, in the server's largest pages (one per trained job: far fewer than models' pages would need). */
  protected readonly adapters = livePagedList<Adapter>({ path: '/adapters', key: 'adapters', pageSize: MAX_PAGE_SIZE }, ADAPTER_EVENTS);
  private readonly byModel = computed(() => {
    const m = new Map<string, Adapter[]>();
    for (const a of this.adapters.items()) m.set(a.model_id, [...(m.get(a.model_id) ?? []), a]);
    return m;
  });
  private readonly api = inject(Api);
  protected hfName = '';
  protected readonly busy = signal(false);
  protected readonly message = signal<{ ok: boolean; text: string } | null>(null);
  adaptersOf(m: Model): Adapter[] { return this.byModel().get(m.id) ?? []; }

  async addModel(): Promise<void> {
    if (!this.hfName.trim()) return this.message.set({ ok: false, text: 'Please enter a model name.' });
    this.busy.set(true);
    try {
      await this.api.post('/models', { type: 'huggingface', huggingface_name: this.hfName.trim() });
      this.message.set({ ok: true, text: 'Model imported successfully.' });
      this.hfName = '';
      await this.models.reload();
    } catch (e) {
      this.message.set({ ok: false, text: 'Error importing model: ' + errorMessage(e) });
    } finally {
      this.busy.set(false);
    }
  }
  async removeModel(m: Model): Promise<void> {
    if (!confirm(`Delete model "${m.name}"?`)) return;
    try { await this.api.delete(`/models/${m.id}`); this.models.remove(m.id); }
    catch (e) { this.message.set({ ok: false, text: errorMessage(e) }); }
  }
  async removeAdapter(a: Adapter): Promise<void> {
    if (!confirm(`Delete adapter "${a.name}"?`)) return;
    // Only a project adapter has a folder of its own to offer; the server deletes it only when nothing else uses it.
    const deleteFiles = a.type === 'project' && confirm(
      `Also delete its folder (${a.location})? It is deleted only when it is inside the project and no other adapter, ` +
        'model, dataset or job uses it. Cancel keeps the files.',
    );
    try {
      const report = await this.api.delete<FilesReport>(`/adapters/${a.id}`, deleteFiles ? { delete_files: 'true' } : undefined);
      this.adapters.remove(a.id);
      if (deleteFiles) this.message.set({ ok: true, text: filesReportText(a.name, report) });
    } catch (e) { this.message.set({ ok: false, text: errorMessage(e) }); }
  }
}

/** What DELETE /api/adapters/:id?delete_files=true answers. */
type FilesReport = Partial<Schemas['RemoveAdapterResponse']>;

export function filesReportText(name: string, r: FilesReport): string {
  const deleted = r.deleted_files ?? [];
  const kept = r.kept_files ?? [];
  return [
    `Adapter "${name}" deleted.`,
    deleted.length ? `Deleted: ${deleted.join(', ')}.` : 'No folder was deleted.',
    kept.length ? `Kept: ${kept.join('; ')}.` : '',
  ].filter(Boolean).join(' ');
}
