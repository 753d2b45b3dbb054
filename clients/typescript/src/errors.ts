import * as grpc from '@grpc/grpc-js';

const PREFIX = 'Exception calling application:';

/** grpc status number → name: 5 → 'NOT_FOUND'. */
export function statusName(code: number): string {
  return grpc.status[code] ?? `CODE_${code}`;
}

/**
 * A failed call: `message` is the server's message (a leading "Exception calling
 * application:" removed and trimmed, as the original Python client did), `code` the gRPC
 * status (compare with `Status.NOT_FOUND`), `details` the status details as sent.
 */
export class FtsError extends Error {
  override readonly name = 'FtsError';

  constructor(
    message: string,
    readonly code: grpc.status,
    readonly details: string,
    /** The RPC (or helper) that failed. */
    readonly method?: string,
    /** Trailing metadata of the failed call. */
    readonly metadata?: grpc.Metadata,
  ) {
    super(message);
  }

  /** The status name, e.g. 'NOT_FOUND'. */
  get codeName(): string {
    return statusName(this.code);
  }

  /** An FtsError from whatever a grpc-js call failed with. */
  static from(error: unknown, method?: string): FtsError {
    if (error instanceof FtsError) return error;
    const e = error as Partial<grpc.ServiceError> | undefined;
    if (e && typeof e.code === 'number') {
      const details = typeof e.details === 'string' ? e.details : (e.message ?? '');
      const message = (details.startsWith(PREFIX) ? details.slice(PREFIX.length) : details).trim();
      return new FtsError(message, e.code, details, method, e.metadata);
    }
    const text = error instanceof Error ? error.message : String(error);
    return new FtsError(text, grpc.status.UNKNOWN, text, method);
  }
}

/** `waitForJob` ran out of time before the job reached a terminal status. */
export class JobWaitTimeoutError extends Error {
  override readonly name = 'TimeoutError';

  constructor(
    readonly jobId: string,
    /** The status the job had at the last poll. */
    readonly lastStatus: string,
    readonly timeoutMs: number,
  ) {
    super(`Job '${jobId}' is still ${lastStatus || 'pending'} after ${timeoutMs} ms.`);
  }
}

/** gRPC status codes (`Status.NOT_FOUND` …), to compare with `FtsError.code`. */
export const Status = grpc.status;
