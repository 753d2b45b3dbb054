import { Logger } from '@nestjs/common';
import type { ServerInterceptingCall, ServerInterceptingCallInterface, ServerInterceptor } from '@grpc/grpc-js';
import { MAX_FIELD_LENGTH } from '@fts/domain';
import { largeMessageCall } from './large-messages.js';

/** UTF-8 bytes of the longest string a field capped at MAX_FIELD_LENGTH (UTF-16 units) can hold. */
const LARGE_FIELD_BYTES = 3 * MAX_FIELD_LENGTH;
const MIB = 1024 * 1024;
/** Every method's floor: room for its small fields. */
export const MAX_ORDINARY_MESSAGE_BYTES = 4 * MIB;

/** How many fields capped at MAX_FIELD_LENGTH each method's request has (the deciders' requireMaxLength calls). */
const LARGE_FIELDS: Record<string, number> = {
  StartFineTuningJob: 5,
  StartEvaluationJob: 3,
  AddPrompt: 3,
  ExportModel: 2,
  AddConfig: 1,
  AddAdapter: 1,
  StartAdapterComparison: 1,
};

/**
 * The largest request `method` can need: its capped fields at their UTF-8
 * worst case plus 1 MiB, at least MAX_ORDINARY_MESSAGE_BYTES; undefined for
 * ImportDatabase, whose one message is an import file (the server-wide limit).
 */
export function messageLimitFor(method: string): number | undefined {
  if (method === 'ImportDatabase') return undefined;
  return Math.max(MAX_ORDINARY_MESSAGE_BYTES, (LARGE_FIELDS[method] ?? 0) * LARGE_FIELD_BYTES + MIB);
}

const logger = new Logger('gRPC');
let warned = false;

/**
 * grpc-js has one receive limit per server. Before the first read (the stream
 * is paused until then) the call's decoder can take a lower one: its length
 * check refuses a bigger message from its 5-byte prefix, and the inflate check
 * stops a compressed one as soon as it grows past it. Both fields are grpc-js
 * internals, so a grpc-js without them keeps the server-wide limit (and says so once).
 */
function lowerReceiveLimit(call: ServerInterceptingCallInterface, bytes: number): void {
  const base = call as unknown as { maxReceiveMessageSize?: number; decoder?: { maxReadMessageLength?: number } };
  if (typeof base.maxReceiveMessageSize !== 'number' || typeof base.decoder?.maxReadMessageLength !== 'number') {
    if (!warned) logger.warn('this grpc-js does not allow per-method message limits: every method accepts the server-wide limit');
    warned = true;
    return;
  }
  const lower = (current: number) => (current === -1 ? bytes : Math.min(current, bytes));
  base.maxReceiveMessageSize = lower(base.maxReceiveMessageSize);
  base.decoder.maxReadMessageLength = lower(base.decoder.maxReadMessageLength);
}

/**
 * Per-method request size limits (only an import needs a large message), and
 * the large-message handling of large-messages.ts; must be the first
 * interceptor (both change grpc-js's base call).
 */
export function messageLimitInterceptor(): ServerInterceptor {
  return (method, call) => {
    const name = method.path.slice(method.path.lastIndexOf('/') + 1);
    const limit = messageLimitFor(name);
    if (limit !== undefined) lowerReceiveLimit(call, limit);
    largeMessageCall(call, name);
    // Nothing to intercept after that: no layer of its own on every call (grpc-js chains whatever call an interceptor returns).
    return call as ServerInterceptingCall;
  };
}
