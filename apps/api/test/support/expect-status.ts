/** Assertions on call outcomes that print the status and details on failure. */
import { expect } from '@jest/globals';
import type { Attempt, Msg } from './grpc-client.js';

/** Asserts the call failed with `code` (or one of `code`) and, when given, the exact details text (or a pattern). */
export function expectStatus(a: Attempt, code: string | string[], details?: string | RegExp): void {
  const codes = Array.isArray(code) ? code : [code];
  const got = a.ok ? { code: 'OK', details: `(response ${JSON.stringify(a.response).slice(0, 300)})` } : { code: a.codeName, details: a.details };
  const want = {
    code: codes.length === 1 ? codes[0] : expect.stringMatching(new RegExp(`^(${codes.join('|')})$`)),
    details: details === undefined ? expect.anything() : typeof details === 'string' ? details : expect.stringMatching(details),
  };
  expect(got).toEqual(want);
}

/** Asserts the call succeeded and returns its response. */
export function expectOk<T = Msg>(a: Attempt<T>): T {
  if (!a.ok) expect({ code: a.codeName, details: a.details }).toEqual({ code: 'OK', details: '' });
  return (a as { response: T }).response;
}
