import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { throwError } from 'rxjs';
import { isDomainError } from '@fts/domain';
import { ERROR_TABLE } from './error-table.js';

/**
 * gRPC carries `details` in a trailer; an oversized one (an echoed 100 kB id)
 * is never delivered and the call hangs. Keep every message well under it.
 */
export const MAX_DETAILS_LENGTH = 1000;

export function boundedMessage(message: string): string {
  return message.length <= MAX_DETAILS_LENGTH ? message : `${message.slice(0, MAX_DETAILS_LENGTH - 1)}…`;
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
 * Domain errors map through the error table; anything else is a bug, logged
 * with its stack and reported as INTERNAL without leaking internals.
 */
@Catch()
export class GrpcExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('gRPC');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'rpc') throw exception;
    if (isDomainError(exception)) {
      const code = ERROR_TABLE[exception.kind].grpc;
      const message = boundedMessage(exception.message);
      return throwError(() => ({ code, message, details: message }));
    }
    if (exception instanceof GrpcRefusal) {
      return throwError(() => ({ code: exception.code, message: exception.message, details: exception.message }));
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    const message = 'The server failed to handle this request; the error is in its log.';
    return throwError(() => ({ code: GrpcStatus.INTERNAL, message, details: message }));
  }
}
