import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { queryInt, queryList, queryStr } from '../http/request-shape.js';
import { sendSse } from '../http/sse.js';
import { EventsHandlers } from './events.handlers.js';
import { toEventJson } from './event-json.js';

type Q = Record<string, string | string[] | undefined>;


const filterOf = (q: Q) => ({
  streamId: queryStr('stream_id', q.stream_id) || undefined,
  streamType: queryStr('stream_type', q.stream_type) || undefined,
  types: queryList('type', q.type).length ? queryList('type', q.type) : undefined,
});

/** /api/events: the audit log (ListEvents), and /api/events/stream as Server-Sent Events (WatchEvents). */
@ApiTags('events')
@Controller('api/events')
export class EventsHttp {
  constructor(private readonly events: EventsHandlers) {}

  @Get()
  @ApiContract({ query: ['eventFilter', 'eventRange'], ok: 'EventList' })
  list(@Query() q: Q) {
    const after = queryInt('after_position', q.after_position, 0);
    const events = this.events.list({
      ...filterOf(q),
      afterPosition: after || undefined,
      toPosition: queryInt('to_position', q.to_position, 0) || undefined,
      fromTime: queryStr('from_time', q.from_time) || undefined,
      toTime: queryStr('to_time', q.to_time) || undefined,
      limit: queryInt('limit', q.limit, 0) || undefined,
    });
    const last = events.length ? events[events.length - 1].position : after;
    return { events: events.map(toEventJson), last_position: last };
  }

  /** Resumes after the `Last-Event-ID` header (an EventSource reconnecting) or `?after_position=`. */
  @Get('stream')
  @ApiContract({ query: ['eventFilter', 'eventResume', 'sse'], ok: 'Event', as: 'sse', events: 'the event type' })
  stream(@Query() q: Q, @Req() req: IncomingMessage, @Res() res: ServerResponse) {
    const lastId = req.headers['last-event-id'];
    const after = queryInt(lastId !== undefined ? 'Last-Event-ID' : 'after_position', lastId ?? q.after_position, 0);
    const filter = { ...filterOf(q), afterPosition: after };
    sendSse(req, res, (demand) => this.events.watch(filter, demand), (e) => ({ id: e.position, event: e.type, data: toEventJson(e) }));
  }
}
