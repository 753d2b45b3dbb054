import { Injectable, NgZone, OnDestroy, inject, signal } from '@angular/core';
import { API_BASE } from './api';
import { EventRecord } from './models';

/** Every event type the server emits as an SSE `event:` name (EventSource needs a listener per name). */
export const EVENT_TYPES = [
  'AdapterAdded', 'AdapterRemoved', 'AdapterComparisonQueued', 'ConfigAdded', 'ConfigImported', 'ConfigRemoved',
  'DatasetAdded', 'DatasetImported', 'DatasetRemoved', 'EvaluationJobQueued', 'EvaluationJobRemoved',
  'FineTuningJobAdded', 'FineTuningJobQueued', 'FineTuningJobRemoved', 'JobAdapterRegistered', 'JobCancelRequested',
  'JobCancelled', 'JobCheckpointRecorded', 'JobDetailsRecorded', 'JobDispatched', 'JobFailed', 'JobProgressRecorded', 'JobResultRecorded',
  'JobRetryScheduled', 'JobRunSubmitted', 'JobStarted', 'JobStatusRecorded', 'JobSucceeded', 'ModelAdded', 'ModelExportRequested',
  'ModelRemoved', 'PromptAdded', 'PromptImported', 'PromptRemoved', 'RowAdded', 'RowRemoved', 'RowUpdated',
] as const;

export type LiveListener = (e: EventRecord) => void;

/**
 * How long a page's first read waits for the stream's head frame (see readAtHead). The head usually comes
 * tens of milliseconds after a page starts; a slower one does not hold the page longer than this.
 */
export const HEAD_WAIT_MS = 200;

/** Reconnect delays after the stream drops: doubling from the first to the cap, reset once connected. */
export const RECONNECT_FIRST_MS = 500;
export const RECONNECT_MAX_MS = 5_000;

/** The wait before reconnect attempt `n` (0-based), with ±20 % jitter so tabs do not reconnect in step. */
export function reconnectDelay(n: number, random = Math.random): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** n);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * The console's single live connection: one EventSource on /api/events/stream,
 * opened from the log's head (`?from=head`): the console reads current state
 * through queries, so no history is replayed on a page load. Stores subscribe with a listener. When the stream drops (the server shuts
 * down or restarts) it shows Offline and reconnects with backoff, resuming
 * after the last position it saw, so no event is missed or repeated.
 */
@Injectable({ providedIn: 'root' })
export class LiveEvents implements OnDestroy {
  readonly connected = signal(false);
  readonly lastPosition = signal(0);
  private readonly listeners = new Set<LiveListener>();
  /** Loads to run again when the head frame arrives (see follow). */
  private readonly atHead = new Set<() => void>();
  /** The stream has sent its head frame: a query sent from now on sees everything before what the stream sends. */
  private headSeen = false;
  private source?: EventSource;
  private retry?: ReturnType<typeof setTimeout>;
  private attempts = 0;
  private destroyed = false;
  private readonly zone = inject(NgZone);

  /** Register a listener; returns the function that removes it. Opens the stream on first use. */
  subscribe(fn: LiveListener): () => void {
    this.listeners.add(fn);
    this.open();
    return () => this.listeners.delete(fn);
  }

  /**
   * A store's live view: registers `listener` (opening the stream) and runs
   * `load` (the store's queries) at the stream's head (readAtHead), so the
   * events after the head come to the listener and nothing before it is
   * missed. Both must be idempotent (a re-read, an upsert). Returns the
   * function that removes both.
   */
  follow(listener: LiveListener, load: () => void): () => void {
    const off = this.subscribe(listener);
    const offHead = this.readAtHead(load);
    return () => {
      off();
      offHead();
    };
  }

  /**
   * Runs `load` once the stream has reached its head: a query sent from then on
   * sees everything before what the stream sends, so one read is enough. At the
   * head already (or with no stream): now. Else it waits for the head frame, at
   * most HEAD_WAIT_MS; past that it reads now and once more at the head (a query
   * before the head may have missed an event the stream will not send). Reading
   * at once and again at the head read every page twice whenever the page was
   * quicker than the stream (a job's metrics: ~900 KB twice). Returns the
   * function that cancels what is still to run.
   */
  readAtHead(load: () => void): () => void {
    if (this.headSeen || this.destroyed || typeof EventSource === 'undefined') {
      load();
      return () => undefined;
    }
    const early = setTimeout(load, HEAD_WAIT_MS);
    const offHead = this.whenAtHead(() => {
      clearTimeout(early);
      load();
    });
    return () => {
      clearTimeout(early);
      offHead();
    };
  }

  /**
   * Runs `load` once when the stream's head frame arrives, if it has not yet (nothing otherwise):
   * for a page that queried before subscribing was enough. Returns the function that cancels it.
   */
  whenAtHead(load: () => void): () => void {
    if (this.headSeen || this.destroyed || typeof EventSource === 'undefined') return () => undefined;
    const again = () => load();
    this.atHead.add(again);
    return () => this.atHead.delete(again);
  }

  /** The stream's head frame (or, on a server without one, its opening): re-run the loads that began before it. */
  private reachedHead(): void {
    if (this.headSeen) return;
    this.headSeen = true;
    const loads = [...this.atHead];
    this.atHead.clear();
    for (const l of loads) {
      try {
        l();
      } catch (err) {
        console.error('live load failed', err);
      }
    }
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
    if (this.source || this.retry || this.destroyed || typeof EventSource === 'undefined') return;
    // First connection: from the head (state comes from queries; the history is not sent). After that:
    // after the last position seen, so a reconnect misses nothing.
    const after = this.lastPosition();
    const src = new EventSource(`${API_BASE}/events/stream${after ? `?after_position=${after}` : '?from=head'}`);
    this.source = src;
    src.onopen = () =>
      this.zone.run(() => {
        this.attempts = 0;
        this.connected.set(true);
      });
    // Any error (the server closed the stream, or cannot be reached): Offline, then our own backoff,
    // resuming after the last position seen (the browser's own retry would not back off).
    src.onerror = () =>
      this.zone.run(() => {
        src.close();
        if (this.source !== src) return;
        this.source = undefined;
        this.connected.set(false);
        this.scheduleReconnect();
      });
    const handle = (m: MessageEvent) => {
      try {
        const rec = JSON.parse(m.data) as EventRecord;
        if (typeof rec.position !== 'number') return; // an error body, not an event
        if (!rec.type && m.type !== 'message') rec.type = m.type;
        this.zone.run(() => this.dispatch(rec));
      } catch {
        /* not an event record (keep-alive) */
      }
    };
    // `event: head` opens a from=head stream: the log's position when the stream began (no listener sees it).
    src.addEventListener('head', ((m: MessageEvent) => {
      try {
        const head = (JSON.parse(m.data) as { position?: unknown }).position;
        this.zone.run(() => {
          if (typeof head === 'number' && head > this.lastPosition()) this.lastPosition.set(head);
          this.reachedHead();
        });
      } catch {
        /* not a head frame */
      }
    }) as EventListener);
    src.onmessage = handle;
    for (const t of EVENT_TYPES) src.addEventListener(t, handle as EventListener);
  }

  private scheduleReconnect(): void {
    if (this.destroyed || this.retry) return;
    const delay = reconnectDelay(this.attempts++);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.open();
    }, delay);
  }

  ngOnDestroy(): void {
    this.destroyed = true;
    clearTimeout(this.retry);
    this.source?.close();
  }
}
