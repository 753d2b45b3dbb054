import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { map, type Observable } from 'rxjs';
import type { EventRecord, ListEventsRequest, ListEventsResponse, WatchEventsRequest } from '@fts/proto';
import { EventsHandlers } from './events.handlers.js';
import { toEventRecord } from './event-json.js';
import { grpcDemand, type GrpcStreamCall } from '../platform/transport/flow.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class EventsGrpc {
  constructor(private readonly events: EventsHandlers) {}

  @GrpcMethod(SERVICE, 'ListEvents')
  list(req: ListEventsRequest): ListEventsResponse {
    const events = this.events.list({
      afterPosition: Number(req.after_position) || undefined,
      toPosition: Number(req.to_position) || undefined,
      streamId: req.stream_id || undefined,
      streamType: req.stream_type || undefined,
      types: req.types?.length ? req.types : undefined,
      fromTime: req.from_time || undefined,
      toTime: req.to_time || undefined,
      limit: req.limit || undefined,
    });
    const last = events.length ? events[events.length - 1].position : Number(req.after_position) || 0;
    return { events: events.map(toEventRecord), last_position: last };
  }

  @GrpcMethod(SERVICE, 'WatchEvents')
  watch(req: WatchEventsRequest, _md: Metadata, call: GrpcStreamCall): Observable<EventRecord> {
    return this.events
      .watch(
        {
          afterPosition: Number(req.after_position) || 0,
          streamId: req.stream_id || undefined,
          streamType: req.stream_type || undefined,
          types: req.types?.length ? req.types : undefined,
        },
        grpcDemand(call),
      )
      .pipe(map(toEventRecord));
  }
}
