import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type { ExportDatabaseRequest, ExportDatabaseResponse, ImportDatabaseRequest, ImportDatabaseResponse } from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { DatabaseHandlers } from './database.handlers.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class DatabaseGrpc {
  constructor(private readonly database: DatabaseHandlers) {}

  @GrpcMethod(SERVICE, 'ExportDatabase')
  export(req: ExportDatabaseRequest): ExportDatabaseResponse {
    return { exported_json: this.database.export(Boolean(req.include_extensions)) };
  }

  /** The original returned an empty message; the report rides in field 100, which its clients ignore. */
  @GrpcMethod(SERVICE, 'ImportDatabase')
  import(req: ImportDatabaseRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): ImportDatabaseResponse {
    const report = this.database.import(
      { json: req.imported_json || undefined, path: req.imported_json_path || undefined },
      callFromGrpc(md, call),
    );
    return { report };
  }
}
