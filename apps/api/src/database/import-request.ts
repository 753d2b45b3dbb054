import loader from '@grpc/proto-loader';
import { PROTO_PACKAGE, PROTO_PATH, SERVICE_NAME } from '@fts/proto';
import { invalidArgument } from '@fts/domain';
import type { CallContext } from '../platform/command-runner.js';
import { requestFingerprint } from '../platform/event-store/request-fingerprint.js';
import { GRPC_LOADER_OPTIONS } from '../platform/transport/grpc-loader-options.js';
import type { ImportSource } from './database-transfer.js';

/**
 * An import as the server received it, still bytes: decoded where the import
 * runs (the child process of import-off-thread.ts), so that the server's
 * event loop never decodes, copies or serializes a document of tens of
 * megabytes.
 */
export type EncodedImport =
  /** An ImportDatabaseRequest's protobuf bytes (the gRPC server hands them over undecoded: transport/large-messages.ts). */
  | { kind: 'grpc'; bytes: Buffer }
  /** POST /api/database/import: the body as read, in the request's charset; `url` as the request gave it (its fingerprint holds it). */
  | { kind: 'http'; chunks: Buffer[]; charset: string; url: string };

type Deserialize = (bytes: Buffer) => { imported_json?: string; imported_json_path?: string };
let deserialize: Deserialize | undefined;

function requestDecoder(): Deserialize {
  if (!deserialize) {
    const methods = loader.loadSync(PROTO_PATH, GRPC_LOADER_OPTIONS)[`${PROTO_PACKAGE}.${SERVICE_NAME}`] as unknown as Record<string, { requestDeserialize: Deserialize }>;
    deserialize = methods.ImportDatabase.requestDeserialize;
  }
  return deserialize;
}

/**
 * The source and call of an encoded import: what the gRPC handler or the
 * HTTP route would have handed DatabaseTransfer.import, with the same
 * refusals (bytes that are not an ImportDatabaseRequest, an empty body) and,
 * for a call with an idempotency key, the request's fingerprint as
 * callFromGrpc or callFromHttp computes it from the decoded request.
 */
export function decodeImport(encoded: EncodedImport, call: CallContext): { source: ImportSource; call: CallContext } {
  if (encoded.kind === 'http') {
    const text = decodeBody(encoded.chunks, encoded.charset);
    if (text.trim() === '') {
      throw invalidArgument('HTTP.BODY_EMPTY', 'Send the export document as the request body (Content-Type: application/json).');
    }
    // As callFromHttp fingerprints a request, with the body as the text parser gave it.
    const requestHash = call.idempotencyKey ? requestFingerprint('http', { method: 'POST', url: encoded.url, body: text }) : undefined;
    return { source: { json: text }, call: requestHash ? { ...call, requestHash } : call };
  }
  let request: ReturnType<Deserialize>;
  try {
    request = requestDecoder()(encoded.bytes);
  } catch {
    throw invalidArgument('GRPC.UNDECODABLE_REQUEST', 'The request is not a valid ImportDatabaseRequest message: its bytes could not be decoded as protobuf.');
  }
  return {
    source: { json: request.imported_json || undefined, path: request.imported_json_path || undefined },
    call: call.idempotencyKey ? { ...call, requestHash: requestFingerprint('grpc', request) } : call,
  };
}

/** The body as text, as body-parser's text parser decodes it (a leading BOM dropped, bad sequences replaced). */
function decodeBody(chunks: Buffer[], charset: string): string {
  const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  return new TextDecoder(charset).decode(bytes);
}
