import { DestroyRef, inject, signal } from '@angular/core';
import { Api } from './api';
import { LiveEvents } from './live-events';
import { Adapter } from './models';
import { ADAPTER_EVENTS, MAX_PAGE_SIZE, RELOAD_DEBOUNCE_MS } from './paged-list';

/**
 * The adapters of the base models a form shows, read per model
 * (`GET /adapters?model_id=`) when the form first asks for them, instead of
 * every adapter of the project; re-read when the live stream says adapters
 * changed, and at the stream's head. Create it in an injection context (a
 * component's field).
 */
export class ModelAdapters {
  private readonly api = inject(Api);
  private readonly byModel = signal(new Map<string, Adapter[]>());
  private readonly asked = new Set<string>();
  /** Whether the project has any adapter at all (one row read), for a form's "train one first" hint; null until known. */
  readonly any = signal<boolean | null>(null);

  constructor() {
    const live = inject(LiveEvents);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watched = new Set<string>(ADAPTER_EVENTS);
    const off = live.follow(
      (e) => {
        if (!watched.has(e.type)) return;
        clearTimeout(timer);
        timer = setTimeout(() => this.rereadAll(), RELOAD_DEBOUNCE_MS);
      },
      () => this.rereadAll(),
    );
    inject(DestroyRef).onDestroy(() => {
      off();
      clearTimeout(timer);
    });
  }

  /** The model's adapters once read (reading them if nobody asked yet), else none. */
  of(modelId: string): Adapter[] {
    if (!modelId) return [];
    if (!this.asked.has(modelId)) {
      this.asked.add(modelId);
      void this.read(modelId);
    }
    return this.byModel().get(modelId) ?? [];
  }

  /** The model's adapters, read (again) now. */
  async load(modelId: string): Promise<Adapter[]> {
    this.asked.add(modelId);
    await this.read(modelId);
    return this.byModel().get(modelId) ?? [];
  }

  private rereadAll(): void {
    void this.api
      .get<{ adapters?: Adapter[] }>('/adapters', { page_size: 1 })
      .then((r) => this.any.set(!!r.adapters?.length))
      .catch(() => undefined);
    for (const m of this.asked) void this.read(m);
  }

  private async read(modelId: string): Promise<void> {
    try {
      const r = await this.api.get<{ adapters?: Adapter[] }>('/adapters', { model_id: modelId, page_size: MAX_PAGE_SIZE });
      this.byModel.set(new Map(this.byModel()).set(modelId, r.adapters ?? []));
    } catch {
      // unreadable now: the select offers none; the next change re-reads
    }
  }
}
