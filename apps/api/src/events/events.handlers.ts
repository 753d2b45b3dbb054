import { Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { invalidArgument, type RecordedEvent } from '@fts/domain';
import { EventStore, type EventFilter } from '../platform/event-store/event-store.js';
import { EventBus } from '../platform/event-bus.js';
import { followLog } from '../platform/event-store/follow-log.js';
import { UNLIMITED, type Demand } from '../platform/transport/flow.js';

export const MAX_EVENTS_PER_PAGE = 10_000;

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

  /** The position of the last event recorded (0: an empty log). */
  head(): number {
    return this.store.lastPosition();
  }

  /**
   * Every stored event after `afterPosition` that matches, then live ones, at
   * the pace `demand` allows (see followLog): no gaps, no duplicates, and a
   * reader that stops reading costs one batch, not the log.
   */
  watch(filter: EventFilter, demand: Demand = UNLIMITED): Observable<RecordedEvent> {
    checkFilter(filter);
    return followLog(this.store, this.bus, filter, demand);
  }
}

function checkFilter(f: EventFilter) {
  for (const [k, v] of Object.entries({ after_position: f.afterPosition, to_position: f.toPosition, before_position: f.beforePosition, limit: f.limit })) {
    if (v !== undefined && (!Number.isFinite(v) || v < 0)) throw invalidArgument('EVENTS.FILTER', `Field '${k}' must be 0 or greater.`);
  }
  for (const [k, v] of Object.entries({ from_time: f.fromTime, to_time: f.toTime })) {
    if (v && Number.isNaN(Date.parse(v))) throw invalidArgument('EVENTS.FILTER', `Field '${k}' must be an ISO-8601 time; got '${v}'.`);
  }
}
