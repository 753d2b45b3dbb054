import { Injectable, inject, signal } from '@angular/core';
import { Api } from './api';

export type NamedKind = 'datasets' | 'models' | 'adapters' | 'prompts';

/** Ids per request: the list routes' `ids` limit (apps/api/src/http/ids-query.ts MAX_IDS). */
export const NAMES_PER_READ = 100;
/** At most this many name reads in flight. */
const IN_FLIGHT = 4;

/**
 * Names of single entities, read by id when a page shows them, instead of the
 * whole catalog: a page that labels a few rows should not download every
 * prompt and dataset of a large project. The ids asked while a page renders
 * (one turn of the event loop) are read together, one request per kind
 * (`GET /api/<kind>?ids=a,b,c`, NAMES_PER_READ ids at most), so a page with
 * a hundred rows costs a request per column, not one per row. Each id is read
 * once; one that cannot be read (removed since) keeps showing its id.
 */
@Injectable({ providedIn: 'root' })
export class EntityNames {
  private readonly api = inject(Api);
  private readonly known = signal(new Map<string, string>());
  private readonly asked = new Set<string>();
  /** Ids asked in this turn, per kind, not yet queued. */
  private readonly pending = new Map<NamedKind, string[]>();
  private readonly queue: { kind: NamedKind; ids: string[] }[] = [];
  private running = 0;

  /** The entity's name once read (reading it if nobody asked yet), else its id. */
  name(kind: NamedKind, id?: string): string {
    if (!id) return '';
    const n = this.known().get(id);
    if (n !== undefined) return n;
    if (!this.asked.has(id)) {
      this.asked.add(id);
      if (this.pending.size === 0) queueMicrotask(() => this.batch());
      const ids = this.pending.get(kind);
      if (ids) ids.push(id);
      else this.pending.set(kind, [id]);
    }
    return id;
  }

  /** The same as a `(id, kind) => name` function (labels built by plain functions); without a kind, a name already read, else the id. */
  readonly of = (id?: string, kind?: NamedKind): string => (kind ? this.name(kind, id) : (id && this.known().get(id)) || id || '');

  private batch(): void {
    for (const [kind, ids] of this.pending) {
      for (let i = 0; i < ids.length; i += NAMES_PER_READ) this.queue.push({ kind, ids: ids.slice(i, i + NAMES_PER_READ) });
    }
    this.pending.clear();
    this.pump();
  }

  private pump(): void {
    while (this.running < IN_FLIGHT && this.queue.length) {
      const { kind, ids } = this.queue.shift()!;
      this.running++;
      void this.read(kind, ids).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async read(kind: NamedKind, ids: string[]): Promise<void> {
    try {
      const r = await this.api.get<Record<string, { id?: string; name?: string }[] | undefined>>(`/${kind}`, { ids: ids.join(',') });
      const named = (r[kind] ?? []).filter((x) => x.id && x.name);
      if (!named.length) return;
      const next = new Map(this.known());
      for (const x of named) next.set(x.id!, x.name!);
      this.known.set(next);
    } catch {
      // not readable now: the ids stay
    }
  }
}
