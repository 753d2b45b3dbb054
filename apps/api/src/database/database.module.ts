import { Module } from '@nestjs/common';
import { DatabaseGrpc } from './database.grpc.js';
import { DatabaseHandlers } from './database.handlers.js';

@Module({
  controllers: [DatabaseGrpc],
  providers: [DatabaseHandlers],
  exports: [DatabaseHandlers],
})
export class DatabaseModule {}
