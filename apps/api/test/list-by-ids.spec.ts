/**
 * The `ids` filter of the HTTP list routes (datasets, models, adapters,
 * prompts): the rows named, in the order asked, in one request; ids not found
 * left out; a clear 400 on a bad filter.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import { FIXTURES_DIR, copyFixture, ticketPrompt, uid } from './support/fixtures.js';
import { MAX_IDS } from '../src/http/ids-query.js';

jest.setTimeout(120_000);

let srv: ServerHandle;
type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(method: string, url: string, body?: unknown) {
  const res = await fetch(`${srv.httpUrl}/api${url}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as J };
}

const ids = { datasets: [] as string[], models: [] as string[], adapters: [] as string[], prompts: [] as string[] };

beforeAll(async () => {
  srv = await startServer({ seed: false, env: { FTS_WEB_DIR: '/nonexistent-web-dir' } });
  copyFixture(srv.root, 'datasets/tickets.csv', 'data/tickets.csv');
  for (const name of ['a', 'b', 'c']) {
    const d = await api('POST', '/datasets', { type: 'project_csv', location: 'data/tickets.csv', name: uid(`tickets-${name}-`) });
    expect(d.status).toBe(201);
    ids.datasets.push(d.json.dataset.id);
    const p = await api('POST', '/prompts', ticketPrompt(d.json.dataset.id, uid('p-')));
    expect(p.status).toBe(201);
    ids.prompts.push(p.json.prompt.id);
  }
  for (const name of ['m1', 'm2']) {
    fs.cpSync(path.join(FIXTURES_DIR, 'models/tiny'), path.join(srv.root, `models/${name}`), { recursive: true });
    const m = await api('POST', '/models', { type: 'project', location: `models/${name}`, name: uid(`${name}-`) });
    expect(m.status).toBe(201);
    ids.models.push(m.json.model.id);
    fs.mkdirSync(path.join(srv.root, `adapters/${name}`), { recursive: true });
    const a = await api('POST', '/adapters', { type: 'project', name: uid('a-'), model_id: m.json.model.id, location: `adapters/${name}` });
    expect(a.status).toBe(201);
    ids.adapters.push(a.json.adapter.id);
  }
});
afterAll(async () => {
  await srv?.stop();
});

describe('GET /api/<kind>?ids=…', () => {
  it.each(['datasets', 'models', 'adapters', 'prompts'] as const)('%s: the rows named, in the order asked; unknown ids left out; one page', async (kind) => {
    const mine = ids[kind];
    const asked = [mine[mine.length - 1], randomUUID(), mine[0]];
    const r = await api('GET', `/${kind}?ids=${asked.join(',')}`);
    expect(r.status).toBe(200);
    expect(r.json[kind].map((x: J) => x.id)).toEqual([mine[mine.length - 1], mine[0]]);
    expect(r.json[kind][0].name).toEqual(expect.any(String));
    expect(r.json.next_page_token).toBe('');
    // Repeated parameters and duplicates read the same as one comma-separated list.
    const repeated = await api('GET', `/${kind}?ids=${mine[0]}&ids=${mine[0]},${mine[1]}`);
    expect(repeated.json[kind].map((x: J) => x.id)).toEqual([mine[0], mine[1]]);
  });

  it('datasets: rows are presented as the list presents them (file_missing marked)', async () => {
    const r = await api('GET', `/datasets?ids=${ids.datasets[0]}`);
    const listed = (await api('GET', '/datasets')).json.datasets.find((d: J) => d.id === ids.datasets[0]);
    expect(r.json.datasets).toEqual([listed]);
  });

  it('bad filters are a 400 that says what is wrong', async () => {
    const cases: [string, RegExp][] = [
      ['/datasets?ids=', /at least one id/],
      ['/datasets?ids=,,', /at least one id/],
      [`/models?ids=${Array.from({ length: MAX_IDS + 1 }, () => randomUUID()).join(',')}`, new RegExp(`${MAX_IDS + 1} ids; at most ${MAX_IDS}`)],
      [`/prompts?ids=${'x'.repeat(129)}`, /longer than 128 characters/],
      [`/datasets?ids=${ids.datasets[0]}&page_size=10`, /cannot be combined with 'page_size'/],
      [`/prompts?ids=${ids.prompts[0]}&dataset_id=${ids.datasets[0]}`, /cannot be combined with 'dataset_id'/],
      [`/adapters?ids=${ids.adapters[0]}&model_id=${ids.models[0]}&page_token=x`, /cannot be combined with 'page_token', 'model_id'/],
    ];
    for (const [url, message] of cases) {
      const r = await api('GET', url);
      expect({ url, status: r.status, reason: r.json.error?.reason }).toEqual({ url, status: 400, reason: 'HTTP.BAD_QUERY' });
      expect(r.json.error.message).toMatch(message);
    }
    // Exactly MAX_IDS is fine.
    const full = await api('GET', `/models?ids=${[...ids.models, ...Array.from({ length: MAX_IDS - 2 }, () => randomUUID())].join(',')}`);
    expect(full.status).toBe(200);
    expect(full.json.models.map((m: J) => m.id)).toEqual(ids.models);
  });

  it('without ids the lists page as before', async () => {
    const page = await api('GET', '/datasets?page_size=2');
    expect(page.json.datasets.map((d: J) => d.id)).toEqual(ids.datasets.slice(0, 2));
    expect(page.json.next_page_token).not.toBe('');
    expect((await api('GET', `/adapters?model_id=${ids.models[1]}`)).json.adapters.map((a: J) => a.id)).toEqual([ids.adapters[1]]);
  });
});
