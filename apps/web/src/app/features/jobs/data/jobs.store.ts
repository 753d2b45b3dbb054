import { Injectable, computed, inject, signal } from '@angular/core';
import { errorMessage } from '../../../core/api-error';
import { LiveEvents } from '../../../core/live-events';
import { EventRecord, FineTuningJob } from '../../../core/models';
import { applyJobEvent } from './job-events';
import { JobsApi } from './jobs.api';

/** The training jobs list, kept current by the live event stream. */
@Injectable({ providedIn: 'root' })
export class JobsStore {
  private readonly api = inject(JobsApi);
  private readonly live = inject(LiveEvents);
  readonly jobs = signal<FineTuningJob[]>([]);
  readonly loaded = signal(false);
  readonly error = signal<string | null>(null);
  readonly sorted = computed(() => [...this.jobs()].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? '')));
  private started = false;
  private watching = false;

  /** The whole list (the jobs page): read at the stream's head (see LiveEvents.readAtHead). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.watch();
    this.live.readAtHead(() => void this.refresh());
  }

  /** Only the live events, for the jobs a page put here itself (a job's page reads its job by id, not the list). */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.live.subscribe((e) => this.apply(e));
  }

  async refresh(): Promise<void> {
    try {
      const fetched = await this.api.list();
      // Keep rows that live events added or moved on while the list was in flight.
      const current = new Map(this.jobs().map((j) => [j.id, j]));
      const ids = new Set(fetched.map((j) => j.id));
      this.jobs.set([...fetched.map((j) => newest(current.get(j.id), j)), ...this.jobs().filter((j) => !ids.has(j.id))]);
      this.error.set(null);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.loaded.set(true);
    }
  }

  apply(e: EventRecord): void {
    const patch = applyJobEvent(this.jobs(), e);
    if (patch.jobs !== this.jobs()) this.jobs.set(patch.jobs);
    if (patch.refetch) void this.refetch(patch.refetch);
  }

  private readonly inFlight = new Set<string>();
  private readonly gone = new Set<string>();

  private async refetch(id: string): Promise<void> {
    if (this.inFlight.has(id) || this.gone.has(id)) return;
    this.inFlight.add(id);
    try {
      this.upsert(await this.api.get(id));
    } catch (e) {
      if ((e as { status?: number }).status === 404) this.gone.add(id);
      else console.warn('job refetch failed', id, e);
    } finally {
      this.inFlight.delete(id);
    }
  }

  /** Takes a deleted job off the list at once (its removal event does the same for other tabs). */
  drop(id: string): void {
    this.gone.add(id);
    this.jobs.set(this.jobs().filter((j) => j.id !== id));
  }

  upsert(job: FineTuningJob): void {
    const list = this.jobs();
    const i = list.findIndex((j) => j.id === job.id);
    if (i < 0) this.jobs.set([...list, job]);
    else {
      const kept = newest(list[i], job);
      if (kept === list[i]) return;
      const next = list.slice();
      next[i] = kept;
      this.jobs.set(next);
    }
  }
}

/**
 * A response that left the server before a live event was applied must not
 * undo it: keep whichever copy of the row is more recent (ties go to the server's).
 */
export function newest(current: FineTuningJob | undefined, fetched: FineTuningJob): FineTuningJob {
  if (!current) return fetched;
  return (current.updated_at ?? '') > (fetched.updated_at ?? '') ? current : fetched;
}
