import { status as GrpcStatus } from '@grpc/grpc-js';
import { invalidArgument, type DomainError } from '@fts/domain';
import { boundedMessage } from '../platform/errors/grpc-exception.filter.js';
import { ERROR_TABLE } from '../platform/errors/error-table.js';

/** The one error shape of the HTTP API: `{"error": {"code", "reason", "message"}}`. */
export interface HttpErrorBody {
  error: { code: string; reason: string; message: string };
}

/** The gRPC status name (NOT_FOUND, ...) of a status number. */
export const grpcStatusName = (code: GrpcStatus): string => GrpcStatus[code] ?? 'UNKNOWN';

export function errorBody(code: string, reason: string, message: string): HttpErrorBody {
  return { error: { code, reason, message: boundedMessage(message) } };
}

/** A domain error as an HTTP status and body, through the error table. */
export function domainErrorResponse(e: DomainError): { status: number; body: HttpErrorBody } {
  const row = ERROR_TABLE[e.kind];
  return { status: row.http, body: errorBody(grpcStatusName(row.grpc), e.code, e.message) };
}

/** Status names for the transport-level refusals that are not domain rules. */
export const HTTP_STATUS_CODES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  409: 'ABORTED',
  412: 'FAILED_PRECONDITION',
  413: 'RESOURCE_EXHAUSTED',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** A request shape error at the edge (INVALID_ARGUMENT, 400). */
export const badRequest = (reason: string, message: string) => invalidArgument(reason, message);
