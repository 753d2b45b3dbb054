import http2 from 'node:http2';
import { Logger } from '@nestjs/common';

/**
 * What a server stream knows of its consumer: whether it can take more now,
 * and a wait until it can. Producers (log readers) check `ready()` after each
 * value and stop reading until `drained()` resolves, so what a slow client
 * costs is one socket buffer, never the log.
 */
export interface Demand {
  /** True while the consumer's buffer has room (and the stream is open). */
  ready(): boolean;
  /** Resolves once the consumer can take more, or the stream has ended. */
  drained(): Promise<void>;
}

/** A consumer that is never full (tests, in-process readers). */
export const UNLIMITED: Demand = { ready: () => true, drained: () => Promise.resolve() };

/**
 * A client that has not read for this long while its buffer is full is
 * dropped: the config's streamStallMs (FTS_STREAM_STALL_MS, default 30 s),
 * set once at start-up (main.ts).
 */
let stallLimit = 30_000;
export function setStallLimitMs(ms: number): void {
  stallLimit = ms;
}
export const stallLimitMs = (): number => stallLimit;

/** The part of a Node writable (an HTTP response, a grpc-js call) a stream's pace depends on. */
interface FlowSink {
  readonly writableNeedDrain: boolean;
  readonly destroyed: boolean;
  once(event: 'drain' | 'close', fn: () => void): unknown;
  off(event: 'drain' | 'close', fn: () => void): unknown;
}

const logger = new Logger('Streams');

/**
 * Demand of a writable: full while it needs a drain. While it stays full for
 * `stallMs`, `drop` is called once (the client is gone in all but name).
 */
export function writableDemand(
  what: string,
  sink: FlowSink,
  drop: () => void,
  stallMs = stallLimitMs(),
  closed: () => boolean = () => sink.destroyed,
): Demand {
  let waiting: Promise<void> | undefined;
  return {
    ready: () => !sink.writableNeedDrain && !closed(),
    drained: () => {
      // Gone: the producer's unsubscribe comes with the close event, so let I/O run rather than spin.
      if (closed()) return new Promise((resolve) => setImmediate(resolve));
      if (!sink.writableNeedDrain) return Promise.resolve();
      waiting ??= new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          sink.off('drain', done);
          sink.off('close', done);
          waiting = undefined;
          resolve();
        };
        const timer = setTimeout(() => {
          logger.warn(`Dropped ${what}: the client read nothing for ${stallMs} ms while its buffer was full.`);
          drop();
          done();
        }, stallMs);
        sink.once('drain', done);
        sink.once('close', done);
      });
      return waiting;
    },
  };
}

/** The grpc-js server-streaming call, as far as pacing goes. */
export interface GrpcStreamCall extends FlowSink {
  readonly cancelled: boolean;
  getPath?(): string;
}

/**
 * Demand of a grpc-js server-streaming call. A stuck client cannot even be
 * sent a status (trailers queue behind the unread messages), so it is dropped
 * by resetting its HTTP/2 stream with ENHANCE_YOUR_CALM, which grpc-js
 * clients report as RESOURCE_EXHAUSTED.
 */
export function grpcDemand(call: GrpcStreamCall, stallMs = stallLimitMs()): Demand {
  return writableDemand(`a gRPC ${call.getPath?.() ?? 'stream'}`, call, () => resetGrpcStream(call), stallMs, () => call.cancelled || call.destroyed);
}

/** The HTTP/2 stream under a grpc-js call (grpc-js keeps it on its innermost call object). */
function resetGrpcStream(call: object): void {
  let at: unknown = call;
  for (let depth = 0; at && typeof at === 'object' && depth < 8; depth++) {
    const stream = (at as { stream?: { close?: (code: number) => void } }).stream;
    if (stream && typeof stream.close === 'function') {
      stream.close(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);
      return;
    }
    const o = at as { call?: unknown; nextCall?: unknown };
    at = o.nextCall ?? o.call;
  }
  (call as { destroy?: () => void }).destroy?.();
}
