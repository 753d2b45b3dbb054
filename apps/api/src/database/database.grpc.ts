import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type { ExportDatabaseRequest, ImportDatabaseRequest, ImportDatabaseResponse } from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { FramedResponse, RawRequest } from '../platform/transport/large-messages.js';
import { DatabaseHandlers } from './database.handlers.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class DatabaseGrpc {
  constructor(private readonly database: DatabaseHandlers) {}

  /** Built without holding the loop, and sent as built (database-transfer.ts exportFramed). */
  @GrpcMethod(SERVICE, 'ExportDatabase')
  async export(req: ExportDatabaseRequest): Promise<FramedResponse> {
    return this.database.exportFramed(Boolean(req.include_extensions));
  }

  /**
   * The original returned an empty message; the report rides in field 100,
   * which its clients ignore. The request arrives undecoded (a RawRequest,
   * see transport/large-messages.ts) and is decoded by the import's child
   * process; a decoded one (a server without that hook) is taken as is.
   */
  @GrpcMethod(SERVICE, 'ImportDatabase')
  async import(req: ImportDatabaseRequest | RawRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): Promise<ImportDatabaseResponse> {
    if (req instanceof RawRequest) {
      // The request's fingerprint (idempotency) is computed from the decoded request, where it is decoded.
      const report = await this.database.importAsync({ kind: 'grpc', bytes: req.bytes }, { ...callFromGrpc(md), client: call.getPeer?.() });
      return { report };
    }
    const report = await this.database.importAsync(
      { json: req.imported_json || undefined, path: req.imported_json_path || undefined },
      callFromGrpc(md, call),
    );
    return { report };
  }
}
