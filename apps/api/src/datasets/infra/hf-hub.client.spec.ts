import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { featuresOf, HfHubClient } from './hf-hub.client.js';
import { rejectionOf } from '../../../test/support/errors.js';

type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('HfHubClient against a local Hub', () => {
  let server: http.Server;
  let url: string;
  const seen: { path: string; auth?: string }[] = [];
  const routes: Record<string, Route> = {
    '/api/datasets/org/cards': (_req, res) =>
      json(res, 200, {
        id: 'org/cards',
        description: 'top-level',
        cardData: { description: 'From the card', dataset_info: [{ config_name: 'a', features: [{ name: 'q' }, { name: 'a' }] }, { features: [{ name: 'z' }] }] },
      }),
    '/api/datasets/org/flat': (_req, res) => json(res, 200, { id: 'org/flat', cardData: { dataset_info: { features: [{ name: 'text', dtype: 'string' }] } } }),
    '/api/datasets/org/bare': (_req, res) => json(res, 200, { id: 'org/bare' }),
    '/api/datasets/org/gated': (_req, res) => json(res, 401, { error: 'gated' }),
    '/api/datasets/org/broken': (_req, res) => json(res, 500, { error: 'boom' }),
    '/api/datasets/org/notjson': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>');
    },
    '/api/datasets/org/slow': () => undefined,
    '/api/models/org/llama': (_req, res) => json(res, 200, { id: 'org/llama', config: { architectures: ['LlamaForCausalLM'] } }),
    '/api/models/org/noconfig': (_req, res) => json(res, 200, { id: 'org/noconfig' }),
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      seen.push({ path, auth: req.headers.authorization });
      const route = routes[path];
      if (route) route(req, res);
      else json(res, 404, { error: 'Repository not found' });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const client = (over: Partial<ConstructorParameters<typeof HfHubClient>[0]> = {}) =>
    new HfHubClient({ endpoint: url, timeoutMs: 2000, ...over });

  it('reads features from the first config and the card description, sending the token', async () => {
    expect(await client({ token: 'hf_x' }).datasetInfo('org/cards')).toEqual({ id: 'org/cards', features: ['q', 'a'], description: 'From the card' });
    expect(seen.at(-1)).toEqual({ path: '/api/datasets/org/cards', auth: 'Bearer hf_x' });
    expect(await client().datasetInfo('org/flat')).toMatchObject({ features: ['text'], description: null });
    expect(seen.at(-1)?.auth).toBeUndefined();
    expect(await client().datasetInfo('org/bare')).toMatchObject({ features: [] });
  });

  it('reads the model family', async () => {
    expect(await client().modelInfo('org/llama')).toEqual({ id: 'org/llama', modelFamily: 'LlamaForCausalLM' });
    expect(await client().modelInfo('org/noconfig')).toEqual({ id: 'org/noconfig', modelFamily: null });
  });

  it('maps 404 to NOT_FOUND with the name', async () => {
    const d = await rejectionOf(client().datasetInfo('org/missing'));
    expect(d.kind).toBe('not_found');
    expect(d.message).toBe("Failed to add dataset. Dataset 'org/missing' was not found on the Hugging Face Hub.");
    const m = await rejectionOf(client().modelInfo('org/missing'));
    expect(m.kind).toBe('not_found');
    expect(m.message).toBe("ERROR: Failed to load Hugging Face model. Model 'org/missing' was not found on the Hugging Face Hub.");
  });

  it('maps 401/403 to FAILED_PRECONDITION naming the token variable', async () => {
    const e = await rejectionOf(client().datasetInfo('org/gated'));
    expect(e.kind).toBe('failed_precondition');
    expect(e.message).toContain('HUGGINGFACE_ACCESS_TOKEN');
  });

  it('maps a 5xx, a non-JSON answer, a timeout and a refused connection to UNAVAILABLE', async () => {
    expect((await rejectionOf(client().datasetInfo('org/broken'))).kind).toBe('unavailable');
    expect((await rejectionOf(client().datasetInfo('org/notjson'))).kind).toBe('unavailable');
    const slow = await rejectionOf(client({ timeoutMs: 200 }).datasetInfo('org/slow'));
    expect(slow.kind).toBe('unavailable');
    expect(slow.message).toContain('no answer within 200 ms');
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await rejectionOf(new HfHubClient({ endpoint: `http://127.0.0.1:${port}`, timeoutMs: 2000 }).datasetInfo('org/x'));
    expect(refused.kind).toBe('unavailable');
    expect(refused.code).toBe('HF.UNREACHABLE');
    expect(refused.message).toMatch(new RegExp(`^Failed to add dataset. The Hugging Face Hub at http://127.0.0.1:${port} could not be reached: .*ECONNREFUSED.*\\. Check HF_ENDPOINT and the network\\.$`));
  });
});

describe('featuresOf', () => {
  it('takes names from a list, keys from a mapping, the first config of several', () => {
    expect(featuresOf({ features: [{ name: 'a' }, { name: 'b' }] })).toEqual(['a', 'b']);
    expect(featuresOf({ features: { a: { dtype: 'string' }, b: {} } })).toEqual(['a', 'b']);
    expect(featuresOf([{ features: [{ name: 'x' }] }, { features: [{ name: 'y' }] }])).toEqual(['x']);
    expect(featuresOf(undefined)).toEqual([]);
  });
});
