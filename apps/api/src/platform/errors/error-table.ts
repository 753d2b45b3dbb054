import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ErrorKind } from '@fts/domain';

/** The one place where a domain error's kind becomes a transport status. */
export const ERROR_TABLE: Record<ErrorKind, { grpc: GrpcStatus; http: number }> = {
  invalid_argument: { grpc: GrpcStatus.INVALID_ARGUMENT, http: 400 },
  not_found: { grpc: GrpcStatus.NOT_FOUND, http: 404 },
  already_exists: { grpc: GrpcStatus.ALREADY_EXISTS, http: 409 },
  failed_precondition: { grpc: GrpcStatus.FAILED_PRECONDITION, http: 412 },
  aborted: { grpc: GrpcStatus.ABORTED, http: 409 },
  unavailable: { grpc: GrpcStatus.UNAVAILABLE, http: 503 },
  // 507 Insufficient Storage: the disk holding the database is full.
  resource_exhausted: { grpc: GrpcStatus.RESOURCE_EXHAUSTED, http: 507 },
};
