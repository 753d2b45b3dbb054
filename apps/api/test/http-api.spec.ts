/**
 * The HTTP JSON API (/api) through the real server: the same handlers as
 * gRPC, the error shape, headers, SSE, database transfer, dataset preview,
 * settings, docs and the console.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import { FIXTURES_DIR, copyFixture, ticketPrompt, uid } from './support/fixtures.js';

jest.setTimeout(120_000);

let srv: ServerHandle;
type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, base = srv.httpUrl) {
  const res = await fetch(`${base}/api${url}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
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

/** Reads SSE frames from a fetch response until `n` events (not comments) came. */
async function readSse(url: string, n: number, headers: Record<string, string> = {}): Promise<{ id?: string; event: string; data: J }[]> {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers, signal: ctrl.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const out: { id?: string; event: string; data: J }[] = [];
  const timer = setTimeout(() => ctrl.abort(), 15_000);
  try {
    while (out.length < n) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const f: J = {};
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) continue;
          const k = line.slice(0, line.indexOf(':'));
          f[k] = line.slice(line.indexOf(':') + 1).trim();
        }
        if (f.event) out.push({ id: f.id, event: f.event, data: JSON.parse(f.data) as J });
      }
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return out.slice(0, n);
}

let datasetId: string;

beforeAll(async () => {
  srv = await startServer({ seed: false, env: { FTS_WEB_DIR: '/nonexistent-web-dir' } });
  copyFixture(srv.root, 'datasets/tickets.csv', 'data/tickets.csv');
  fs.writeFileSync(path.join(srv.root, 'data/quoted.csv'), '\uFEFF"first, name","say ""hi"""\n"a, b","x"\nc,"multi\nline"\n');
  fs.writeFileSync(path.join(srv.root, 'data/rows.jsonl'), '{"q":"1","a":"one"}\n\n{"q":"2","a":"two"}\n{"q":"3","a":"three"}\n');
  fs.writeFileSync(path.join(srv.root, 'data/rows.json'), JSON.stringify([{ q: 'x', a: '[}' }, { q: 'y', a: 'z' }]));
});
afterAll(async () => {
  await srv?.stop();
});

describe('catalog CRUD', () => {
  it('health', async () => {
    expect((await api('GET', '/health')).json).toEqual({ status: 'ok' });
  });

  it('datasets: add, get, list, rows preview, duplicate 409, delete 204, then 404', async () => {
    const add = await api('POST', '/datasets', { type: 'project_csv', location: 'data/tickets.csv', name: 'tickets' });
    expect(add.status).toBe(201);
    datasetId = add.json.dataset.id;
    expect((await api('GET', `/datasets/${datasetId}`)).json.dataset.name).toBe('tickets');
    expect((await api('GET', '/datasets')).json.datasets.map((d: J) => d.id)).toContain(datasetId);
    const rows = await api('GET', `/datasets/${datasetId}/rows?limit=2`);
    expect(rows.status).toBe(200);
    expect(rows.json.features).toEqual(['instruction', 'intent']);
    expect(rows.json.rows).toHaveLength(2);
    const dup = await api('POST', '/datasets', { type: 'project_csv', location: 'data/tickets.csv', name: 'tickets' });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe('ALREADY_EXISTS');
    const tmp = await api('POST', '/datasets', { type: 'project_jsonl', location: 'data/rows.jsonl', name: 'rows-jsonl' });
    expect(tmp.status).toBe(201);
    expect((await api('DELETE', `/datasets/${tmp.json.dataset.id}`)).status).toBe(204);
    expect((await api('GET', `/datasets/${tmp.json.dataset.id}`)).status).toBe(404);
  });

  it('dataset rows preview: quoted CSV header with a BOM, JSON Lines, JSON, limit bounds', async () => {
    const q = await api('POST', '/datasets', { type: 'project_csv', location: 'data/quoted.csv', name: 'quoted' });
    expect(q.status).toBe(201);
    const rows = await api('GET', `/datasets/${q.json.dataset.id}/rows`);
    expect(rows.json).toEqual({ features: ['first, name', 'say "hi"'], rows: [{ 'first, name': 'a, b', 'say "hi"': 'x' }, { 'first, name': 'c', 'say "hi"': 'multi\nline' }] });
    const jl = await api('POST', '/datasets', { type: 'project_jsonl', location: 'data/rows.jsonl', name: 'rows-jsonl-2' });
    expect((await api('GET', `/datasets/${jl.json.dataset.id}/rows?limit=2`)).json).toEqual({ features: ['q', 'a'], rows: [{ q: '1', a: 'one' }, { q: '2', a: 'two' }] });
    const js = await api('POST', '/datasets', { type: 'project_json', location: 'data/rows.json', name: 'rows-json' });
    expect((await api('GET', `/datasets/${js.json.dataset.id}/rows`)).json.rows).toEqual([{ q: 'x', a: '[}' }, { q: 'y', a: 'z' }]);
    const bad = await api('GET', `/datasets/${js.json.dataset.id}/rows?limit=101`);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'HTTP.BAD_QUERY' });
  });

  it('prompts: add (body is the PromptMetadata), get, list, delete', async () => {
    const p = ticketPrompt(datasetId, uid('p-'));
    const add = await api('POST', '/prompts', p);
    expect(add.status).toBe(201);
    expect(add.json.prompt).toMatchObject({ id: p.id, name: p.name });
    expect((await api('GET', `/prompts/${p.id}`)).json.prompt.id).toBe(p.id);
    expect((await api('GET', '/prompts')).json.prompts.map((x: J) => x.id)).toContain(p.id);
    // dataset_id (HTTP only): one dataset's prompts, paged, for the console's prompt selects.
    const mine = await api('GET', `/prompts?dataset_id=${datasetId}&page_size=1`);
    expect(mine.json.prompts.map((x: J) => x.id)).toEqual([p.id]);
    expect(mine.json.next_page_token).toBe('');
    expect((await api('GET', `/prompts?dataset_id=${randomUUID()}`)).json.prompts).toEqual([]);
    expect((await api('DELETE', `/prompts/${p.id}`)).status).toBe(204);
    const gone = await api('GET', `/prompts/${p.id}`);
    expect(gone.status).toBe(404);
    expect(gone.json.error).toMatchObject({ code: 'NOT_FOUND', reason: 'PROMPT.NOT_FOUND' });
  });

  it('configs, models, adapters, jobs, exports: list and 404 through the same handlers', async () => {
    const cfg = await api('POST', '/configs', { type: 'lora_config', config: JSON.stringify({ r: 8, lora_alpha: 16 }), description: 'x' });
    expect(cfg.status).toBe(201);
    expect((await api('GET', `/configs/${cfg.json.config.id}`)).json.config.id).toBe(cfg.json.config.id);
    expect((await api('GET', '/configs?type=lora_config')).json.configs.length).toBeGreaterThan(0);
    expect((await api('DELETE', `/configs/${cfg.json.config.id}`)).status).toBe(204);
    for (const [list, key] of [['/models', 'models'], ['/adapters', 'adapters'], ['/fine-tuning-jobs', 'fine_tuning_jobs'], ['/evaluation-jobs', 'evaluation_jobs'], ['/exports', 'exports']]) {
      const r = await api('GET', list);
      expect(r.status).toBe(200);
      expect(Array.isArray(r.json[key])).toBe(true);
      const missing = await api('GET', `${list}/${randomUUID()}`);
      expect(missing.status).toBe(404);
      expect(missing.json.error.code).toBe('NOT_FOUND');
    }
    // model_id (HTTP only): one base model's adapters, for the console's adapter selects.
    fs.cpSync(path.join(FIXTURES_DIR, 'models/tiny'), path.join(srv.root, 'models/filter-tiny'), { recursive: true });
    const model = await api('POST', '/models', { type: 'project', location: 'models/filter-tiny', name: uid('filter-tiny-') });
    expect(model.status).toBe(201);
    fs.mkdirSync(path.join(srv.root, 'adapters/filter-adapter'), { recursive: true });
    const adapter = await api('POST', '/adapters', { type: 'project', name: uid('a-'), model_id: model.json.model.id, location: 'adapters/filter-adapter' });
    expect(adapter.status).toBe(201);
    expect((await api('GET', `/adapters?model_id=${model.json.model.id}`)).json.adapters.map((a: J) => a.id)).toEqual([adapter.json.adapter.id]);
    expect((await api('GET', `/adapters?model_id=${randomUUID()}`)).json.adapters).toEqual([]);
    expect((await api('POST', `/fine-tuning-jobs/${randomUUID()}/cancel`)).status).toBe(404);
    expect((await api('GET', `/jobs/${randomUUID()}/metrics`)).status).toBe(404);
  });
});

describe('edge shape checks and errors', () => {
  it('malformed JSON 400, non-object body 400, wrong field type 400, page_size not a number 400, oversize 413, unknown route 404', async () => {
    const bad = await api('POST', '/prompts', '{nope');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'INVALID_ARGUMENT', reason: 'HTTP.MALFORMED_JSON' });
    expect((await api('POST', '/prompts', '[1,2]')).json.error.reason).toBe('HTTP.BODY_NOT_OBJECT');
    const field = await api('POST', '/datasets', { type: 'project_csv', name: 5 });
    expect(field.status).toBe(400);
    expect(field.json.error.message).toContain("'name'");
    expect((await api('GET', '/datasets?page_size=abc')).status).toBe(400);
    const big = await api('POST', '/prompts', { name: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('RESOURCE_EXHAUSTED');
    const none = await api('GET', '/no-such-route');
    expect(none.status).toBe(404);
    expect(none.json.error.code).toBe('NOT_FOUND');
  });

  it('an idempotency-key: the same answer and one event; the call recorded as http with actor and correlation id', async () => {
    const key = uid('idem-');
    const p = ticketPrompt(datasetId, uid('idem-p-'));
    const h = { 'idempotency-key': key, 'x-actor': 'alice', 'x-correlation-id': 'corr-1' };
    const first = await api('POST', '/prompts', p, h);
    const second = await api('POST', '/prompts', p, h);
    expect(second.json).toEqual(first.json);
    const events = await api('GET', `/events?stream_id=prompt-${p.id}`);
    expect(events.json.events).toHaveLength(1);
    expect(events.json.events[0].metadata).toMatchObject({ idempotency_key: key, transport: 'http', actor: 'alice', correlation_id: 'corr-1' });
    expect(typeof events.json.events[0].data).toBe('object');
  });
});

describe('events', () => {
  it('list with filters; SSE from a position, resumed with Last-Event-ID without gaps or duplicates', async () => {
    const all = await api('GET', '/events?limit=10000');
    const positions: number[] = all.json.events.map((e: J) => e.position);
    expect(all.json.last_position).toBe(positions[positions.length - 1]);
    expect((await api('GET', '/events?type=PromptAdded&type=DatasetAdded')).json.events.every((e: J) => ['PromptAdded', 'DatasetAdded'].includes(e.type))).toBe(true);
    const first = await readSse(`${srv.httpUrl}/api/events/stream?after_position=0`, 3);
    expect(first.map((e) => Number(e.id))).toEqual(positions.slice(0, 3));
    expect(first[0].event).toBe(first[0].data.type);
    const resumed = await readSse(`${srv.httpUrl}/api/events/stream`, 3, { 'last-event-id': first[2].id! });
    expect(resumed.map((e) => Number(e.id))).toEqual(positions.slice(3, 6));
    // Live: an event appended after the stream opened arrives.
    const live = readSse(`${srv.httpUrl}/api/events/stream?type=PromptAdded&after_position=${all.json.last_position}`, 1);
    await new Promise((r) => setTimeout(r, 300));
    const p = ticketPrompt(datasetId, uid('live-'));
    await api('POST', '/prompts', p);
    const got = await live;
    expect(got[0].data.stream_id).toBe(`prompt-${p.id}`);
    expect((await api('GET', '/events?from_time=yesterday')).status).toBe(400);
  });
});

describe('events from the head, and newest first', () => {
  it('from=head sends the head position, then only events recorded after it; a reconnect from that id misses nothing', async () => {
    const newest = await api('GET', '/events?order=desc&limit=1');
    const head: number = newest.json.events[0].position;
    const stream = readSse(`${srv.httpUrl}/api/events/stream?from=head&type=PromptAdded`, 2);
    await new Promise((r) => setTimeout(r, 300));
    const p = ticketPrompt(datasetId, uid('head-'));
    await api('POST', '/prompts', p);
    const [first, next] = await stream;
    expect(first.event).toBe('head');
    expect(Number(first.id)).toBeGreaterThanOrEqual(head);
    expect(first.data.position).toBe(Number(first.id));
    expect(next.data.stream_id).toBe(`prompt-${p.id}`);
    expect(next.data.position).toBeGreaterThan(first.data.position);
    // An EventSource reconnecting sends the head frame's id back: Last-Event-ID wins over from=head.
    const resumed = await readSse(`${srv.httpUrl}/api/events/stream?from=head&type=PromptAdded`, 1, { 'last-event-id': first.id! });
    expect(resumed[0].data.stream_id).toBe(`prompt-${p.id}`);
    expect((await fetch(`${srv.httpUrl}/api/events/stream?from=nowhere`)).status).toBe(400);
    expect((await fetch(`${srv.httpUrl}/api/events/stream?from=head&after_position=3`)).status).toBe(400);
  });

  it('order=desc pages back from the newest with before_position (keyset)', async () => {
    const all = (await api('GET', '/events?limit=10000')).json.events.map((e: J) => e.position as number);
    const page1 = await api('GET', '/events?order=desc&limit=3');
    expect(page1.json.events.map((e: J) => e.position)).toEqual(all.slice(-3).reverse());
    const page2 = await api('GET', `/events?order=desc&limit=3&before_position=${page1.json.last_position}`);
    expect(page2.json.events.map((e: J) => e.position)).toEqual(all.slice(-6, -3).reverse());
    expect((await api('GET', '/events?order=sideways')).status).toBe(400);
  });
});

describe('settings, docs, console', () => {
  it('settings', async () => {
    const s = await api('GET', '/settings');
    expect(s.json).toMatchObject({ runner: 'local', project_root: srv.root, auth: false, grpc_address: srv.grpcAddress });
    expect(s.json.python).toHaveProperty('packages.torch');
    expect(s.json.versions).toHaveProperty('nest');
  });

  it('docs and OpenAPI JSON', async () => {
    const doc = await api('GET', '/openapi.json');
    expect(doc.json.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.json.paths)).toEqual(expect.arrayContaining(['/api/datasets', '/api/events/stream', '/api/settings']));
    const page = await fetch(`${srv.httpUrl}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('html');
  });

  it('the console not built: a page that says how to build it, on / and SPA routes', async () => {
    for (const p of ['/', '/jobs/123']) {
      const r = await fetch(`${srv.httpUrl}${p}`);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('npm run build:web');
    }
  });

  it('database export is a download', async () => {
    const r = await fetch(`${srv.httpUrl}/api/database/export`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="fine-tuning-studio-export-\d{4}-\d{2}-\d{2}\.json"$/);
    JSON.parse(await r.text());
  });
});

describe('a server with a token and a built console', () => {
  let other: ServerHandle;
  let web: string;
  beforeAll(async () => {
    web = fs.mkdtempSync(path.join(srv.root, '..', 'web-'));
    fs.writeFileSync(path.join(web, 'index.html'), '<html>console index</html>');
    fs.writeFileSync(path.join(web, 'main.js'), 'console.log(1)');
    other = await startServer({ seed: false, env: { FTS_AUTH_TOKEN: 'sekrit', FTS_WEB_DIR: web }, metadata: { authorization: 'Bearer sekrit' } });
  });
  afterAll(async () => {
    await other?.stop();
  });
  const auth = { authorization: 'Bearer sekrit' };

  it('401 without the token, 200 with it; SSE takes ?access_token=', async () => {
    const no = await api('GET', '/datasets', undefined, {}, other.httpUrl);
    expect(no.status).toBe(401);
    expect(no.json.error.code).toBe('UNAUTHENTICATED');
    expect((await api('GET', '/datasets', undefined, auth, other.httpUrl)).status).toBe(200);
    expect((await fetch(`${other.httpUrl}/api/events/stream`)).status).toBe(401);
    const ctrl = new AbortController();
    const ok = await fetch(`${other.httpUrl}/api/events/stream?access_token=sekrit`, { signal: ctrl.signal });
    expect(ok.status).toBe(200);
    ctrl.abort();
  });

  it('database import round trip: the export of one server imported into another', async () => {
    const exported = await (await fetch(`${srv.httpUrl}/api/database/export`)).text();
    const r = await api('POST', '/database/import', exported, auth, other.httpUrl);
    expect(r.status).toBe(200);
    expect(r.json).toHaveProperty('report');
    const names = (await api('GET', '/datasets', undefined, auth, other.httpUrl)).json.datasets.map((d: J) => d.name);
    expect(names).toContain('tickets');
  });

  it('serves the built console with SPA fallback', async () => {
    expect(await (await fetch(`${other.httpUrl}/`)).text()).toContain('console index');
    expect(await (await fetch(`${other.httpUrl}/jobs/abc`)).text()).toContain('console index');
    expect(await (await fetch(`${other.httpUrl}/main.js`)).text()).toContain('console.log');
    expect((await fetch(`${other.httpUrl}/missing.js`)).status).toBe(404);
  });
});
