import { Injectable, computed, inject, signal } from '@angular/core';
import { errorMessage } from '../../../core/api-error';
import { LiveEvents } from '../../../core/live-events';
import { EvaluationJob, EventRecord } from '../../../core/models';
import { EvaluationApi } from './evaluation.api';
import { groupByParent } from './results';

/** Lifecycle events that change what an evaluation/comparison/export shows. */
export const LIFECYCLE = new Set([
  'JobDispatched', 'JobRunSubmitted', 'JobStarted', 'JobSucceeded', 'JobFailed', 'JobCancelRequested', 'JobCancelled',
  'JobResultRecorded', 'JobDetailsRecorded', 'JobStatusRecorded', 'EvaluationJobQueued', 'EvaluationJobRemoved',
  'AdapterComparisonQueued', 'ModelExportRequested',
]);

/** Evaluation jobs, refetched (debounced) whenever the live stream reports an evaluation_job event. */
@Injectable({ providedIn: 'root' })
export class EvaluationStore {
  private readonly api = inject(EvaluationApi);
  private readonly live = inject(LiveEvents);
  readonly jobs = signal<EvaluationJob[]>([]);
  readonly loaded = signal(false);
  readonly error = signal<string | null>(null);
  readonly groups = computed(() => groupByParent(this.jobs()));
  /** Bumped on each lifecycle event: result views refetch when it changes. */
  readonly lastEvent = signal<EventRecord | null>(null);
  private started = false;
  private timer?: ReturnType<typeof setTimeout>;

  start(): void {
    if (this.started) return;
    this.started = true;
    // follow: read now, and again at the stream's head (an evaluation changed in between is not missed).
    this.live.follow(
      (e) => {
        if (e.stream_type !== 'evaluation_job' || !LIFECYCLE.has(e.type)) return;
        this.lastEvent.set(e);
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refresh(), 100);
      },
      () => void this.refresh(),
    );
  }

  async refresh(): Promise<void> {
    try {
      this.jobs.set(await this.api.list());
      this.error.set(null);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      this.loaded.set(true);
    }
  }
}
