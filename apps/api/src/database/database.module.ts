import { Module } from '@nestjs/common';
import { DatabaseHttp } from './database.http.js';
import { DatabaseGrpc } from './database.grpc.js';
import { DatabaseHandlers } from './database.handlers.js';

@Module({
  controllers: [DatabaseGrpc, DatabaseHttp],
  providers: [DatabaseHandlers],
  exports: [DatabaseHandlers],
})
export class DatabaseModule {}
