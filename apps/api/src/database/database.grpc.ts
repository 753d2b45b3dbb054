import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type { ExportDatabaseRequest, ImportDatabaseRequest, ImportDatabaseResponse } from '@fts/proto';
import { EncodedResponse } from '../platform/transport/list-response-cache.js';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { DatabaseHandlers } from './database.handlers.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class DatabaseGrpc {
  constructor(private readonly database: DatabaseHandlers) {}

  /** Built without holding the loop, and sent as the encoded message (the document is never one string). */
  @GrpcMethod(SERVICE, 'ExportDatabase')
  async export(req: ExportDatabaseRequest): Promise<EncodedResponse> {
    return encodeExportResponse(await this.database.exportPieces(Boolean(req.include_extensions)));
  }

  /** The original returned an empty message; the report rides in field 100, which its clients ignore. */
  @GrpcMethod(SERVICE, 'ImportDatabase')
  async import(req: ImportDatabaseRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): Promise<ImportDatabaseResponse> {
    const report = await this.database.importAsync(
      { json: req.imported_json || undefined, path: req.imported_json_path || undefined },
      callFromGrpc(md, call),
    );
    return { report };
  }
}

/** ExportDatabaseResponse { string exported_json = 1 } from the document's UTF-8 bytes: tag (field 1, length-delimited), varint length, the bytes. */
export function encodeExportResponse(pieces: Buffer[]): EncodedResponse {
  const length = pieces.reduce((n, p) => n + p.length, 0);
  const header = [0x0a];
  for (let n = length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      header.push(n);
      break;
    }
    header.push((n % 128) | 0x80);
  }
  return new EncodedResponse(Buffer.concat([Buffer.from(header), ...pieces], header.length + length));
}
