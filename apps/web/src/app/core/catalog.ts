import { Injectable, computed, inject, signal } from '@angular/core';
import { Api } from './api';
import { errorMessage } from './api-error';
import { LiveEvents } from './live-events';
import { Adapter, Dataset, Model, Prompt } from './models';

const RELOAD: Record<string, 'datasets' | 'models' | 'adapters' | 'prompts'> = {
  DatasetAdded: 'datasets', DatasetImported: 'datasets', DatasetRemoved: 'datasets',
  ModelAdded: 'models', ModelRemoved: 'models',
  AdapterAdded: 'adapters', AdapterRemoved: 'adapters', JobAdapterRegistered: 'adapters',
  PromptAdded: 'prompts', PromptImported: 'prompts', PromptRemoved: 'prompts',
};

/** Datasets, models, adapters and prompts: loaded once, reloaded when the live stream says they changed. */
@Injectable({ providedIn: 'root' })
export class Catalog {
  private readonly api = inject(Api);
  private readonly live = inject(LiveEvents);
  readonly datasets = signal<Dataset[]>([]);
  readonly models = signal<Model[]>([]);
  readonly adapters = signal<Adapter[]>([]);
  readonly prompts = signal<Prompt[]>([]);
  readonly loaded = signal(false);
  readonly error = signal<string | null>(null);
  readonly names = computed(() => {
    const m = new Map<string, string>();
    for (const x of [...this.datasets(), ...this.models(), ...this.adapters(), ...this.prompts()]) m.set(x.id, x.name);
    return m;
  });
  private started = false;

  start(): void {
    if (this.started) return;
    this.started = true;
    this.live.subscribe((e) => {
      const what = RELOAD[e.type];
      if (what) void this.load(what);
    });
    void this.reload();
  }

  name(id?: string): string {
    return (id && this.names().get(id)) || id || '';
  }

  async reload(): Promise<void> {
    await Promise.all((['datasets', 'models', 'adapters', 'prompts'] as const).map((k) => this.load(k)));
    this.loaded.set(true);
  }

  async load(what: 'datasets' | 'models' | 'adapters' | 'prompts'): Promise<void> {
    try {
      const r = await this.api.get<Record<string, unknown[]>>('/' + what);
      (this[what] as ReturnType<typeof signal<unknown[]>>).set(r[what] ?? []);
      this.error.set(null);
    } catch (e) {
      this.error.set(errorMessage(e));
    }
  }
}
