/**
 * The OpenAPI document (/api/openapi.json) is the HTTP contract: every route
 * has its request (body, path and query parameters) and response schemas,
 * every $ref resolves, and what the real server answers validates against
 * the schema the document declares for that route and status.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import 'reflect-metadata';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { startServer, type ServerHandle } from './support/server.js';
import { REPO_ROOT } from './support/grpc-client.js';
import { copyFixture, ticketPrompt, uid } from './support/fixtures.js';
import { fineTuningRequest, waitFor } from './support/jobs.js';
import { OpenApiChecker, operationFor, operationsOf, refsOf, resolvePointer, type Doc } from './support/openapi.js';

jest.setTimeout(180_000);

let srv: ServerHandle;
let doc: Doc;
let checker: OpenApiChecker;
type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every answer the flow below gets, and what did not match the document. */
const problems: string[] = [];
const checked = new Set<string>();

/** Calls the API and checks the answer against the document (problems are collected, asserted at the end). */
async function api(method: string, url: string, body?: unknown): Promise<{ status: number; json: J }> {
  const res = await fetch(`${srv.httpUrl}/api${url}`, {
    method,
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const type = res.headers.get('content-type');
  const json = text && type?.startsWith('application/json') ? (JSON.parse(text) as J) : {};
  problems.push(...checker.check(method, `/api${url}`, res.status, text ? type : null, text ? json : undefined));
  const op = operationFor(doc, method, `/api${url}`);
  if (op) checked.add(`${op.method.toUpperCase()} ${op.path} ${res.status}`);
  return { status: res.status, json };
}

/** The first `event`'s data of an SSE route, checked against the schema its description names. */
async function firstSseData(url: string, schema: string): Promise<J> {
  const ctrl = new AbortController();
  const res = await fetch(`${srv.httpUrl}/api${url}`, { signal: ctrl.signal });
  problems.push(...checker.check('GET', `/api${url}`, res.status, res.headers.get('content-type'), undefined));
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  const timer = setTimeout(() => ctrl.abort(), 15_000);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${url} ended without an event`);
      buf += dec.decode(value, { stream: true });
      const frame = buf.split('\n\n').find((f) => f.split('\n').some((l) => l.startsWith('data:')));
      if (!frame) continue;
      const data = JSON.parse(frame.split('\n').find((l) => l.startsWith('data:'))!.slice(5)) as J;
      const op = operationFor(doc, 'GET', `/api${url}`)!;
      expect(op.op.responses['200'].description).toContain(schema);
      problems.push(...checker.validate(schema, data).map((e) => `SSE ${url} (${schema}): ${e}`));
      checked.add(`GET ${op.path} 200`);
      return data;
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
}

interface Route {
  method: string;
  path: string;
  handler: string;
  body: boolean;
  query: boolean;
  namedQuery: string[];
  params: string[];
}

/** The /api routes, read from the controllers' own metadata (what the server registers), not from the document. */
async function controllerRoutes(): Promise<Route[]> {
  const src = path.join(REPO_ROOT, 'apps/api/src');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && /@Controller\('api/.test(fs.readFileSync(p, 'utf8'))) files.push(p);
    }
  };
  walk(src);
  const routes: Route[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const cls of Object.values(mod)) {
      if (typeof cls !== 'function') continue;
      const base = Reflect.getMetadata(PATH_METADATA, cls) as string | undefined;
      if (base === undefined || !String(base).startsWith('api')) continue;
      const proto = (cls as { prototype: Record<string, unknown> }).prototype;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const fn = proto[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, fn) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (sub === undefined || method === undefined) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, cls, name) ?? {}) as Record<string, { data?: string }>;
        const of = (t: RouteParamtypes) => Object.entries(args).filter(([k]) => Number(k.split(':')[0]) === t).map(([, v]) => v.data);
        const joined = `/${[base, sub].filter((s) => s && s !== '/').join('/')}`.replace(/\/+/g, '/').replace(/:(\w+)/g, '{$1}');
        routes.push({
          method: RequestMethod[method].toLowerCase(),
          path: joined,
          handler: `${(cls as { name: string }).name}.${name}`,
          body: of(RouteParamtypes.BODY).length > 0,
          query: of(RouteParamtypes.QUERY).length > 0,
          namedQuery: of(RouteParamtypes.QUERY).filter((d): d is string => typeof d === 'string'),
          params: of(RouteParamtypes.PARAM).filter((d): d is string => typeof d === 'string'),
        });
      }
    }
  }
  return routes;
}

beforeAll(async () => {
  srv = await startServer({
    seed: true,
    env: {
      FTS_WEB_DIR: '/nonexistent-web-dir',
      FTS_GPU_SLOTS: '1',
      FTS_JOB_TEMPLATE: path.join(REPO_ROOT, 'job-templates/testing/progress_only.py'),
      FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({ steps: 4, interval_s: 0.2 }),
      MLFLOW_TRACKING_URI: 'http://127.0.0.1:9',
    },
  });
  const res = await fetch(`${srv.httpUrl}/api/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
  checker = new OpenApiChecker(doc);
});
afterAll(async () => {
  await srv?.stop();
});

describe('the document', () => {
  it('has every controller route, each with its request and response schemas', async () => {
    const routes = await controllerRoutes();
    expect(routes.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const r of routes) {
      const op = (doc.paths[r.path] as Doc | undefined)?.[r.method] as Doc | undefined;
      const at = `${r.method.toUpperCase()} ${r.path} (${r.handler})`;
      if (!op) {
        missing.push(`${at}: not in the document`);
        continue;
      }
      const success = Object.entries(op.responses as Doc).filter(([s]) => /^2\d\d$/.test(s));
      if (success.length !== 1) missing.push(`${at}: ${success.length} success answers declared (add @ApiContract)`);
      for (const [status, resp] of success) {
        const schema = (resp as Doc).content && Object.values((resp as Doc).content as Doc)[0]?.schema;
        if (status !== '204' && !schema?.$ref) missing.push(`${at}: ${status} has no response schema`);
        if (status === '204' && (resp as Doc).content) missing.push(`${at}: 204 declares content`);
      }
      if (!(op.responses as Doc).default?.content?.['application/json']?.schema?.$ref) missing.push(`${at}: no error answer schema`);
      if (r.body && !op.requestBody?.content?.['application/json']?.schema?.$ref) missing.push(`${at}: takes a body, has no request schema`);
      if (!r.body && op.requestBody) missing.push(`${at}: declares a body it does not read`);
      const params = (op.parameters ?? []) as { name: string; in: string; schema?: unknown }[];
      if (r.query && !params.some((p) => p.in === 'query')) missing.push(`${at}: reads the query, declares no query parameter`);
      for (const n of r.namedQuery) if (!params.some((p) => p.in === 'query' && p.name === n)) missing.push(`${at}: query parameter ${n} not declared`);
      for (const n of r.params) if (!params.some((p) => p.in === 'path' && p.name === n && p.schema)) missing.push(`${at}: path parameter ${n} not declared`);
    }
    expect(missing).toEqual([]);
    // Operation ids come from method and path, so moving a route between controllers changes no generated name.
    expect(operationsOf(doc).filter((o) => !/^(get|post|put|patch|delete)[A-Z]\w*$/.test(o.op.operationId ?? ''))).toEqual([]);
    expect(new Set(operationsOf(doc).map((o) => o.op.operationId)).size).toBe(operationsOf(doc).length);
    // And nothing in the document that no controller serves.
    expect(operationsOf(doc).map((o) => `${o.method} ${o.path}`).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('every $ref resolves, and every component schema compiles', () => {
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(100);
    expect(refs.filter((r) => resolvePointer(doc, r.ref) === undefined)).toEqual([]);
    // A schema per proto message (fine_tuning_studio.proto), plus the HTTP-only ones.
    const proto = fs.readFileSync(path.join(REPO_ROOT, 'libs/proto/fine_tuning_studio.proto'), 'utf8');
    const messages = [...proto.matchAll(/^message (\w+)/gm)].map((m) => m[1]);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(messages));
    expect(checker.compileAll().length).toBeGreaterThan(messages.length);
  });

  it('the checker refuses what does not match (so the flow below proves something)', () => {
    expect(checker.validate('GetDatasetResponse', { dataset: { id: 5 } })).toEqual([expect.stringContaining('/dataset/id must be string')]);
    const checkpoint = { step: 1, epoch: 1, loss: null, eval_loss: 0.5, path: 'runs/x/checkpoint-1', attempt: 1, at: '2026-01-01T00:00:00Z' };
    expect(checker.validate('ListJobCheckpointsResponse', { checkpoints: [checkpoint] })).toEqual([]);
    expect(checker.validate('ListJobCheckpointsResponse', { checkpoints: [{ ...checkpoint, eval_loss: 'x' }] })).toEqual([expect.stringContaining('/checkpoints/0/eval_loss')]);
    expect(checker.validate('JobMetricPoint', { step: 1, values: {}, at: '' })).toEqual([expect.stringContaining("required property 'total_steps'"), expect.stringContaining("required property 'attempt'")]);
    expect(checker.check('DELETE', '/api/configs/x', 200, 'application/json', {})).toEqual([expect.stringContaining('status 200 is not declared')]);
    expect(checker.check('GET', '/api/settings', 200, 'application/json', { runner: 'local' })).not.toEqual([]);
  });
});

describe('the console', () => {
  it("compiles against types generated from this document: apps/web/src/app/core/api.generated.ts is current", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-openapi-')), 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    try {
      // Exit 1 (and a message saying to run npm run generate:web-types) when the committed file differs.
      const out = execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts/web-api-types.mjs'), '--check', '--doc', file], { encoding: 'utf8', stdio: 'pipe' });
      expect(out).toContain('is current');
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});

describe('the real answers match it', () => {
  it('catalog, jobs, views, events, settings and errors', async () => {
    // Catalog
    await api('GET', '/health');
    await api('GET', '/settings');
    await api('GET', '/auth/session');
    await api('POST', '/auth/session');
    await api('DELETE', '/auth/session');
    const models = (await api('GET', '/models')).json.models as J[];
    const model = models.find((m) => m.huggingface_model_name === 'bigscience/bloom-1b1') ?? models[0];
    await api('GET', `/models/${model.id}`);
    const added = await api('POST', '/models', { type: 'huggingface', huggingface_name: 'test-org/tiny-llama' });
    expect(added.status).toBe(201);
    const rel = copyFixture(srv.root, 'datasets/tickets.csv', 'data/oa-tickets.csv');
    const ds = (await api('POST', '/datasets', { type: 'project_csv', location: rel, name: uid('oa-') })).json.dataset as J;
    await api('GET', '/datasets');
    await api('GET', `/datasets/${ds.id}`);
    await api('GET', `/datasets/${ds.id}/rows?limit=3`);
    const prompt = (await api('POST', '/prompts', ticketPrompt(ds.id))).json.prompt as J;
    await api('GET', '/prompts');
    await api('GET', `/prompts/${prompt.id}`);
    const cfg = (await api('POST', '/configs', { type: 'lora_config', config: JSON.stringify({ r: 8, lora_alpha: 16 }), description: 'x' })).json.config as J;
    await api('GET', '/configs?type=lora_config');
    await api('GET', `/configs/${cfg.id}`);
    await api('DELETE', `/configs/${cfg.id}`);
    fs.mkdirSync(path.join(srv.root, 'adapters/oa-adapter'), { recursive: true });
    const adapter = (await api('POST', '/adapters', { type: 'project', name: 'oa-adapter', model_id: added.json.model.id, location: 'adapters/oa-adapter', prompt_id: prompt.id }))
      .json.adapter as J;
    await api('GET', '/adapters');
    await api('GET', `/adapters/${adapter.id}`);
    await api('GET', `/adapters/${adapter.id}/dataset-split`);

    // A fine-tuning job: plan, start, run to its end, then its views.
    const request = fineTuningRequest({ model: added.json.model.id, dataset: ds.id, prompt: prompt.id }, uid('oa-job-'));
    expect((await api('POST', '/jobs/plan', request)).status).toBe(200);
    const job = (await api('POST', '/fine-tuning-jobs', request)).json.fine_tuning_job as J;
    await firstSseData(`/jobs/${job.id}/updates`, 'JobUpdate');
    await waitFor('the job to end', async () => (['succeeded', 'failed'].includes((await api('GET', `/fine-tuning-jobs/${job.id}`)).json.fine_tuning_job.status) ? true : undefined), 60_000, 300);
    await api('GET', '/fine-tuning-jobs');
    await api('GET', `/jobs/${job.id}/metrics`);
    await api('GET', `/jobs/${job.id}/checkpoints`);
    await api('GET', `/jobs/${job.id}/logs?tail_lines=5`);
    await firstSseData(`/jobs/${job.id}/logs/stream`, 'JobLogChunk');
    await api('POST', `/fine-tuning-jobs/${job.id}/cancel`); // refused: it has ended (an error answer)
    await api('POST', `/fine-tuning-jobs/${job.id}/resume`, {}); // refused or resumed: both are declared

    // Evaluation, comparison, export
    const evalRequest = { model_adapter_combinations: [{ base_model_id: added.json.model.id, adapter_id: adapter.id }], dataset_id: ds.id, prompt_id: prompt.id, cpu: 1, gpu: 0, memory: 1 };
    expect((await api('POST', '/jobs/plan-evaluation', evalRequest)).status).toBe(200);
    const evals = (await api('POST', '/evaluation-jobs', evalRequest)).json as J;
    await api('GET', '/evaluation-jobs');
    await api('GET', `/evaluation-jobs/${evals.evaluation_job.id}`);
    await api('POST', `/evaluation-jobs/${evals.evaluation_job.id}/cancel`);
    await api('GET', `/evaluation-results/${evals.evaluation_job.parent_job_id || evals.evaluation_job.id}`);
    const cmp = await api('POST', '/comparisons', { base_model_id: added.json.model.id, adapter_ids: [adapter.id], input_text: 'hello', cpu: 1, gpu: 0, memory: 1 });
    if (cmp.status === 201) await api('GET', `/comparisons/${cmp.json.comparison.id}`);
    const exp = await api('POST', '/exports', { type: 'model_registry', base_model_id: added.json.model.id, adapter_id: adapter.id, model_name: 'oa-export' });
    await api('GET', '/exports');
    if (exp.status === 201) await api('GET', `/exports/${exp.json.export_id}`);

    // Events, database
    await api('GET', '/events?limit=50');
    await firstSseData('/events/stream?after_position=0', 'Event');
    const exported = await fetch(`${srv.httpUrl}/api/database/export`);
    const exportText = await exported.text();
    problems.push(...checker.check('GET', '/api/database/export', exported.status, exported.headers.get('content-type'), JSON.parse(exportText)));
    await api('POST', '/database/import', JSON.parse(exportText)); // everything conflicts: a report all the same

    // Removals and errors
    await api('DELETE', `/evaluation-jobs/${evals.evaluation_job.id}`);
    await api('DELETE', `/fine-tuning-jobs/${job.id}?delete_files=true`);
    await api('DELETE', `/adapters/${adapter.id}`);
    await api('DELETE', `/prompts/${prompt.id}`);
    await api('DELETE', `/datasets/${ds.id}`);
    await api('DELETE', `/models/${added.json.model.id}`);
    await api('GET', `/datasets/${ds.id}`);
    await api('GET', '/datasets?page_size=abc');

    expect(problems).toEqual([]);
    // The sample covers most of the routes, in success and error answers.
    const routes = new Set([...checked].map((c) => c.replace(/ \d+$/, '')));
    expect(routes.size).toBeGreaterThanOrEqual(50);
  });
});
