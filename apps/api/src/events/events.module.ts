import { Module } from '@nestjs/common';
import { EventsGrpc } from './events.grpc.js';
import { EventsHandlers } from './events.handlers.js';

@Module({ controllers: [EventsGrpc], providers: [EventsHandlers], exports: [EventsHandlers] })
export class EventsModule {}
