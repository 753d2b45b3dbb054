import type { RecordedEvent } from '@fts/domain';
import type { WireFields } from '../platform/transport/wire-fields.js';
import type { EventsHandlers } from './events.handlers.js';

type EventFilter = Parameters<EventsHandlers['list']>[0];

/**
 * The filter both ListEvents and WatchEvents take. The event types are the
 * gRPC message's `types`; over HTTP the query parameter is `type` (repeated or
 * comma-separated), named by the caller.
 */
export function eventFilterRequest(f: WireFields, typesField: 'types' | 'type'): EventFilter {
  const types = f.strList(typesField);
  return {
    streamId: f.str('stream_id') || undefined,
    streamType: f.str('stream_type') || undefined,
    types: types.length ? types : undefined,
  };
}

/** ListEventsRequest (gRPC message or the query of GET /api/events) → the handler's filter; 0 and '' mean unset. */
export function listEventsRequest(f: WireFields, typesField: 'types' | 'type'): EventFilter {
  return {
    ...eventFilterRequest(f, typesField),
    afterPosition: f.num('after_position') || undefined,
    toPosition: f.num('to_position') || undefined,
    fromTime: f.str('from_time') || undefined,
    toTime: f.str('to_time') || undefined,
    limit: f.num('limit') || undefined,
  };
}

/**
 * ListEvents: one page and the position to continue after (the request's own
 * when the page is empty). Each transport presents the events its own way
 * (EventRecord over gRPC, event objects over HTTP).
 */
export function listEvents<E>(events: EventsHandlers, req: EventFilter, present: (e: RecordedEvent) => E): { events: E[]; last_position: number } {
  const page = events.list(req);
  const last = page.length ? page[page.length - 1].position : (req.afterPosition ?? 0);
  return { events: page.map(present), last_position: last };
}
