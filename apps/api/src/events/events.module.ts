import { Module } from '@nestjs/common';
import { EventsHttp } from './events.http.js';
import { EventsGrpc } from './events.grpc.js';
import { EventsHandlers } from './events.handlers.js';

@Module({ controllers: [EventsGrpc, EventsHttp], providers: [EventsHandlers], exports: [EventsHandlers] })
export class EventsModule {}
