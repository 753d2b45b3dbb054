import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { throwError } from 'rxjs';
import { isDomainError } from '@fts/domain';
import { ERROR_TABLE } from './error-table.js';

/**
 * gRPC carries `details` in a trailer; an oversized one (an echoed 100 kB id)
 * is never delivered and the call hangs. Keep every message well under it.
 */
export const MAX_DETAILS_LENGTH = 1000;

/** The stable code of an unexpected failure, on both transports. */
export const INTERNAL_ERROR_CODE = 'SERVER.INTERNAL';

export function boundedMessage(message: string): string {
  return message.length <= MAX_DETAILS_LENGTH ? message : `${message.slice(0, MAX_DETAILS_LENGTH - 1)}…`;
}

/** The trailer that carries a domain error's stable code (`DATASET.NOT_FOUND`), so clients can branch on it. */
export const ERROR_CODE_TRAILER = 'fts-error-code';

/** Trailing metadata holding the stable error code. */
export function errorCodeMetadata(code: string): Metadata {
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_TRAILER, code);
  return metadata;
}

/** A transport-level refusal (authentication) that is not a domain rule. */
export class GrpcRefusal extends Error {
  constructor(
    readonly code: GrpcStatus,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Turns whatever a gRPC handler threw into a status and a `details` sentence.
 * Domain errors map through the error table and carry their stable code in
 * the `fts-error-code` trailer (the HTTP API sends the same code as the
 * body's `reason`); anything else is a bug, logged with its stack and
 * reported as INTERNAL (`SERVER.INTERNAL`) without leaking internals.
 */
@Catch()
export class GrpcExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('gRPC');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'rpc') throw exception;
    if (isDomainError(exception)) {
      const code = ERROR_TABLE[exception.kind].grpc;
      const message = boundedMessage(exception.message);
      return throwError(() => ({ code, message, details: message, metadata: errorCodeMetadata(exception.code) }));
    }
    if (exception instanceof GrpcRefusal) {
      return throwError(() => ({ code: exception.code, message: exception.message, details: exception.message }));
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    const message = 'The server failed to handle this request; the error is in its log.';
    return throwError(() => ({ code: GrpcStatus.INTERNAL, message, details: message, metadata: errorCodeMetadata(INTERNAL_ERROR_CODE) }));
  }
}
