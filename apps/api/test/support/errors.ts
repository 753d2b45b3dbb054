/** The one error catcher of the API specs: what a handler refused with, as the DomainError it threw. */
import { DomainError } from '@fts/domain';

/**
 * The DomainError `fn` throws. Fails the test when `fn` returns, and
 * rethrows anything that is not a DomainError (a bug, not a refusal).
 */
export function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

/** The DomainError a promise (or an async function) rejects with; same rules as errorOf. */
export async function rejectionOf(p: Promise<unknown> | (() => unknown)): Promise<DomainError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but it resolved');
}
