/**
 * Idempotency keys (design.md "Write path"): a request carrying an
 * `idempotency-key` metadata entry that was already handled returns the
 * first result and appends nothing.
 */
import { randomUUID } from 'node:crypto';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import type { Msg } from './support/grpc-client.js';
import { addTicketsDataset, listAllEvents, ticketPrompt, uid } from './support/fixtures.js';
import { expectStatus } from './support/expect-status.js';

jest.setTimeout(120_000);

let srv: ServerHandle;
let datasetId: string;

beforeAll(async () => {
  srv = await startServer({ seed: false });
  datasetId = (await addTicketsDataset(srv.client, srv.root, 'idem-tickets')).id;
});
afterAll(async () => {
  await srv?.stop();
});

const eventsOf = (streamId: string): Promise<Msg[]> => listAllEvents(srv.client, { stream_id: streamId });
const countAll = async () => (await listAllEvents(srv.client)).length;

describe('AddPrompt with an idempotency-key', () => {
  it('the same key twice: the same response, one event, the key recorded in its metadata', async () => {
    const key = uid('idem-');
    const req = { prompt: ticketPrompt(datasetId, uid('idem-prompt-')) };
    const first = await srv.client.call('AddPrompt', req, { 'idempotency-key': key });
    const before = await countAll();
    const second = await srv.client.call('AddPrompt', req, { 'idempotency-key': key });
    expect(second).toEqual(first);
    expect(await countAll()).toBe(before);
    const events = await eventsOf(`prompt-${req.prompt.id}`);
    expect(events.map((e) => e.type)).toEqual(['PromptAdded']);
    expect(JSON.parse(events[0].metadata)).toMatchObject({ idempotency_key: key, transport: 'grpc' });
  });

  it('the same key with a different request: ALREADY_EXISTS, nothing written, the first result untouched', async () => {
    const key = uid('idem-');
    const firstReq = { prompt: ticketPrompt(datasetId, uid('idem-a-')) };
    const first = await srv.client.call('AddPrompt', firstReq, { 'idempotency-key': key });
    const before = await countAll();
    const other = ticketPrompt(datasetId, uid('idem-b-'));
    const second = await srv.client.attempt('AddPrompt', { prompt: other }, { 'idempotency-key': key });
    expectStatus(second, 'ALREADY_EXISTS', /idempotency key reused with a different request/);
    expect(await countAll()).toBe(before);
    expectStatus(await srv.client.attempt('GetPrompt', { id: other.id }), 'NOT_FOUND');
    // The original request with its key still answers as the first time.
    expect(await srv.client.call('AddPrompt', firstReq, { 'idempotency-key': key })).toEqual(first);
  });

  it('over HTTP: the same key and body replays (201), a different body is 409 with the sentence', async () => {
    const key = uid('idem-http-');
    const post = (body: unknown) =>
      fetch(`${srv.httpUrl}/api/prompts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    const body = ticketPrompt(datasetId, uid('idem-h-'));
    const a = await post(body);
    expect(a.status).toBe(201);
    const b = await post(body);
    expect(b.status).toBe(201);
    expect(await b.json()).toEqual(await a.json());
    const c = await post({ ...body, name: uid('idem-h2-') });
    expect(c.status).toBe(409);
    expect(JSON.stringify(await c.json())).toMatch(/idempotency key reused with a different request/);
  });

  it('without a key, or with a new key, the same request is a new command (ALREADY_EXISTS)', async () => {
    const req = { prompt: ticketPrompt(datasetId, uid('idem-c-')) };
    await srv.client.call('AddPrompt', req, { 'idempotency-key': uid('k1-') });
    expectStatus(await srv.client.attempt('AddPrompt', req), 'ALREADY_EXISTS');
    expectStatus(await srv.client.attempt('AddPrompt', req, { 'idempotency-key': uid('k2-') }), 'ALREADY_EXISTS');
  });

  it('10 concurrent requests with one key: all get the same response, one event', async () => {
    const key = uid('idem-');
    const req = { prompt: ticketPrompt(datasetId, uid('idem-d-')) };
    const before = await countAll();
    const clients = Array.from({ length: 10 }, () => srv.newClient());
    const results = await Promise.all(clients.map((c) => c.attempt('AddPrompt', req, { 'idempotency-key': key })));
    for (const r of results) expect(r.codeName).toBe('OK');
    for (const r of results) expect(r.response).toEqual(results[0].response);
    expect(await countAll()).toBe(before + 1);
  });

  it('a key that first met a refusal does not pin the refusal: the corrected retry is applied', async () => {
    const key = uid('idem-');
    const bad: { prompt: Msg } = { prompt: { ...ticketPrompt(datasetId, uid('idem-e-')), prompt_template: '' } };
    expectStatus(await srv.client.attempt('AddPrompt', bad, { 'idempotency-key': key }), 'INVALID_ARGUMENT');
    const good: { prompt: Msg } = { prompt: { ...bad.prompt, prompt_template: 'Instruction: {instruction}' } };
    const r = await srv.client.attempt('AddPrompt', good, { 'idempotency-key': key });
    expect(r.codeName).toBe('OK');
    expect((await srv.client.call('GetPrompt', { id: good.prompt.id })).prompt.id).toBe(good.prompt.id);
  });

  it('the key survives a restart', async () => {
    const key = uid('idem-');
    const req = { prompt: ticketPrompt(datasetId, uid('idem-f-'), randomUUID()) };
    const first = await srv.client.call('AddPrompt', req, { 'idempotency-key': key });
    await srv.restart();
    const before = await countAll();
    expect(await srv.client.call('AddPrompt', req, { 'idempotency-key': key })).toEqual(first);
    expect(await countAll()).toBe(before);
  });
});
