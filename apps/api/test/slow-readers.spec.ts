/**
 * Slow readers cannot grow the server's memory: 50 SSE clients and 20 gRPC
 * WatchEvents calls read a 100,000-event log from position 0 and never read
 * a byte. Every stream stops reading the log while its socket is full, so
 * RSS grows by less than 100 MB; a reader that resumes gets the log exactly,
 * and a reader stuck past FTS_STREAM_STALL_MS is dropped.
 */
import fs from 'node:fs';
import net from 'node:net';
import Database from 'better-sqlite3';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { startServer, type ServerHandle } from './support/server.js';
import type { FtsClient, Msg } from './support/grpc-client.js';
import { addTicketsDataset, ticketPrompt } from './support/fixtures.js';

jest.setTimeout(300_000);

const LOG_EVENTS = 100_000;
const SSE_READERS = 50;
const GRPC_WATCHERS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let srv: ServerHandle;
let lastPosition = 0;

const rssBytes = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

/**
 * A 100k-event log, quickly: one real PromptAdded, copied under 100k stream
 * ids by SQL while the server is stopped. Only the log is read here, so the
 * copies have no projection rows.
 */
async function fillLog() {
  const dataset = await addTicketsDataset(srv.client, srv.root, 'slow-readers');
  await srv.client.call('AddPrompt', { prompt: { ...ticketPrompt(dataset.id), prompt_template: `Instruction: {instruction}\n${'Context. '.repeat(30)}\nIntent: {intent}\n` } });
  await srv.kill9(); // stop() would remove the root; the WAL keeps every commit
  const db = new Database(srv.dbPath);
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO events (stream_id, stream_type, stream_version, type, schema_version, data, metadata, recorded_at)
     SELECT 'prompt-copy-' || i, stream_type, 1, type, schema_version, data, metadata, recorded_at
     FROM n, (SELECT * FROM events WHERE type = 'PromptAdded' LIMIT 1)`,
  ).run(LOG_EVENTS);
  lastPosition = Number(db.prepare('SELECT MAX(position) FROM events').pluck().get());
  db.close();
}

/** An SSE request on a raw socket that is never read (the kernel buffers fill, then the server's). */
function stuckSse(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.write(`GET /api/events/stream?after_position=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
      s.pause();
      resolve(s);
    });
    s.on('error', reject);
  });
}

/** A WatchEvents call from position 0 that reads nothing after the first message; `ended` settles with its status code. */
function stuckWatch(client: FtsClient): Promise<{ call: ClientReadableStream<Msg>; ended: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const call = client.stream('WatchEvents', { after_position: 0 });
    const ended = new Promise<number>((settle) => call.once('error', (e: { code: number }) => settle(e.code)));
    ended.then(reject, reject);
    call.once('data', () => {
      call.pause();
      resolve({ call, ended });
    });
  });
}

describe('slow readers of a 100k-event log', () => {
  beforeAll(async () => {
    srv = await startServer({ seed: false });
    await fillLog();
    await srv.restart({ FTS_STREAM_STALL_MS: '600000' });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it(`${SSE_READERS} stuck SSE readers and ${GRPC_WATCHERS} stuck WatchEvents calls grow RSS by < 100 MB; a reader that resumes gets the whole log`, async () => {
    const pid = srv.pid()!;
    await fetch(`${srv.httpUrl}/api/health`);
    await sleep(1000);
    const before = rssBytes(pid);

    const sockets = await Promise.all(Array.from({ length: SSE_READERS }, () => stuckSse(srv.httpPort)));
    const clients = Array.from({ length: GRPC_WATCHERS }, () => srv.newClient());
    const calls = (await Promise.all(clients.map((c) => stuckWatch(c)))).map((w) => w.call);

    let peak = before;
    for (let t = 0; t < 15; t++) {
      await sleep(1000);
      peak = Math.max(peak, rssBytes(pid));
    }
    const growthMb = (peak - before) / 2 ** 20;
    console.log(`RSS ${(before / 2 ** 20).toFixed(0)} MB → peak ${(peak / 2 ** 20).toFixed(0)} MB (+${growthMb.toFixed(1)} MB) with ${SSE_READERS} SSE + ${GRPC_WATCHERS} gRPC stuck readers`);
    expect(growthMb).toBeLessThan(100);

    // The server still answers while they are stuck.
    const t0 = Date.now();
    expect((await fetch(`${srv.httpUrl}/api/health`)).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(2000);

    // One watcher resumes: it gets every position up to the end, in order, once.
    const resumed = calls[0];
    let expected = 2; // the first message (position 1) came before the pause
    let wrong = 0;
    await new Promise<void>((resolve, reject) => {
      resumed.on('data', (e: Msg) => {
        if (Number(e.position) !== expected) wrong++;
        expected = Number(e.position) + 1;
        if (Number(e.position) >= lastPosition) resolve();
      });
      resumed.on('error', reject);
      resumed.resume();
    });
    expect(wrong).toBe(0);

    for (const c of calls) c.cancel();
    for (const c of clients) c.close();
    for (const s of sockets) s.destroy();
  });

  it('drops a reader stuck past FTS_STREAM_STALL_MS (SSE: the connection is closed; gRPC: RESOURCE_EXHAUSTED)', async () => {
    await srv.restart({ FTS_STREAM_STALL_MS: '2000' });
    const socket = await stuckSse(srv.httpPort);
    const client = srv.newClient();
    const { call, ended } = await stuckWatch(client);
    const dropped = () => srv.logs().match(/Dropped (an event stream \(\/api\/events\/stream|a gRPC \/fine_tuning_studio.FineTuningStudio\/WatchEvents).*read nothing for 2000 ms/g)?.length ?? 0;
    const t0 = Date.now();
    while (dropped() < 2 && Date.now() - t0 < 20_000) await sleep(200);
    expect(dropped()).toBe(2);

    // Reading again, each finds its connection ended by the server before the end of the log.
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('data', () => undefined);
    socket.resume();
    call.on('data', () => undefined);
    call.resume();
    await closed;
    expect(await ended).toBe(8); // RESOURCE_EXHAUSTED
    client.close();
  });
});
