/**
 * The test harness itself: the server starts on free ports in a fresh root,
 * answers gRPC, survives a restart, and the fake Hub answers like the Hub.
 */
import fs from 'node:fs';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import { startFakeHub } from './support/fake-hub.js';
import { ORIGINAL_RPCS, protoRpcNames, type Msg } from './support/grpc-client.js';

jest.setTimeout(180_000);

describe('fake Hugging Face Hub', () => {
  it('answers dataset and model metadata and 404s the rest', async () => {
    const hub = await startFakeHub({ datasets: { 'a/b': { features: ['x', 'y'] } }, models: { 'c/d': { architectures: ['GPT2LMHeadModel'] } } });
    try {
      const ds = (await (await fetch(`${hub.url}/api/datasets/a/b`)).json()) as Msg;
      expect(ds.cardData.dataset_info.features.map((f: { name: string }) => f.name)).toEqual(['x', 'y']);
      const m = (await (await fetch(`${hub.url}/api/models/c/d`)).json()) as Msg;
      expect(m.config.architectures).toEqual(['GPT2LMHeadModel']);
      expect((await fetch(`${hub.url}/api/models/nope/nope`)).status).toBe(404);
      expect((await fetch(`${hub.url}/api/datasets/nope/nope`)).status).toBe(404);
      expect((await fetch(`${hub.url}/other`)).status).toBe(404);
      expect(hub.requests).toContain('GET /api/datasets/a/b');
    } finally {
      await hub.close();
    }
  });
});

describe('startServer', () => {
  let srv: ServerHandle;
  beforeAll(async () => {
    srv = await startServer({ seed: false });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('keeps its state in <root>/.app/state.db and answers gRPC', async () => {
    expect(fs.existsSync(srv.dbPath)).toBe(true);
    expect(srv.dbPath).toBe(`${srv.root}/.app/state.db`);
    const r = await srv.client.attempt('ListEvents', {});
    expect(r.codeName).toBe('OK');
  });

  it('declares every RPC of the original contract in the project proto', () => {
    const names = protoRpcNames();
    for (const rpc of ORIGINAL_RPCS) expect(names).toContain(rpc);
    expect(names).toEqual(expect.arrayContaining(['ListEvents', 'WatchEvents']));
  });

  it('restarts on the same root after kill -9', async () => {
    const pid = srv.pid();
    await srv.kill9();
    await srv.restart();
    expect(srv.pid()).not.toBe(pid);
    expect((await srv.client.attempt('ListEvents', {})).codeName).toBe('OK');
  });
});
