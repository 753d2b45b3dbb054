import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { map, type Observable } from 'rxjs';
import type { EventRecord, ListEventsRequest, ListEventsResponse, WatchEventsRequest } from '@fts/proto';
import { EventsHandlers } from './events.handlers.js';
import { toEventRecord } from './event-json.js';
import { grpcDemand, type GrpcStreamCall } from '../platform/transport/flow.js';
import { messageFields } from '../platform/transport/wire-fields.js';
import { listEvents, listEventsRequest } from './list-events.request.js';
import { watchEventsRequest } from './watch-events.request.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class EventsGrpc {
  constructor(private readonly events: EventsHandlers) {}

  @GrpcMethod(SERVICE, 'ListEvents')
  list(req: ListEventsRequest): ListEventsResponse {
    return listEvents(this.events, listEventsRequest(messageFields(req), 'types'), toEventRecord);
  }

  @GrpcMethod(SERVICE, 'WatchEvents')
  watch(req: WatchEventsRequest, _md: Metadata, call: GrpcStreamCall): Observable<EventRecord> {
    return this.events.watch(watchEventsRequest(messageFields(req), 'types'), grpcDemand(call)).pipe(map(toEventRecord));
  }
}
