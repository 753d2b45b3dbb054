import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { Api } from '../../../core/api';
import { errorMessage } from '../../../core/api-error';
import { ModelAdapters } from '../../../core/model-adapters';
import { MODEL_EVENTS, livePagedList } from '../../../core/paged-list';
import { fmtDate, shortId } from '../../../core/format';
import { LiveEvents } from '../../../core/live-events';
import { Model, entityIdOf } from '../../../core/models';
import { EmptyState } from '../../../shared/empty-state';
import { JsonEditor, jsonError } from '../../../shared/json-editor';
import { StatusBadge } from '../../../shared/status-badge';
import { defaultGenerationConfig } from '../../evaluation/data/evaluation.api';
import { LIFECYCLE } from '../../evaluation/data/evaluation.store';
import { EXPORT_TYPES, ExportType, ExportsApi, ModelExport, exportProblems, upsertExport } from '../data/exports';

/** Options per page of the model select. */
const SELECT_PAGE = 100;

@Component({
  selector: 'app-exports-page',
  imports: [FormsModule, JsonEditor, RouterLink, EmptyState, StatusBadge],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Export &amp; deploy</h1>
    <p class="caption">Turn a trained adapter into something others can use: merged model files, a deployed CML Model, or a registry entry.</p>
    @if (modelAdapters.any() === false) {
      <app-empty text="No adapters yet — train one first, then export it here." link="/jobs/train" action="Train a new adapter" />
    }
    <form class="card" (ngSubmit)="submit()" style="max-width: 900px" data-testid="export-form">
      <div class="tabs" role="tablist">
        @for (t of types; track t.value) {
          <button type="button" role="tab" [class.active]="type() === t.value" [attr.aria-selected]="type() === t.value" (click)="type.set(t.value)">{{ t.label }}</button>
        }
      </div>
      <p class="muted">{{ help() }}</p>
      <div class="grid2">
        <label class="field"><span>Base model</span>
          <select name="model" [ngModel]="modelId()" (ngModelChange)="modelId.set($event); adapterId = ''">
            <option value="">— choose —</option>
            @for (m of models.items(); track m.id) { <option [value]="m.id">{{ m.name }}</option> }
          </select>
          @if (models.hasMore()) { <button type="button" class="link" (click)="models.more()" [disabled]="models.loading()" data-testid="more-models">more models…</button> }
        </label>
        <label class="field"><span>Adapter</span>
          <select name="adapter" [(ngModel)]="adapterId" [disabled]="!modelId()">
            <option value="">— choose —</option>
            @for (a of adapters(); track a.id) { <option [value]="a.id">{{ a.name }}</option> }
          </select>
          @if (modelId() && !adapters().length) { <span class="muted">No adapters for this model — <a routerLink="/jobs/train">train one first</a>.</span> }
        </label>
        <label class="field"><span>Model name</span><input name="model_name" [(ngModel)]="modelName" /></label>
        @if (type() === 'project') {
          <label class="field"><span>Project folder</span><input name="artifact_location" [(ngModel)]="location" placeholder="data/models/my-merged-model" /></label>
        } @else {
          <label class="field"><span>Description</span><input name="description" [(ngModel)]="description" /></label>
        }
      </div>
      @if (type() === 'cml_model') {
        <div class="grid3">
          <label class="field"><span>CPU</span><input type="number" name="cpu" min="1" [(ngModel)]="cpu" /></label>
          <label class="field"><span>Memory (GiB)</span><input type="number" name="memory" min="1" [(ngModel)]="memory" /></label>
          <label class="field"><span>GPU</span><input type="number" name="gpu" min="0" [(ngModel)]="gpu" /></label>
          <label class="field"><span>Replicas</span><input type="number" name="replicas" min="1" [(ngModel)]="replicas" /></label>
        </div>
        <label class="row"><input type="checkbox" name="auth" [(ngModel)]="requireAuth" /> Require authentication (recommended)</label>
        @if (!requireAuth) { <p class="error">Anyone who can reach the endpoint will be able to call the model.</p> }
      }
      @if (type() !== 'project') {
        <details><summary>Generation config</summary><app-json-editor label="Generation config" [(value)]="genConfig" /></details>
      }
      @for (m of problems(); track m) { <p class="error" role="alert">{{ m }}</p> }
      @if (error(); as e) { <p class="error" role="alert">Export failed: {{ e }}</p> }
      <button type="submit" [disabled]="busy() || (type() !== 'project' && !!jsonError(genConfig()))">{{ type() === 'cml_model' ? 'Deploy' : 'Export' }}</button>
    </form>

    <h2>Exports</h2>
    @if (listError(); as e) { <p class="error">{{ e }}</p> }
    @if (loaded() && !exports().length) {
      <app-empty text="No exports yet. Choose an adapter above and export it." />
    } @else {
      <table data-testid="exports-table">
        <thead><tr><th>Export</th><th>Type</th><th>Status</th><th>Model name</th><th>Location / CML ids</th><th>Created</th><th>Message</th></tr></thead>
        <tbody>
          @for (x of sorted(); track x.id) {
            <tr [attr.data-export-id]="x.id">
              <td>{{ shortId(x.id) }}</td><td>{{ x.type }}</td><td><app-status [status]="x.status" /></td><td>{{ x.model_name }}</td>
              <td>
                @if (x.artifact_location) { <code>{{ x.artifact_location }}</code> }
                @if (x.cml_model_id) { <div>CML model: <code>{{ x.cml_model_id }}</code></div> }
                @if (x.registered_model_id) { <div>Registered model: <code>{{ x.registered_model_id }}</code></div> }
              </td>
              <td>{{ fmtDate(x.created_at) }}</td><td class="muted">{{ x.status_message }}</td>
            </tr>
          }
        </tbody>
      </table>
    }
  `,
})
export default class ExportsPage {
  // The model select's options: a first page, more on demand; the chosen model's adapters only. Not the whole catalog.
  protected readonly models = livePagedList<Model>({ path: '/models', key: 'models', pageSize: SELECT_PAGE }, MODEL_EVENTS);
  protected readonly modelAdapters = new ModelAdapters();
  private readonly api = inject(Api);
  private readonly xapi = inject(ExportsApi);
  protected readonly types = EXPORT_TYPES;
  protected readonly jsonError = jsonError;
  protected readonly shortId = shortId;
  protected readonly fmtDate = fmtDate;
  protected readonly type = signal<ExportType>('project');
  protected readonly modelId = signal('');
  protected adapterId = '';
  protected modelName = '';
  protected location = 'data/models/';
  protected description = '';
  protected cpu = 2;
  protected memory = 8;
  protected gpu = 1;
  protected replicas = 1;
  protected requireAuth = true;
  protected readonly genConfig = signal('');
  protected readonly exports = signal<ModelExport[]>([]);
  protected readonly loaded = signal(false);
  protected readonly listError = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly problems = signal<string[]>([]);
  protected readonly busy = signal(false);
  protected readonly help = computed(() => EXPORT_TYPES.find((t) => t.value === this.type())?.help ?? '');
  protected readonly adapters = computed(() => this.modelAdapters.of(this.modelId()));
  protected readonly sorted = computed(() => [...this.exports()].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? '')));

  constructor() {
    void defaultGenerationConfig(this.api).then((t) => this.genConfig.set(t));
    // follow: the exports read now, and again at the stream's head (an export changed in between is not missed).
    const off = inject(LiveEvents).follow(
      (e) => {
        if (e.stream_type === 'model_export' && LIFECYCLE.has(e.type)) void this.refetch(entityIdOf(e));
      },
      () => void this.refresh(),
    );
    inject(DestroyRef).onDestroy(() => void off());
  }

  private async refresh(): Promise<void> {
    try {
      const got = await this.xapi.list();
      const ids = new Set(got.map((x) => x.id));
      this.exports.set([...got, ...this.exports().filter((x) => !ids.has(x.id))]);
      this.listError.set(null);
    } catch (e) {
      this.listError.set(errorMessage(e));
    } finally {
      this.loaded.set(true);
    }
  }

  private async refetch(id: string): Promise<void> {
    try { this.exports.set(upsertExport(this.exports(), await this.xapi.get(id))); } catch { void this.refresh(); }
  }

  async submit(): Promise<void> {
    this.error.set(null);
    const req = {
      type: this.type(), base_model_id: this.modelId(), adapter_id: this.adapterId, model_name: this.modelName.trim(),
      artifact_location: this.type() === 'project' ? this.location.trim() : '', model_description: this.description,
      generation_config: this.genConfig(), cpu: Number(this.cpu), memory: Number(this.memory), gpu: Number(this.gpu),
      replicas: Number(this.replicas), disable_authentication: this.type() === 'cml_model' ? !this.requireAuth : false,
    };
    const p = exportProblems(req);
    this.problems.set(p);
    if (p.length) return;
    this.busy.set(true);
    try {
      const r = await this.xapi.start(req);
      this.exports.set(upsertExport(this.exports(), { id: r.export_id, type: req.type, model_name: req.model_name, artifact_location: req.artifact_location, status: r.status, created_at: new Date().toISOString() }));
      void this.refetch(r.export_id);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
