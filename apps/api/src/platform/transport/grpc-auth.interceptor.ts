import { ServerInterceptingCall, status as GrpcStatus, type Metadata, type ServerInterceptor } from '@grpc/grpc-js';
import { decideAccess, requiredRoleForGrpc } from '../auth/access-policy.js';
import { bearerToken, type TokenTable } from '../auth/token-table.js';

const REFUSAL_CODE = { missing: GrpcStatus.UNAUTHENTICATED, invalid: GrpcStatus.UNAUTHENTICATED, forbidden: GrpcStatus.PERMISSION_DENIED } as const;

const first = (md: Metadata, key: string): string | undefined => {
  const v = md.get(key)[0];
  return v === undefined ? undefined : String(v);
};

/**
 * With tokens, every gRPC call's token and role are checked from its metadata,
 * before its message is read: a refused call is answered at once and its body
 * is never buffered or inflated. An accepted call carries the token's name as
 * `x-actor`, whatever the client put there.
 */
export function grpcAuthInterceptor(tokens: TokenTable): ServerInterceptor {
  return (method, call) => {
    if (!tokens.enabled) return call as ServerInterceptingCall; // no layer of its own on every call (grpc-js chains whatever call is returned)
    const name = method.path.slice(method.path.lastIndexOf('/') + 1);
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
