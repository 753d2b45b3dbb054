import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Api } from '../../core/api';
import { CONFIG_EVENTS, livePagedList } from '../../core/paged-list';
import { errorMessage } from '../../core/api-error';
import { prettyJson } from '../../core/format';
import { Config, ConfigType } from '../../core/models';
import { configSummary, configTitle } from '../jobs/data/train-form';
import { JsonEditor, jsonError } from '../../shared/json-editor';

/** Configs per page. */
const PAGE = 50;

@Component({
  selector: 'app-config-list',
  imports: [FormsModule, JsonEditor],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Configs</h1>
    <p class="caption">Saved LoRA, BitsAndBytes, training-argument and generation configs.</p>
    <div class="tabs">
      @for (t of types; track t) { <button type="button" [class.active]="type() === t" (click)="type.set(t)">{{ t }}</button> }
    </div>
    @if (error() || configs.error(); as e) { <p class="error" role="alert">{{ e }}</p> }
    <div class="grid2">
      <div>
        @for (c of configs.items(); track c.id) {
          <div class="card">
            <div class="row" style="justify-content:space-between">
              <div><strong>{{ title(c) }}</strong> <span class="muted">{{ summary(c) }}</span>
                <div class="mono muted" title="Config id">{{ c.id }}</div></div>
              <button class="danger" (click)="remove(c)">Delete</button>
            </div>
            <pre>{{ pretty(c.config) }}</pre>
          </div>
        } @empty { @if (configs.loaded()) { <div class="empty">No {{ type() }} configs. Add one on the right.</div> } }
        @if (configs.hasMore()) { <button type="button" class="secondary" (click)="configs.more()" [disabled]="configs.loading()" data-testid="more-configs">More configs</button> }
      </div>
      <form class="card" (ngSubmit)="add()">
        <h2>Add a {{ type() }}</h2>
        <label class="field"><span>Description</span><input name="desc" [(ngModel)]="description" /></label>
        <app-json-editor label="Config" [rows]="12" [(value)]="text" />
        <button type="submit" [disabled]="!!invalid()">Add config</button>
        @if (added(); as a) { <span class="ok" role="status">{{ a }}</span> }
      </form>
    </div>
  `,
})
export default class ConfigList {
  private readonly api = inject(Api);
  protected readonly types: ConfigType[] = ['lora_config', 'bitsandbytes_config', 'training_arguments', 'generation_config'];
  protected readonly type = signal<ConfigType>('lora_config');
  /** The chosen type's configs, a page at a time (the list route's paging), re-read when the live stream says configs changed. */
  protected readonly configs = livePagedList<Config>({ path: '/configs', key: 'configs', pageSize: PAGE, params: { type: 'lora_config' } }, CONFIG_EVENTS);
  protected readonly error = signal<string | null>(null);
  protected readonly text = signal('{\n}');
  protected description = '';
  protected readonly pretty = prettyJson;
  protected readonly title = configTitle;
  protected readonly summary = configSummary;
  protected readonly added = signal<string | null>(null);
  protected invalid = () => jsonError(this.text());
  constructor() {
    effect(() => {
      this.added.set(null);
      void this.configs.setParams({ type: this.type() });
    });
  }
  async add(): Promise<void> {
    try {
      const r = await this.api.post<{ config?: Config }>('/configs', { type: this.type(), config: this.text(), description: this.description });
      this.error.set(null);
      // Empty the box, so the same config is not added twice by a second click.
      this.added.set(`Added${this.description ? ` "${this.description}"` : ''}.`);
      this.description = '';
      this.text.set('{\n}');
      // Shown at once, wherever its page is (a new config is the last of its type's pages).
      if (r.config?.id && r.config.type === this.type()) this.configs.add(r.config);
    } catch (e) { this.error.set(errorMessage(e)); }
  }
  async remove(c: Config): Promise<void> {
    if (!confirm('Delete this config?')) return;
    try { await this.api.delete(`/configs/${c.id}`); this.configs.remove(c.id); }
    catch (e) { this.error.set(errorMessage(e)); }
  }
}
