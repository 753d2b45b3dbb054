import { Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import { invalidArgument, type RecordedEvent } from '@fts/domain';
import { EventStore, type EventFilter } from '../platform/event-store/event-store.js';
import { EventBus } from '../platform/event-bus.js';

export const MAX_EVENTS_PER_PAGE = 10_000;
const CATCH_UP_BATCH = 500;

/** The audit log: list with filters, and watch from a position without gaps or duplicates. */
@Injectable()
export class EventsHandlers {
  constructor(
    private readonly store: EventStore,
    private readonly bus: EventBus,
  ) {}

  list(filter: EventFilter): RecordedEvent[] {
    checkFilter(filter);
    const limit = Math.min(filter.limit || 1000, MAX_EVENTS_PER_PAGE);
    return this.store.read({ ...filter, limit });
  }

  /**
   * Every stored event after `afterPosition` that matches, then live ones.
   * Subscribes to the bus before reading the log, so nothing committed in
   * between is lost; positions already sent are skipped.
   */
  watch(filter: EventFilter): Observable<RecordedEvent> {
    checkFilter(filter);
    const matches = (e: RecordedEvent) =>
      (!filter.streamId || e.streamId === filter.streamId) &&
      (!filter.streamType || e.streamType === filter.streamType) &&
      (!filter.types?.length || filter.types.includes(e.type));
    return new Observable<RecordedEvent>((sub) => {
      let last = filter.afterPosition ?? 0;
      let catchingUp = true;
      const buffered: RecordedEvent[] = [];
      const emit = (e: RecordedEvent) => {
        if (e.position <= last) return;
        last = e.position;
        if (matches(e)) sub.next(e);
      };
      let closed = false;
      const live = this.bus.events$.subscribe((e) => (catchingUp ? buffered.push(e) : emit(e)));
      // Catch up in batches, yielding between them so other requests keep being served.
      const catchUp = async () => {
        for (;;) {
          const batch = this.store.read({ afterPosition: last, limit: CATCH_UP_BATCH });
          for (const e of batch) emit(e);
          if (batch.length < CATCH_UP_BATCH || closed) break;
          await new Promise((r) => setImmediate(r));
        }
        catchingUp = false;
        for (const e of buffered.splice(0)) emit(e);
      };
      catchUp().catch((err: unknown) => sub.error(err));
      return () => {
        closed = true;
        live.unsubscribe();
      };
    });
  }
}

function checkFilter(f: EventFilter) {
  for (const [k, v] of Object.entries({ after_position: f.afterPosition, to_position: f.toPosition, limit: f.limit })) {
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw invalidArgument('EVENTS.FILTER', `Field '${k}' must be 0 or greater.`);
  }
  for (const [k, v] of Object.entries({ from_time: f.fromTime, to_time: f.toTime })) {
    if (v && Number.isNaN(Date.parse(v))) throw invalidArgument('EVENTS.FILTER', `Field '${k}' must be an ISO-8601 time; got '${v}'.`);
  }
}
