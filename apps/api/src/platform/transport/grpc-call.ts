import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type { CallContext } from '../command-runner.js';
import { requestFingerprint } from '../event-store/request-fingerprint.js';

const first = (md: Metadata | undefined, key: string): string | undefined => {
  const v = md?.get(key)?.[0];
  return v === undefined ? undefined : String(v);
};

/** Who is calling, from gRPC metadata: idempotency-key, x-correlation-id, x-actor (the token's name when the server has tokens: the auth interceptor sets it). */
export function callFromGrpc(md: Metadata | undefined, call?: ServerUnaryCall<unknown, unknown>): CallContext {
  const idempotencyKey = first(md, 'idempotency-key')?.slice(0, 200);
  return {
    transport: 'grpc',
    idempotencyKey,
    ...(idempotencyKey && call ? { requestHash: requestFingerprint('grpc', call.request) } : {}),
    correlationId: first(md, 'x-correlation-id')?.slice(0, 200),
    actor: first(md, 'x-actor')?.slice(0, 200),
    client: call?.getPeer?.(),
  };
}
