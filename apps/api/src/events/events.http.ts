import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { queryFields } from '../http/query-fields.js';
import { queryInt, queryStr } from '../http/request-shape.js';
import { concat, of } from 'rxjs';
import { invalidArgument, type RecordedEvent } from '@fts/domain';
import type { Demand } from '../platform/transport/flow.js';
import { sendSse } from '../http/sse.js';
import { EventsHandlers } from './events.handlers.js';
import { toEventJson } from './event-json.js';
import { listEvents, listEventsRequest } from './list-events.request.js';
import { watchEventsRequest } from './watch-events.request.js';

type Q = Record<string, string | string[] | undefined>;
type HeadOrEvent = { head: number } | RecordedEvent;

/** `order=desc`: newest first (the console's event log reads its most recent page, then pages back with before_position). */
function newestFirst(q: Q): boolean {
  const order = queryStr('order', q.order) || 'asc';
  if (order !== 'asc' && order !== 'desc') throw invalidArgument('HTTP.BAD_QUERY', `Query parameter 'order' must be 'asc' or 'desc'; got '${order.slice(0, 100)}'.`);
  return order === 'desc';
}

/** /api/events: the audit log (ListEvents), and /api/events/stream as Server-Sent Events (WatchEvents). The event types are `?type=` here. */
@ApiTags('events')
@Controller('api/events')
export class EventsHttp {
  constructor(private readonly events: EventsHandlers) {}

  @Get()
  @ApiContract({ query: ['eventFilter', 'eventRange'], ok: 'EventList' })
  list(@Query() q: Q) {
    const f = queryFields(q);
    // HTTP only: newest first, and paging back from a position (the console's event log).
    const req = { ...listEventsRequest(f, 'type'), beforePosition: f.num('before_position') || undefined, newestFirst: newestFirst(q) };
    return listEvents(this.events, req, toEventJson);
  }

  /**
   * Resumes after the `Last-Event-ID` header (an EventSource reconnecting) or `?after_position=`.
   * `?from=head` (a console loading its state through queries) skips the history: the first frame is
   * `event: head` with the log's last position as its id, then only events recorded after it follow;
   * a client that reconnects with that id (or any later one) misses nothing. Last-Event-ID wins over it.
   */
  @Get('stream')
  @ApiContract({ query: ['eventFilter', 'eventResume', 'sse'], ok: 'Event', as: 'sse', events: 'the event type' })
  stream(@Query() q: Q, @Req() req: IncomingMessage, @Res() res: ServerResponse) {
    const lastId = req.headers['last-event-id'];
    const from = queryStr('from', q.from);
    if (from !== '' && from !== 'head' && from !== 'start') {
      throw invalidArgument('HTTP.BAD_QUERY', `Query parameter 'from' must be 'head' or 'start'; got '${from.slice(0, 100)}'.`);
    }
    if (lastId === undefined && from === 'head') {
      if (q.after_position !== undefined) throw invalidArgument('HTTP.BAD_QUERY', "Give 'from=head' or 'after_position', not both.");
      const head = this.events.head();
      const fromHead = watchEventsRequest(queryFields(q), 'type', head);
      const source = (demand: Demand) => concat(of<HeadOrEvent>({ head }), this.events.watch(fromHead, demand));
      sendSse(req, res, source, (v) =>
        'head' in v ? { id: v.head, event: 'head', data: { position: v.head } } : { id: v.position, event: v.type, data: toEventJson(v) },
      );
      return;
    }
    const filter = watchEventsRequest(queryFields(q), 'type', lastId !== undefined ? queryInt('Last-Event-ID', lastId, 0) : undefined);
    sendSse(req, res, (demand) => this.events.watch(filter, demand), (e) => ({ id: e.position, event: e.type, data: toEventJson(e) }));
  }
}
