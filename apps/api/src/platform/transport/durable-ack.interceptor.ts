import { Injectable, Optional, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { concatMap, defer, from, of, type Observable } from 'rxjs';
import { GroupCommit } from '../database/group-commit.js';
import { isDiskFull, StorageHealth } from '../database/storage-health.js';
import { EventStore } from '../event-store/event-store.js';
import { WriteGate } from './write-gate.js';
import { serverStreamingMethods } from './grpc-streaming-methods.js';

/**
 * Holds every answer of a request that wrote until its write is committed
 * (requests share a commit: EventStore's commit group) and on disk
 * (GroupCommit), so an acknowledged write survives a power loss; if the
 * shared COMMIT fails, the request fails with its reason. Requests
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
    @Optional() private readonly storage?: StorageHealth,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.gate?.closed && mayWrite(context)) {
      const gate = this.gate;
      return defer(() => from(gate.opened())).pipe(concatMap(() => this.answer(context, next)));
    }
    return this.answer(context, next);
  }

  private answer(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const before = this.store.writes;
    const out = next.handle();
    if (context.getType() === 'rpc' && isServerStream(context)) return out;
    // A request that wrote nothing is answered synchronously: no promise, no extra turn of the loop.
    return out.pipe(concatMap((value: unknown) => (this.store.writes !== before ? this.durable(before).then(() => value) : this.answered(value))));
  }

  /** Tells GroupCommit the loop is serving more than writes that wait for the disk (it then fsyncs off the loop). */
  private answered(value: unknown): Observable<unknown> {
    this.group.answeredWithoutWrite();
    return of(value);
  }

  private durable(since: number): Promise<void> {
    return this.group.durable(since).catch((e: unknown) => {
      throw this.storage && isDiskFull(e) ? this.storage.full() : e;
    });
  }
}

/** A server-streaming gRPC call (its answer is a stream of messages, not one value). */
const isServerStream = (context: ExecutionContext) => serverStreamingMethods().has(grpcMethodOf(context));

const grpcMethodOf = (context: ExecutionContext) => {
  const path = (context.getArgByIndex(2) as { getPath?: () => string } | undefined)?.getPath?.() ?? '';
  return path.slice(path.lastIndexOf('/') + 1);
};

/** gRPC methods that only read (as in the access policy), HTTP GET/HEAD/OPTIONS. */
const GRPC_READ = /^(List|Get|Watch)[A-Z]|^ExportDatabase$/;
function mayWrite(context: ExecutionContext): boolean {
  if (context.getType() === 'rpc') return !GRPC_READ.test(grpcMethodOf(context));
  if (context.getType() === 'http') {
    const method = (context.switchToHttp().getRequest() as { method?: string }).method ?? 'GET';
    return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
  }
  return true;
}
