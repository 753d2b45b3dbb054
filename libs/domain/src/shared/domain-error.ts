/**
 * A broken business rule. `kind` decides the transport status (one table in
 * apps/api/src/platform/errors); `code` is stable across processes and is
 * what tests assert on; `message` is a sentence a person can act on.
 */
export type ErrorKind =
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'failed_precondition'
  | 'aborted'
  | 'unavailable'
  | 'resource_exhausted';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalidArgument = (code: string, message: string) =>
  new DomainError('invalid_argument', code, message);
export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
export const alreadyExists = (code: string, message: string) =>
  new DomainError('already_exists', code, message);
export const failedPrecondition = (code: string, message: string) =>
  new DomainError('failed_precondition', code, message);
export const unavailable = (code: string, message: string) => new DomainError('unavailable', code, message);
export const aborted = (code: string, message: string) => new DomainError('aborted', code, message);
/** Out of a resource the client cannot fix by changing the request (disk space). */
export const resourceExhausted = (code: string, message: string) => new DomainError('resource_exhausted', code, message);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
