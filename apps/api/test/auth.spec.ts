/**
 * Tokens, roles and hostile bodies through the real server: the token (not
 * x-actor) names the actor; viewer / editor / admin refusals on both
 * transports; docs behind auth; the console's session cookie; and no body is
 * read, buffered or inflated before its token has been checked.
 */
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import zlib from 'node:zlib';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import { SERVICE_PATH } from './support/grpc-client.js';
import { expectOk, expectStatus } from './support/expect-status.js';
import { uid } from './support/fixtures.js';

jest.setTimeout(180_000);

const TOKENS = 'adm-7f3:alice:admin\ned-91c:eddie:editor\nvw-22a:bob:viewer\n';
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const ADMIN = as('adm-7f3');
const EDITOR = as('ed-91c');
const VIEWER = as('vw-22a');
type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let srv: ServerHandle;

beforeAll(async () => {
  srv = await startServer({
    seed: false,
    prepareRoot: (root) => fs.writeFileSync(`${root}/tokens.txt`, TOKENS),
    env: { FTS_AUTH_TOKENS: 'tokens.txt' },
    metadata: ADMIN,
  });
});
afterAll(async () => {
  await srv?.stop();
});

async function api(method: string, url: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${srv.httpUrl}${url}`, {
    method,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(opts.headers ?? {}) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let json: J = {};
  try {
    json = text ? (JSON.parse(text) as J) : {};
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** RSS now and its high-water mark, in bytes, of the server process. */
function memory(): { rss: number; hwm: number } {
  const s = fs.readFileSync(`/proc/${srv.pid()}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** About 1 MB of gzip that inflates to 1 GiB of zeros. */
function gzipBomb(): Promise<Buffer> {
  const gz = zlib.createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gz.on('data', (c: Buffer) => parts.push(c));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < 1024; i++) gz.write(zeros);
  return new Promise((resolve) => gz.end(() => resolve(Buffer.concat(parts))));
}

/**
 * A gRPC call over raw HTTP/2: sends `frames` (and ends the stream unless `keepOpen`),
 * resolves with the grpc-status and message the server answers, or 'no answer' after `waitMs`.
 */
function rawGrpc(method: string, frames: Buffer, opts: { headers?: Record<string, string>; keepOpen?: boolean; waitMs?: number } = {}) {
  return new Promise<{ status: string; message: string }>((resolve) => {
    const session = http2.connect(`http://${srv.grpcAddress}`);
    session.on('error', () => undefined);
    const stream = session.request({ ':method': 'POST', ':path': `${SERVICE_PATH}/${method}`, 'content-type': 'application/grpc', te: 'trailers', ...(opts.headers ?? {}) });
    let status = 'no answer';
    let message = '';
    const done = () => {
      clearTimeout(timer);
      stream.close();
      session.destroy();
      resolve({ status, message });
    };
    const timer = setTimeout(done, opts.waitMs ?? 60_000);
    const read = (h: http2.IncomingHttpHeaders) => {
      if (h['grpc-status'] !== undefined) {
        status = String(h['grpc-status']);
        message = decodeURIComponent(String(h['grpc-message'] ?? ''));
        done();
      }
    };
    stream.on('response', read);
    stream.on('trailers', read);
    stream.on('error', () => undefined);
    stream.on('close', done);
    stream.resume();
    if (opts.keepOpen) stream.write(frames);
    else stream.end(frames);
  });
}

/** A length-prefixed gRPC frame announcing `length` bytes (compressed flag as given) and carrying `payload`. */
const frame = (payload: Buffer, compressed = false, length = payload.length) => {
  const head = Buffer.alloc(5);
  head.writeUInt8(compressed ? 1 : 0, 0);
  head.writeUInt32BE(length, 1);
  return Buffer.concat([head, payload]);
};

/** An HTTP request that sends its headers and `partial` of a `declared`-byte body, then waits: the status, or 'no answer'. */
function partialPost(path: string, partial: Buffer, declared: number, headers: Record<string, string> = {}, waitMs = 5000) {
  return new Promise<number | string>((resolve) => {
    const req = http.request(`${srv.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(declared), ...headers } });
    const timer = setTimeout(() => {
      req.destroy();
      resolve('no answer');
    }, waitMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => undefined);
    req.write(partial);
  });
}

describe('the actor is the token, on both transports', () => {
  it('gRPC: x-actor is ignored; the event records the token name', async () => {
    const name = uid('actor-');
    const c = srv.newClient(EDITOR);
    expectOk(await c.attempt('AddConfig', { type: 'training_arguments', config: `{"name": "${name}"}` }, { 'x-actor': 'mallory' }));
    const { events } = await srv.client.call<{ events: J[] }>('ListEvents', { types: ['ConfigAdded'] });
    const ev = events.find((e) => JSON.stringify(e).includes(name));
    expect(JSON.parse(ev!.metadata)).toMatchObject({ actor: 'eddie', transport: 'grpc' });
  });

  it('HTTP: the same', async () => {
    const name = uid('actor-');
    const r = await api('POST', '/api/configs', { body: { type: 'training_arguments', config: `{"name": "${name}"}` }, headers: { ...EDITOR, 'x-actor': 'mallory' } });
    expect(r.status).toBe(201);
    const events = (await api('GET', '/api/events?type=ConfigAdded', { headers: VIEWER })).json.events as J[];
    const ev = events.find((e) => JSON.stringify(e).includes(name));
    expect(ev!.metadata).toMatchObject({ actor: 'eddie', transport: 'http' });
  });
});

describe('roles: viewer reads, editor writes, admin imports', () => {
  it('gRPC: UNAUTHENTICATED without or with a wrong token, PERMISSION_DENIED with a sentence for a role too low', async () => {
    expectStatus(await srv.newClient({ authorization: '' }).attempt('ListDatasets', {}), 'UNAUTHENTICATED', /requires a token/);
    expectStatus(await srv.newClient(as('nope')).attempt('ListDatasets', {}), 'UNAUTHENTICATED', /not valid on this server/);
    const viewer = srv.newClient(VIEWER);
    expectOk(await viewer.attempt('ListDatasets', {}));
    expectOk(await viewer.attempt('ExportDatabase', {}));
    expectStatus(
      await viewer.attempt('AddConfig', { type: 'training_arguments', config: '{}' }),
      'PERMISSION_DENIED',
      'Permission denied: bob has the viewer role, which can only read; AddConfig needs the editor role.',
    );
    expectStatus(await srv.newClient(EDITOR).attempt('ImportDatabase', { imported_json: '{}' }), 'PERMISSION_DENIED', /eddie has the editor role.*ImportDatabase needs the admin role/);
    const admin = await srv.client.attempt('ImportDatabase', { imported_json: '{}' });
    expect(admin.ok || admin.codeName === 'INVALID_ARGUMENT').toBe(true);
  });

  it('gRPC streams are checked too', async () => {
    const stream = srv.newClient(as('nope')).stream('WatchEvents', {});
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => resolve('no status in 10 s'), 10_000);
      stream.on('error', (e: { code: number }) => {
        clearTimeout(timer);
        resolve(e.code);
      });
    });
    stream.cancel();
    expect(code).toBe(16);
  });

  it('HTTP: 401 / 403 with the API error shape; a viewer reads', async () => {
    const none = await api('GET', '/api/datasets');
    expect([none.status, none.json.error.code, none.headers.get('www-authenticate')]).toEqual([401, 'UNAUTHENTICATED', 'Bearer']);
    expect((await api('GET', '/api/datasets', { headers: as('nope') })).json.error.reason).toBe('AUTH.TOKEN_INVALID');
    expect((await api('GET', '/api/datasets', { headers: VIEWER })).status).toBe(200);
    const denied = await api('POST', '/api/configs', { body: { type: 'training_arguments', config: '{}' }, headers: VIEWER });
    expect([denied.status, denied.json.error]).toEqual([
      403,
      { code: 'PERMISSION_DENIED', reason: 'AUTH.ROLE_REQUIRED', message: 'Permission denied: bob has the viewer role, which can only read; this change needs the editor role.' },
    ]);
    const imp = await api('POST', '/api/database/import', { body: {}, headers: EDITOR });
    expect([imp.status, imp.json.error.message]).toEqual([403, 'Permission denied: eddie has the editor role, which can read, write and run jobs; importing a database needs the admin role.']);
  });

  it('/api/docs and /api/openapi.json need a token; /api/health does not; the console files do not', async () => {
    expect((await api('GET', '/api/docs/')).status).toBe(401);
    expect((await api('GET', '/api/openapi.json')).status).toBe(401);
    expect((await api('GET', '/api/openapi.json', { headers: VIEWER })).status).toBe(200);
    expect((await api('GET', '/api/docs/', { headers: VIEWER })).status).toBe(200);
    expect((await api('GET', '/api/health')).status).toBe(200);
    expect((await api('GET', '/api/settings', { headers: VIEWER })).json.auth).toBe(true);
  });
});

describe('the console session', () => {
  it('sign-in checks the token and sets an HttpOnly SameSite=Strict cookie; sign-out clears it', async () => {
    expect((await api('GET', '/api/auth/session')).json).toEqual({ auth_required: true, principal: null });
    const wrong = await api('POST', '/api/auth/session', { headers: as('nope') });
    expect([wrong.status, wrong.json.error.message, wrong.headers.get('set-cookie')]).toEqual([401, expect.stringMatching(/not valid/), null]);
    const ok = await api('POST', '/api/auth/session', { headers: VIEWER });
    expect(ok.json).toEqual({ auth_required: true, principal: { name: 'bob', role: 'viewer' } });
    expect(ok.headers.get('set-cookie')).toBe('fts_session=vw-22a; Path=/api; HttpOnly; SameSite=Strict');
    const out = await api('DELETE', '/api/auth/session');
    expect([out.status, out.headers.get('set-cookie')]).toEqual([204, expect.stringMatching(/^fts_session=; .*Max-Age=0/)]);
  });

  it('the cookie authorizes reads and the event stream, never a change (CSRF)', async () => {
    const cookie = { cookie: 'fts_session=ed-91c' };
    expect((await api('GET', '/api/datasets', { headers: cookie })).status).toBe(200);
    const ctrl = new AbortController();
    const stream = await fetch(`${srv.httpUrl}/api/events/stream`, { headers: cookie, signal: ctrl.signal });
    expect(stream.status).toBe(200);
    ctrl.abort();
    const write = await api('POST', '/api/configs', { body: { type: 'training_arguments', config: '{}' }, headers: cookie });
    expect([write.status, write.json.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await api('GET', '/api/datasets', { headers: { cookie: 'fts_session=nope' } })).status).toBe(401);
  });
});

describe('no body is read before its token is checked', () => {
  it('HTTP: a refused request is answered while its body is still arriving', async () => {
    expect(await partialPost('/api/database/import', Buffer.alloc(1024, 0x20), 50 * 1024 * 1024)).toBe(401);
    expect(await partialPost('/api/configs', Buffer.alloc(1024, 0x20), 900 * 1024, VIEWER)).toBe(403);
    expect(await partialPost('/api/database/import', Buffer.alloc(1024, 0x20), 50 * 1024 * 1024, EDITOR)).toBe(403);
  });

  it('gRPC: a refused call is answered from its metadata while its message is still arriving', async () => {
    const half = frame(Buffer.alloc(1024), false, 10 * 1024 * 1024);
    expect(await rawGrpc('ImportDatabase', half, { keepOpen: true, waitMs: 5000 })).toEqual({ status: '16', message: expect.stringMatching(/requires a token/) });
    expect((await rawGrpc('ImportDatabase', half, { keepOpen: true, waitMs: 5000, headers: VIEWER })).status).toBe('7');
  });

  it('16 gzip bombs on each transport without a token: all refused, RSS grows < 100 MB', async () => {
    const bomb = await gzipBomb();
    const before = memory().rss;
    const http1 = await Promise.all(
      Array.from({ length: 16 }, () =>
        fetch(`${srv.httpUrl}/api/database/import`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb })
          .then((r) => r.status)
          .catch((e: Error) => e.message),
      ),
    );
    const grpc = await Promise.all(Array.from({ length: 16 }, () => rawGrpc('ImportDatabase', frame(bomb, true), { headers: { 'grpc-encoding': 'gzip' } })));
    expect(http1.every((s) => s === 401 || /fetch failed|other side closed|socket/i.test(String(s)))).toBe(true);
    expect(http1.filter((s) => s === 401).length).toBeGreaterThan(0);
    expect(grpc.map((g) => g.status)).toEqual(Array(16).fill('16'));
    expect((memory().hwm - before) / 2 ** 20).toBeLessThan(100);
  });
});

describe('message limits per method', () => {
  it('gRPC: only ImportDatabase takes more than 4 MiB', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    expectStatus(await srv.newClient(EDITOR).attempt('AddConfig', { type: 'training_arguments', config: big }), 'RESOURCE_EXHAUSTED', /larger than max/);
    const imp = await srv.client.attempt('ImportDatabase', { imported_json: big });
    expect(imp.ok ? 'OK' : imp.codeName).not.toBe('RESOURCE_EXHAUSTED');
  });

  it('gRPC: a compressed message is refused as it inflates past its method limit (16 bombs with a token, RSS < 100 MB)', async () => {
    const bomb = await gzipBomb();
    const before = memory().rss;
    const answers = await Promise.all(
      Array.from({ length: 16 }, () => rawGrpc('AddConfig', frame(bomb, true), { headers: { 'grpc-encoding': 'gzip', ...EDITOR } })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(16).fill('8'));
    expect(answers[0].message).toMatch(/decompresses to a size larger than 4194304/);
    expect((memory().hwm - before) / 2 ** 20).toBeLessThan(100);
  });

  it('HTTP: a gzip body is refused once it inflates past the limit (413), with a token', async () => {
    const bomb = await gzipBomb();
    const r = await fetch(`${srv.httpUrl}/api/configs`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...EDITOR }, body: bomb });
    expect(r.status).toBe(413);
  });
});

describe('one FTS_AUTH_TOKEN, and the exposure warning', () => {
  it('FTS_AUTH_TOKEN alone is one admin named "admin"', async () => {
    const one = await startServer({ seed: false, env: { FTS_AUTH_TOKEN: 'solo-tok' }, metadata: as('solo-tok') });
    try {
      expectOk(await one.client.attempt('AddConfig', { type: 'training_arguments', config: '{"a": 1}' }, { 'x-actor': 'mallory' }));
      const { events } = await one.client.call<{ events: J[] }>('ListEvents', { types: ['ConfigAdded'] });
      expect(JSON.stringify(events.at(-1))).toContain('\\"actor\\":\\"admin\\"');
      const imp = await one.client.attempt('ImportDatabase', { imported_json: '{}' });
      expect(imp.ok ? 'OK' : imp.codeName).not.toBe('PERMISSION_DENIED');
    } finally {
      await one.stop();
    }
  });

  it('binding HTTP to a non-loopback address without a token warns at start; with a token it does not', async () => {
    const open = await startServer({ seed: false, env: { FTS_HTTP_HOST: '0.0.0.0' } });
    const logs = open.logs();
    await open.stop();
    expect(logs).toMatch(/HTTP on 0\.0\.0\.0 without a token: anyone who can reach this address can read and change everything/);
    const closed = await startServer({ seed: false, env: { FTS_HTTP_HOST: '0.0.0.0', FTS_AUTH_TOKEN: 't' }, metadata: as('t') });
    const quiet = closed.logs();
    await closed.stop();
    expect(quiet).not.toMatch(/without a token/);
  });
});
