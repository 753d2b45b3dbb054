import type { CallContext } from '../platform/command-runner.js';
import { requestFingerprint } from '../platform/event-store/request-fingerprint.js';

export interface HttpRequestLike {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  socket?: { remoteAddress?: string };
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

/** Who is calling, from HTTP headers: idempotency-key, x-correlation-id, x-actor (as the gRPC metadata). */
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
    actor: header(req, 'x-actor'),
    client: req.ip ?? req.socket?.remoteAddress,
  };
}
