import { Module } from '@nestjs/common';
import { AdapterComparisonsHandlers } from './adapter-comparisons.handlers.js';
import { ComparisonsGrpc } from './comparisons.grpc.js';
import { ComparisonsHttp } from './comparisons.http.js';

/** Adapter comparisons: start one (recorded `queued`; the supervisor runs it like any job) and read its outputs. */
@Module({
  controllers: [ComparisonsGrpc, ComparisonsHttp],
  providers: [AdapterComparisonsHandlers],
  exports: [AdapterComparisonsHandlers],
})
export class ComparisonsModule {}
