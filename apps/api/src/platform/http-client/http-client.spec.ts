import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, HttpUnreachable, reasonOf, retryAfter } from './http-client.js';

type Route = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

const send = (res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
};

describe('HttpClient against a local server', () => {
  let server: http.Server;
  let base: string;
  const hits: Record<string, number> = {};
  const seen: { method?: string; path: string; auth?: string; accept?: string; type?: string; body: string }[] = [];
  const routes: Record<string, Route> = {
    '/ok': (_q, res) => send(res, 200, '{"a":1}'),
    '/empty': (_q, res) => send(res, 200, ''),
    '/html': (_q, res) => send(res, 200, '<html>', { 'content-type': 'text/html' }),
    '/missing': (_q, res) => send(res, 404, '{"message":"no such thing"}'),
    '/down': (_q, res) => send(res, 503, 'busy', { 'retry-after': '1' }),
    '/flaky': (_q, res) => (hits['/flaky'] <= 2 ? send(res, 500, 'oops') : send(res, 200, '{"third":true}')),
    '/echo': (_q, res, body) => send(res, 200, body),
    '/big': (_q, res) => send(res, 200, JSON.stringify({ pad: 'x'.repeat(2000) })),
    '/slow': () => undefined,
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      hits[url.pathname] = (hits[url.pathname] ?? 0) + 1;
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({
          method: req.method,
          path: url.pathname + url.search,
          auth: req.headers.authorization,
          accept: req.headers.accept,
          type: req.headers['content-type'],
          body,
        });
        const route = routes[url.pathname];
        if (route) route(req, res, body);
        else send(res, 404, '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    for (const k of Object.keys(hits)) delete hits[k];
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const delays: number[] = [];
  const client = (over: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) => {
    delays.length = 0;
    return new HttpClient({ timeoutMs: 2000, sleep: async (ms) => void delays.push(ms), random: () => 0.5, ...over });
  };
  const unreachable = async (p: Promise<unknown>): Promise<HttpUnreachable> => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!(e instanceof HttpUnreachable)) throw new Error(`expected HttpUnreachable, got ${String(e)}`);
    return e;
  };

  it('parses a JSON answer, sending the client headers and the query', async () => {
    expect(await client({ headers: { authorization: 'Bearer k' } }).json(`${base}/ok`, { query: { a: 'b c', skip: undefined, n: 3 } })).toEqual({
      ok: true,
      status: 200,
      body: { a: 1 },
    });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', path: '/ok?a=b+c&n=3', auth: 'Bearer k', accept: 'application/json', type: undefined });
  });

  it('POSTs a JSON body', async () => {
    expect(await client().json(`${base}/echo`, { method: 'POST', body: { x: [1, 'y'] } })).toMatchObject({ ok: true, body: { x: [1, 'y'] } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', type: 'application/json', body: '{"x":[1,"y"]}' });
  });

  it('answers a refusal at once, with its text, without retrying', async () => {
    expect(await client({ maxAttempts: 5 }).json(`${base}/missing`)).toEqual({ ok: false, status: 404, text: '{"message":"no such thing"}' });
    expect(hits['/missing']).toBe(1);
    expect(delays).toEqual([]);
  });

  it('an empty answer is not JSON unless the caller says what it stands for', async () => {
    const e = await unreachable(client().json(`${base}/empty`));
    expect(e.reason).toBe('it answered HTTP 200 with something that is not JSON');
    expect(e.status).toBe(200);
    expect(await client().json(`${base}/empty`, { emptyBody: {} })).toEqual({ ok: true, status: 200, body: {} });
    expect((await unreachable(client().json(`${base}/html`))).reason).toBe('it answered HTTP 200 with something that is not JSON');
  });

  it('retries 5xx with exponential backoff and equal jitter, then succeeds', async () => {
    expect(await client({ maxAttempts: 5 }).json(`${base}/flaky`)).toEqual({ ok: true, status: 200, body: { third: true } });
    expect(hits['/flaky']).toBe(3);
    expect(delays).toEqual([150, 300]);
  });

  it('gives back the last 429/5xx once the attempts are spent, honouring Retry-After (capped)', async () => {
    expect(await client({ maxAttempts: 3 }).json(`${base}/down`)).toEqual({ ok: false, status: 503, text: 'busy' });
    expect(hits['/down']).toBe(3);
    expect(delays).toEqual([1000, 1000]);
    await client({ maxAttempts: 2, maxDelayMs: 400 }).json(`${base}/down`);
    expect(delays).toEqual([400]);
    // One attempt: no retry, the answer as it came.
    expect(await client().json(`${base}/down`)).toMatchObject({ ok: false, status: 503 });
    expect(delays).toEqual([]);
  });

  it('asks recover before a retry, and its finding is the answer', async () => {
    let asked = 0;
    const found = await client({ maxAttempts: 4 }).json<{ id: string }>(`${base}/down`, {
      method: 'POST',
      body: {},
      recover: async () => (++asked === 2 ? { id: 'made' } : undefined),
    });
    expect(found).toEqual({ ok: true, status: 200, body: { id: 'made' } });
    expect(hits['/down']).toBe(2);
  });

  it('times out each attempt, naming the deadline', async () => {
    const e = await unreachable(client({ timeoutMs: 150, maxAttempts: 2 }).json(`${base}/slow`));
    expect(e.reason).toBe('no answer within 150 ms');
    expect(hits['/slow']).toBe(2);
    expect(delays).toEqual([150]);
  });

  it('refuses an answer larger than the bound', async () => {
    const e = await unreachable(client({ maxBytes: 100 }).json(`${base}/big`));
    expect(e.reason).toBe('its answer is larger than 100 bytes');
  });

  it('names the socket error when nothing listens, and a bad URL', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect((await unreachable(client().json(`http://127.0.0.1:${port}/x`))).reason).toMatch(/ECONNREFUSED/);
    expect((await unreachable(client().json('not a url'))).reason).toMatch(/Invalid URL/);
  });
});

describe('reasonOf and retryAfter', () => {
  it('words timeouts and socket errors', () => {
    expect(reasonOf(Object.assign(new Error('x'), { name: 'TimeoutError' }), 5)).toBe('no answer within 5 ms');
    expect(reasonOf({ message: 'fetch failed', cause: { code: 'ENOTFOUND', message: 'getaddrinfo failed' } }, 5)).toBe('ENOTFOUND: getaddrinfo failed');
    expect(reasonOf({ message: 'fetch failed', cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 1.2.3.4:5' } }, 5)).toBe('connect ECONNREFUSED 1.2.3.4:5');
    expect(reasonOf({ message: 'fetch failed', cause: { message: 'other side closed' } }, 5)).toBe('other side closed');
    expect(reasonOf(new Error('plain'), 5)).toBe('plain');
  });
  it('reads seconds and dates', () => {
    expect(retryAfter(null)).toBeUndefined();
    expect(retryAfter('2')).toBe(2000);
    expect(retryAfter('soon')).toBeUndefined();
    expect(retryAfter(new Date(Date.now() - 1000).toUTCString())).toBe(0);
  });
});
