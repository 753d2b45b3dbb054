import { Observable, type Subscriber } from 'rxjs';
import { unavailable, type RecordedEvent } from '@fts/domain';
import type { EventBus } from '../event-bus.js';
import { UNLIMITED, type Demand } from '../transport/flow.js';
import type { EventFilter, EventStore } from './event-store.js';

/** Events read from the log per query while a follower is behind. */
export const FOLLOW_BATCH = 100;

export type FollowFilter = Pick<EventFilter, 'afterPosition' | 'streamId' | 'streamType' | 'types'>;

/** The error every stream ends with when the server shuts down (UNAVAILABLE: come back later). */
export const shuttingDown = () => unavailable('SERVER.SHUTTING_DOWN', 'The server is shutting down; reconnect when it is back.');

/**
 * Ends `sub` with `shuttingDown()` when the bus closes; returns the teardown.
 * Every server stream uses it, so a shutdown never waits for a client.
 */
export function endOnShutdown(bus: EventBus, sub: Subscriber<unknown>): () => void {
  if (bus.closed) {
    sub.error(shuttingDown());
    return () => undefined;
  }
  const s = bus.closing$.subscribe(() => sub.error(shuttingDown()));
  return () => s.unsubscribe();
}

/**
 * Every stored event matching `filter` after `afterPosition`, then live ones,
 * at the consumer's pace. While behind (catching up, or after the consumer's
 * buffer filled) it reads the log in batches, waiting for `demand` after each
 * event; once a read reaches the head of the log it switches to the bus in
 * the same tick, so nothing committed in between is lost, and it skips
 * positions already sent. While the consumer keeps up, events go out
 * synchronously with the read or the publication. A consumer that stops
 * reading holds one batch at most: live events are not queued for it, they
 * are read back from the log once it drains.
 */
export function followLog(store: EventStore, bus: EventBus, filter: FollowFilter, demand: Demand = UNLIMITED): Observable<RecordedEvent> {
  const matches = (e: RecordedEvent) =>
    (!filter.streamId || e.streamId === filter.streamId) &&
    (!filter.streamType || e.streamType === filter.streamType) &&
    (!filter.types?.length || filter.types.includes(e.type));
  return new Observable<RecordedEvent>((sub) => {
    let last = filter.afterPosition ?? 0;
    let live = false;
    let closed = false;
    const behind = async () => {
      for (;;) {
        if (closed) return;
        if (!demand.ready()) {
          await demand.drained();
          continue;
        }
        const batch = store.read({ streamId: filter.streamId, streamType: filter.streamType, types: filter.types, afterPosition: last, limit: FOLLOW_BATCH });
        let waited = false;
        for (const e of batch) {
          if (closed) return;
          last = e.position;
          sub.next(e);
          if (!demand.ready()) {
            waited = true;
            await demand.drained();
          }
        }
        // A short batch sent without waiting reached the head of the log in this very tick.
        if (batch.length < FOLLOW_BATCH && !waited) {
          live = !closed;
          return;
        }
        if (!waited) await new Promise((r) => setImmediate(r)); // other requests are served between batches
      }
    };
    const catchUp = () =>
      behind().catch((err: unknown) => {
        if (!closed) sub.error(err);
      });
    const fromBus = bus.events$.subscribe((e) => {
      if (!live || e.position <= last) return;
      last = e.position;
      if (!matches(e)) return;
      sub.next(e);
      if (!demand.ready()) {
        live = false; // what comes next is read back from the log once the consumer drains
        void catchUp();
      }
    });
    const stopOnShutdown = endOnShutdown(bus, sub);
    void catchUp();
    return () => {
      closed = true;
      fromBus.unsubscribe();
      stopOnShutdown();
    };
  });
}
