/**
 * SIGTERM while clients follow the log: every stream ends (gRPC with
 * UNAVAILABLE, SSE by closing), and the process exits within seconds.
 */
import http from 'node:http';
import { jest, describe, it, expect, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';

jest.setTimeout(120_000);

let srv: ServerHandle;
afterAll(async () => {
  await srv?.stop();
});

describe('shutdown', () => {
  it('SIGTERM with an SSE client and a WatchEvents call open: both streams end and the process exits in < 5 s', async () => {
    srv = await startServer({ seed: false });
    const sseEnded = new Promise<void>((resolve) => {
      http.get(`${srv.httpUrl}/api/events/stream`, (res) => {
        res.on('data', () => undefined);
        res.on('close', () => resolve());
      }).on('error', () => resolve());
    });
    const call = srv.client.stream('WatchEvents', { after_position: 0 });
    call.on('data', () => undefined);
    const grpcEnded = new Promise<number>((resolve) => call.on('error', (e: { code: number }) => resolve(e.code)));
    await new Promise((r) => setTimeout(r, 500));

    const pid = srv.pid()!;
    const t0 = Date.now();
    process.kill(pid, 'SIGTERM');
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    while (alive() && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
    const ms = Date.now() - t0;
    console.log(`exited ${ms} ms after SIGTERM with an SSE client and a WatchEvents call open`);
    expect(alive()).toBe(false);
    expect(ms).toBeLessThan(5000);
    await sseEnded;
    expect(await grpcEnded).toBe(14); // UNAVAILABLE
    expect(srv.logs()).not.toMatch(/Shutdown took longer/);
  });
});
