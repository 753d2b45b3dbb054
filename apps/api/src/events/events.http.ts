import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { queryFields } from '../http/query-fields.js';
import { queryInt } from '../http/request-shape.js';
import { sendSse } from '../http/sse.js';
import { EventsHandlers } from './events.handlers.js';
import { toEventJson } from './event-json.js';
import { listEvents, listEventsRequest } from './list-events.request.js';
import { watchEventsRequest } from './watch-events.request.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/events: the audit log (ListEvents), and /api/events/stream as Server-Sent Events (WatchEvents). The event types are `?type=` here. */
@ApiTags('events')
@Controller('api/events')
export class EventsHttp {
  constructor(private readonly events: EventsHandlers) {}

  @Get()
  @ApiContract({ query: ['eventFilter', 'eventRange'], ok: 'EventList' })
  list(@Query() q: Q) {
    return listEvents(this.events, listEventsRequest(queryFields(q), 'type'), toEventJson);
  }

  /** Resumes after the `Last-Event-ID` header (an EventSource reconnecting) or `?after_position=`. */
  @Get('stream')
  @ApiContract({ query: ['eventFilter', 'eventResume', 'sse'], ok: 'Event', as: 'sse', events: 'the event type' })
  stream(@Query() q: Q, @Req() req: IncomingMessage, @Res() res: ServerResponse) {
    const lastId = req.headers['last-event-id'];
    const filter = watchEventsRequest(queryFields(q), 'type', lastId !== undefined ? queryInt('Last-Event-ID', lastId, 0) : undefined);
    sendSse(req, res, (demand) => this.events.watch(filter, demand), (e) => ({ id: e.position, event: e.type, data: toEventJson(e) }));
  }
}
