import { Injectable, inject, signal } from '@angular/core';
import { Api } from './api';

export type NamedKind = 'datasets' | 'models' | 'adapters' | 'prompts';

/** At most this many name reads in flight. */
const IN_FLIGHT = 6;

/**
 * Names of single entities, read by id when a page shows them, instead of the
 * whole catalog: a page that labels a few rows should not download every
 * prompt and dataset of a large project. Each id is read once; one that cannot
 * be read (removed since) keeps showing its id.
 */
@Injectable({ providedIn: 'root' })
export class EntityNames {
  private readonly api = inject(Api);
  private readonly known = signal(new Map<string, string>());
  private readonly asked = new Set<string>();
  private readonly queue: { kind: NamedKind; id: string }[] = [];
  private running = 0;

  /** The entity's name once read (reading it if nobody asked yet), else its id. */
  name(kind: NamedKind, id?: string): string {
    if (!id) return '';
    const n = this.known().get(id);
    if (n !== undefined) return n;
    if (!this.asked.has(id)) {
      this.asked.add(id);
      this.queue.push({ kind, id });
      queueMicrotask(() => this.pump());
    }
    return id;
  }

  /** The same as a `(id, kind) => name` function (labels built by plain functions); without a kind, a name already read, else the id. */
  readonly of = (id?: string, kind?: NamedKind): string => (kind ? this.name(kind, id) : (id && this.known().get(id)) || id || '');

  private pump(): void {
    while (this.running < IN_FLIGHT && this.queue.length) {
      const { kind, id } = this.queue.shift()!;
      this.running++;
      void this.read(kind, id).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async read(kind: NamedKind, id: string): Promise<void> {
    try {
      const r = await this.api.get<Record<string, { name?: string } | undefined>>(`/${kind}/${encodeURIComponent(id)}`);
      const one = r[kind.slice(0, -1)]?.name;
      if (one) this.known.set(new Map(this.known()).set(id, one));
    } catch {
      // gone since, or not readable: the id stays
    }
  }
}
