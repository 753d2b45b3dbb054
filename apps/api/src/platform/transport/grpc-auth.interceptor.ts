import { Logger } from '@nestjs/common';
import { ServerInterceptingCall, status as GrpcStatus, type Metadata, type ServerInterceptingCallInterface, type ServerInterceptor } from '@grpc/grpc-js';
import { decideAccess, requiredRoleForGrpc } from '../auth/access-policy.js';
import { bearerToken, type TokenTable } from '../auth/token-table.js';

/** The largest message of any method but ImportDatabase (a 1,000,000-character config is at most 3 MB of UTF-8). */
export const MAX_ORDINARY_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Methods allowed the server-wide limit (grpc-options MAX_MESSAGE_BYTES): an import file is one message. */
const LARGE_MESSAGE_METHODS = new Set(['ImportDatabase']);

const REFUSAL_CODE = { missing: GrpcStatus.UNAUTHENTICATED, invalid: GrpcStatus.UNAUTHENTICATED, forbidden: GrpcStatus.PERMISSION_DENIED } as const;

const logger = new Logger('gRPC');
let limitWarned = false;

/**
 * grpc-js has one receive limit per server. Before the first read (the stream
 * is paused until then) the call's decoder can take a lower one: its length
 * check refuses a bigger message from its 5-byte prefix, and the inflate check
 * stops a compressed one as it grows. Both fields are grpc-js internals, so a
 * grpc-js without them keeps the server-wide limit (and says so once).
 */
function lowerReceiveLimit(call: ServerInterceptingCallInterface, bytes: number): void {
  const base = call as unknown as { maxReceiveMessageSize?: number; decoder?: { maxReadMessageLength?: number } };
  if (typeof base.maxReceiveMessageSize !== 'number' || typeof base.decoder?.maxReadMessageLength !== 'number') {
    if (!limitWarned) logger.warn('this grpc-js does not allow per-method message limits: every method accepts the server-wide limit');
    limitWarned = true;
    return;
  }
  const lower = (current: number) => (current === -1 ? bytes : Math.min(current, bytes));
  base.maxReceiveMessageSize = lower(base.maxReceiveMessageSize);
  base.decoder.maxReadMessageLength = lower(base.decoder.maxReadMessageLength);
}

const first = (md: Metadata, key: string): string | undefined => {
  const v = md.get(key)[0];
  return v === undefined ? undefined : String(v);
};

/**
 * The first thing every gRPC call meets, before its message is read: the
 * per-method size limit, then (with tokens) the token and its role. A refused
 * call is answered from its metadata alone, so its body is never buffered or
 * inflated. An accepted call carries the token's name as `x-actor`, whatever
 * the client put there.
 */
export function grpcAuthInterceptor(tokens: TokenTable): ServerInterceptor {
  return (method, call) => {
    const name = method.path.slice(method.path.lastIndexOf('/') + 1);
    if (!LARGE_MESSAGE_METHODS.has(name)) lowerReceiveLimit(call, MAX_ORDINARY_MESSAGE_BYTES);
    if (!tokens.enabled) return new ServerInterceptingCall(call);
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (md, nextMd) => {
            const token = bearerToken(first(md, 'authorization'));
            const decision = decideAccess(token, tokens.identify(token), name, requiredRoleForGrpc(name));
            if (!decision.ok) {
              call.sendStatus({ code: REFUSAL_CODE[decision.reason], details: decision.message });
              return;
            }
            md.set('x-actor', decision.principal.name);
            nextMd(md);
          },
        }),
    });
  };
}
