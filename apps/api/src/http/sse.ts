import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { writableDemand, type Demand } from '../platform/transport/flow.js';
import { httpErrorOf } from './exception.filter.js';

export interface SseFrame {
  id?: string | number;
  event: string;
  data: unknown;
}

export const HEARTBEAT_MS = 15_000;

const logger = new Logger('SSE');

/** One Server-Sent Event; `data` is JSON on one line (JSON.stringify escapes newlines). */
export function sseFrame(f: SseFrame): string {
  return `${f.id !== undefined ? `id: ${f.id}\n` : ''}event: ${f.event}\ndata: ${JSON.stringify(f.data)}\n\n`;
}

/**
 * Sends `source` as Server-Sent Events until it completes (then ends the
 * response) or the client goes away (then unsubscribes). The source is
 * given the response's demand: it stops producing while the socket buffer
 * is full, and a client that reads nothing for the stall limit is
 * disconnected (see writableDemand). Headers are
 * flushed at once and nothing buffers (`X-Accel-Buffering: no`, no
 * compression); a comment line every 15 s keeps proxies from closing an idle
 * stream. An error after the headers went out is sent as `event: error` with
 * the API's error body, then the stream ends. Errors before the call (a
 * missing job, a bad filter) are thrown before the headers and answer with
 * their status.
 */
export function sendSse<T>(
  req: IncomingMessage,
  res: ServerResponse,
  source: Observable<T> | ((demand: Demand) => Observable<T>),
  toFrame: (value: T) => SseFrame,
  heartbeatMs = HEARTBEAT_MS,
): void {
  // Built first: a bad request (a missing job, a bad filter) throws here, before any header went out.
  const values = typeof source === 'function' ? source(writableDemand(`an event stream (${req.url ?? ''})`, res, () => res.destroy())) : source;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  res.write(': stream open\n\n');
  let done = false;
  const heartbeat = setInterval(() => {
    // A full buffer needs no keep-alive, and must not grow.
    if (!done && !res.writableNeedDrain) res.write(`: heartbeat ${new Date().toISOString()}\n\n`);
  }, heartbeatMs);
  const finish = () => {
    if (done) return;
    done = true;
    clearInterval(heartbeat);
    subscription?.unsubscribe();
    if (!res.writableEnded) res.end();
  };
  let subscription: { unsubscribe(): void } | undefined;
  req.on('close', finish);
  res.on('close', finish);
  subscription = values.subscribe({
    next: (v) => {
      if (!done) res.write(sseFrame(toFrame(v)));
    },
    error: (e: unknown) => {
      if (!done) res.write(sseFrame({ event: 'error', data: httpErrorOf(e, logger).body }));
      finish();
    },
    complete: finish,
  });
  if (done) subscription.unsubscribe();
}
