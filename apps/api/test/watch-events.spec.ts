/**
 * WatchEvents resumes from a position without gaps or duplicates while
 * writes continue: watchers are cancelled and resumed from the last position
 * they saw, repeatedly, during a burst of writes; stitched together they
 * must equal the log exactly (ListEvents), in order.
 */
import { randomUUID } from 'node:crypto';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import type { FtsClient, Msg } from './support/grpc-client.js';
import { addTicketsDataset, listAllEvents, ticketPrompt } from './support/fixtures.js';

jest.setTimeout(240_000);

let srv: ServerHandle;
let datasetId: string;

beforeAll(async () => {
  srv = await startServer({ seed: false });
  datasetId = (await addTicketsDataset(srv.client, srv.root, 'watch-tickets')).id;
});
afterAll(async () => {
  await srv?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Watches from `after` and collects events until `stop()` says so (checked
 * after each event) or `until()` resolves; then cancels the call.
 */
function watch(client: FtsClient, req: Msg, stopAfter: (events: Msg[]) => boolean) {
  const events: Msg[] = [];
  const call = client.stream('WatchEvents', req);
  const done = new Promise<Msg[]>((resolve, reject) => {
    call.on('data', (e: Msg) => {
      events.push(e);
      if (stopAfter(events)) call.cancel();
    });
    call.on('error', (err: { code?: number; details?: string }) => {
      if (err.code === 1 /* CANCELLED */) resolve(events);
      else reject(new Error(`WatchEvents failed: ${err.code} ${err.details}`));
    });
    call.on('end', () => resolve(events));
  });
  return { events, done, cancel: () => call.cancel() };
}

async function lastPosition(): Promise<number> {
  const events = await listAllEvents(srv.client);
  return events.length ? events[events.length - 1].position : 0;
}

describe('WatchEvents', () => {
  it('resumed from the last seen position, 4 times during a write burst, delivers the log exactly once, in order', async () => {
    const WRITES = 240;
    let writing = true;
    const writer = (async () => {
      const c = srv.newClient();
      for (let i = 0; i < WRITES; i++) {
        await c.call('AddPrompt', { prompt: ticketPrompt(datasetId, `watch-${i}`, randomUUID()) });
        if (i % 20 === 0) await sleep(10);
      }
      writing = false;
    })();

    const seen: Msg[] = [];
    let after = 0;
    // Four short-lived watchers, each stopping after a few events (mid-burst), each resuming from where the previous one stopped.
    for (let round = 0; round < 4; round++) {
      const w = watch(srv.newClient(), { after_position: after }, (ev) => ev.length >= 25 + round * 7);
      const got = await w.done;
      seen.push(...got);
      if (got.length) after = got[got.length - 1].position;
    }
    // The last one runs until it has caught up with everything the writer wrote.
    await writer;
    expect(writing).toBe(false);
    const end = await lastPosition();
    if (after < end) {
      const w = watch(srv.newClient(), { after_position: after }, (ev) => ev[ev.length - 1].position >= end);
      seen.push(...(await w.done));
    }

    const log = await listAllEvents(srv.client);
    const positions = seen.map((e) => e.position);
    expect(new Set(positions).size).toBe(positions.length); // no duplicates
    expect(positions).toEqual(log.map((e: Msg) => e.position)); // no gaps, same order
    expect(seen.map((e) => e.stream_id)).toEqual(log.map((e: Msg) => e.stream_id));
    expect(log.filter((e: Msg) => e.type === 'PromptAdded').length).toBeGreaterThanOrEqual(WRITES);
  });

  it('a live watcher sees new writes as they commit, filtered by stream type', async () => {
    const from = await lastPosition();
    const ids = Array.from({ length: 20 }, () => randomUUID());
    const w = watch(srv.newClient(), { after_position: from, stream_type: 'prompt' }, (ev) => ev.length >= ids.length);
    await sleep(300); // let the watcher subscribe before writing
    for (const id of ids) await srv.client.call('AddPrompt', { prompt: ticketPrompt(datasetId, `live-${id}`, id) });
    const got = await w.done;
    expect(got.map((e) => e.stream_id)).toEqual(ids.map((id) => `prompt-${id}`));
    expect(got.every((e) => e.type === 'PromptAdded' && e.position > from)).toBe(true);
  });

  it('many watchers at once all get the same sequence', async () => {
    const from = await lastPosition();
    const N = 6;
    const watchers = Array.from({ length: N }, () => watch(srv.newClient(), { after_position: from }, (ev) => ev.length >= 30));
    await sleep(300);
    const c = srv.newClient();
    await Promise.all(Array.from({ length: 30 }, (_, i) => c.call('AddPrompt', { prompt: ticketPrompt(datasetId, `fan-${i}`, randomUUID()) })));
    const results = await Promise.all(watchers.map((w) => w.done));
    for (const r of results) expect(r.map((e) => e.position)).toEqual(results[0].map((e) => e.position));
    const positions = results[0].map((e) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});
