import type { WireFields } from '../platform/transport/wire-fields.js';
import type { EventsHandlers } from './events.handlers.js';
import { eventFilterRequest } from './list-events.request.js';

type EventFilter = Parameters<EventsHandlers['watch']>[0];

/** WatchEventsRequest (gRPC message or the query of GET /api/events/stream); HTTP may resume from `Last-Event-ID` instead of `after_position`. */
export function watchEventsRequest(f: WireFields, typesField: 'types' | 'type', afterPosition = f.num('after_position')): EventFilter {
  return { ...eventFilterRequest(f, typesField), afterPosition };
}
