import type { CallContext } from '../platform/command-runner.js';
import type { RequestAuth } from './http-auth.js';
import { requestFingerprint } from '../platform/event-store/request-fingerprint.js';

export interface HttpRequestLike {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  socket?: { remoteAddress?: string };
  /** Set by the auth middleware. */
  auth?: RequestAuth;
  method?: string;
  originalUrl?: string;
  url?: string;
  body?: unknown;
}

const header = (req: HttpRequestLike, key: string): string | undefined => {
  const v = req.headers[key];
  const s = Array.isArray(v) ? v[0] : v;
  return s ? s.slice(0, 200) : undefined;
};

/**
 * Who is calling, from HTTP headers: idempotency-key, x-correlation-id, and the
 * actor: the token's name when the server has tokens, else x-actor (as the gRPC metadata).
 */
export function callFromHttp(req: HttpRequestLike): CallContext {
  const idempotencyKey = header(req, 'idempotency-key');
  return {
    transport: 'http',
    idempotencyKey,
    // The route carries ids (DELETE /api/prompts/:id), so it is part of the request.
    ...(idempotencyKey
      ? { requestHash: requestFingerprint('http', { method: req.method, url: req.originalUrl ?? req.url, body: req.body }) }
      : {}),
    correlationId: header(req, 'x-correlation-id'),
    actor: req.auth?.principal?.name ?? (req.auth?.required ? undefined : header(req, 'x-actor')),
    client: req.ip ?? req.socket?.remoteAddress,
  };
}
