import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { concatMap, of, type Observable } from 'rxjs';
import { GroupCommit } from '../database/group-commit.js';
import { EventStore } from '../event-store/event-store.js';

/**
 * Holds every answer of a request that committed until its commit is on disk
 * (GroupCommit), so an acknowledged write survives a power loss. Requests
 * that wrote nothing, and server streams, are not held.
 */
@Injectable()
export class DurableAckInterceptor implements NestInterceptor {
  constructor(
    private readonly store: EventStore,
    private readonly group: GroupCommit,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const before = this.store.commits;
    const out = next.handle();
    if (context.getType() === 'rpc' && isWritableCall(context.getArgByIndex(2))) return out;
    // A request that wrote nothing is answered synchronously: no promise, no extra turn of the loop.
    return out.pipe(concatMap((value: unknown) => (this.store.commits !== before ? this.group.durable().then(() => value) : of(value))));
  }
}

/** A server-streaming gRPC call (its answer is a stream of writes, not one value). */
const isWritableCall = (call: unknown) => typeof (call as { write?: unknown } | undefined)?.write === 'function';
