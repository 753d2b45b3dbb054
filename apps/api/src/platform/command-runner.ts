import { randomUUID } from 'node:crypto';
import { aborted, type DecideContext, type Decision, type EventMetadata } from '@fts/domain';
import type { EventBus } from './event-bus.js';
import { ConcurrencyError, type EventStore } from './event-store/event-store.js';
import { isDiskFull, type StorageHealth } from './database/storage-health.js';

/** Who is calling and how: filled by the transport (gRPC metadata, HTTP headers, CLI). */
export interface CallContext {
  transport: EventMetadata['transport'];
  actor?: string;
  client?: string;
  correlationId?: string;
  idempotencyKey?: string;
  /** The request's fingerprint (request-fingerprint.ts), stored with the idempotency key. */
  requestHash?: string;
}

export const MAX_ATTEMPTS = 5;

const isBusy = (e: unknown) => (e as { code?: string })?.code === 'SQLITE_BUSY';

/** Requests: their answers wait for EventStore.settled() (DurableAckInterceptor), so their writes may share a commit. */
const isRequest = (call: CallContext) => call.transport === 'grpc' || call.transport === 'http';

/**
 * The write path: decide on current state and append atomically, retrying a
 * bounded number of times on a version conflict (then ABORTED), publishing
 * on the bus only after commit. With `groupRequests` (the server), the
 * writes of gRPC and HTTP requests made in one turn of the event loop share
 * one transaction (EventStore's commit group); the supervisor's, the CLI's
 * and the seeder's commit before `run` returns, as they act on them at once.
 */
export class CommandRunner {
  constructor(
    private readonly store: EventStore,
    private readonly bus: EventBus,
    private readonly now: () => string = () => new Date().toISOString(),
    private readonly newId: () => string = randomUUID,
    private readonly storage?: StorageHealth,
    private readonly options: { groupRequests?: boolean } = {},
  ) {}

  run<R>(command: string, decide: (ctx: DecideContext) => Decision<R>, call: CallContext): R {
    const commandId = this.newId();
    const metadata: EventMetadata = {
      correlation_id: call.correlationId || commandId,
      causation_id: commandId,
      actor: call.actor || 'anonymous',
      transport: call.transport,
      ...(call.client ? { client: call.client } : {}),
      ...(call.idempotencyKey ? { idempotency_key: call.idempotencyKey } : {}),
    };
    const idem = call.idempotencyKey ? { key: call.idempotencyKey, command, requestHash: call.requestHash } : undefined;
    const grouped = !!this.options.groupRequests && isRequest(call);
    for (let attempt = 1; ; attempt++) {
      try {
        const out = this.store.transact(
          (read) => decide({ read, now: this.now(), newId: this.newId }),
          metadata,
          idem,
          grouped,
        );
        if (out.events.length) {
          this.store.afterCommit(() => {
            this.storage?.written();
            this.bus.publish(out.events);
          });
        }
        return out.result;
      } catch (e) {
        // A full disk is not a bug of ours: RESOURCE_EXHAUSTED / 507, and health says so.
        if (this.storage && isDiskFull(e)) throw this.storage.full();
        if (!(e instanceof ConcurrencyError || isBusy(e))) throw e;
        if (attempt >= MAX_ATTEMPTS) {
          throw aborted(
            'STORE.CONFLICT',
            `${command} could not be applied: the data it depends on kept changing. Try again.`,
          );
        }
      }
    }
  }
}
