import { Injectable, NgZone, OnDestroy, inject, signal } from '@angular/core';
import { API_BASE } from './api';
import { EventRecord } from './models';

/** Every event type the server emits as an SSE `event:` name (EventSource needs a listener per name). */
export const EVENT_TYPES = [
  'AdapterAdded', 'AdapterRemoved', 'AdapterComparisonQueued', 'ConfigAdded', 'ConfigImported', 'ConfigRemoved',
  'DatasetAdded', 'DatasetImported', 'DatasetRemoved', 'EvaluationJobQueued', 'EvaluationJobRemoved',
  'FineTuningJobAdded', 'FineTuningJobQueued', 'FineTuningJobRemoved', 'JobAdapterRegistered', 'JobCancelRequested',
  'JobCancelled', 'JobDetailsRecorded', 'JobDispatched', 'JobFailed', 'JobProgressRecorded', 'JobResultRecorded',
  'JobRunSubmitted', 'JobStarted', 'JobStatusRecorded', 'JobSucceeded', 'ModelAdded', 'ModelExportRequested',
  'ModelRemoved', 'PromptAdded', 'PromptImported', 'PromptRemoved', 'RowAdded', 'RowRemoved', 'RowUpdated',
] as const;

export type LiveListener = (e: EventRecord) => void;

/**
 * The console's single live connection: one EventSource on /api/events/stream.
 * Stores subscribe with a listener; the browser resumes with Last-Event-ID after a drop.
 */
@Injectable({ providedIn: 'root' })
export class LiveEvents implements OnDestroy {
  readonly connected = signal(false);
  readonly lastPosition = signal(0);
  /** Arrival times (performance.now()) by position, for latency measurements in e2e. */
  private readonly listeners = new Set<LiveListener>();
  private source?: EventSource;
  private readonly zone = inject(NgZone);

  /** Register a listener; returns the function that removes it. Opens the stream on first use. */
  subscribe(fn: LiveListener): () => void {
    this.listeners.add(fn);
    this.open();
    return () => this.listeners.delete(fn);
  }

  /** Feed one event to every listener (the SSE handler, and tests). */
  dispatch(e: EventRecord): void {
    if (e.position > this.lastPosition()) this.lastPosition.set(e.position);
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        console.error('live listener failed', err);
      }
    }
  }

  private open(): void {
    if (this.source || typeof EventSource === 'undefined') return;
    const src = new EventSource(`${API_BASE}/events/stream`);
    this.source = src;
    src.onopen = () => this.connected.set(true);
    src.onerror = () => this.connected.set(src.readyState === EventSource.OPEN);
    const handle = (m: MessageEvent) => {
      try {
        const rec = JSON.parse(m.data) as EventRecord;
        if (!rec.type && m.type !== 'message') rec.type = m.type;
        this.zone.run(() => this.dispatch(rec));
      } catch {
        /* not an event record (keep-alive) */
      }
    };
    src.onmessage = handle;
    for (const t of EVENT_TYPES) src.addEventListener(t, handle as EventListener);
  }

  ngOnDestroy(): void {
    this.source?.close();
  }
}
