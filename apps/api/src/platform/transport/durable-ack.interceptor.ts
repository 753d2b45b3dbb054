import { Injectable, Optional, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { concatMap, defer, from, of, type Observable } from 'rxjs';
import { GroupCommit } from '../database/group-commit.js';
import { EventStore } from '../event-store/event-store.js';
import { WriteGate } from './write-gate.js';

/**
 * Holds every answer of a request that committed until its commit is on disk
 * (GroupCommit), so an acknowledged write survives a power loss. Requests
 * that wrote nothing, and server streams, are not held. While the WriteGate
 * is closed (an import runs on a connection of its own), requests that may
 * write wait for it before their handler runs.
 */
@Injectable()
export class DurableAckInterceptor implements NestInterceptor {
  constructor(
    private readonly store: EventStore,
    private readonly group: GroupCommit,
    @Optional() private readonly gate?: WriteGate,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.gate?.closed && mayWrite(context)) {
      const gate = this.gate;
      return defer(() => from(gate.opened())).pipe(concatMap(() => this.answer(context, next)));
    }
    return this.answer(context, next);
  }

  private answer(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const before = this.store.commits;
    const out = next.handle();
    if (context.getType() === 'rpc' && isWritableCall(context.getArgByIndex(2))) return out;
    // A request that wrote nothing is answered synchronously: no promise, no extra turn of the loop.
    return out.pipe(concatMap((value: unknown) => (this.store.commits !== before ? this.group.durable().then(() => value) : of(value))));
  }
}

/** A server-streaming gRPC call (its answer is a stream of writes, not one value). */
const isWritableCall = (call: unknown) => typeof (call as { write?: unknown } | undefined)?.write === 'function';

/** gRPC methods that only read (as in the access policy), HTTP GET/HEAD/OPTIONS. */
const GRPC_READ = /^(List|Get|Watch)[A-Z]|^ExportDatabase$/;
function mayWrite(context: ExecutionContext): boolean {
  if (context.getType() === 'rpc') {
    const path = (context.getArgByIndex(2) as { getPath?: () => string } | undefined)?.getPath?.() ?? '';
    return !GRPC_READ.test(path.slice(path.lastIndexOf('/') + 1));
  }
  if (context.getType() === 'http') {
    const method = (context.switchToHttp().getRequest() as { method?: string }).method ?? 'GET';
    return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
  }
  return true;
}
