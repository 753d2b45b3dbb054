/**
 * Issue 15: a large ImportDatabase runs off the event loop (a child process
 * with a connection of its own, which also decodes the request's bytes). While it runs, reads are answered; what
 * they show is the state before the import or after it, never half of it;
 * a write sent meanwhile waits for the import and then succeeds; and a
 * ExportDatabase of the result equals what was imported.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import { REPO_ROOT } from './support/grpc-client.js';
import { fineTuningRequest, waitFor } from './support/jobs.js';

const ROWS = 20_000;
let srv: ServerHandle;

const modelsDocument = (n: number) =>
  JSON.stringify({
    models: {
      schema: '',
      data: Array.from({ length: n }, (_, i) => ({ id: `imp-${i}`, type: 'huggingface', name: `imp-${i}`, huggingface_model_name: `bench-org/imp-${i}` })),
    },
  });

beforeAll(async () => {
  srv = await startServer({ seed: false });
  fs.mkdirSync(path.join(srv.root, 'data'), { recursive: true });
  fs.writeFileSync(path.join(srv.root, 'data/tickets.csv'), 'instruction,intent\n"Cancel my order",cancel_order\n');
}, 120_000);
afterAll(() => srv?.stop());

describe('ImportDatabase of 20k rows', () => {
  it('answers reads throughout, shows none or all of the import, holds a write until it commits', async () => {
    const { dataset } = await srv.client.call('AddDataset', { type: 'project_csv', location: 'data/tickets.csv', name: 'Tickets' });
    let importing = true;
    const seen = new Set<number>();
    let readsDuring = 0;
    const reader = (async () => {
      while (importing) {
        const { models } = await srv.client.call('ListModels', {});
        seen.add(models.length);
        readsDuring++;
      }
    })();
    const started = Date.now();
    const imported = srv.client.call('ImportDatabase', { imported_json: modelsDocument(ROWS) }).finally(() => (importing = false));
    await new Promise((r) => setTimeout(r, 50));
    const write = srv.client.call('AddPrompt', {
      prompt: { id: 'p-during-import', name: 'during import', type: 'in_place', dataset_id: dataset.id, prompt_template: 'x', input_template: 'x', completion_template: 'x' },
    });
    const { report } = await imported;
    const importMs = Date.now() - started;
    await reader;
    expect(report.tables).toEqual([expect.objectContaining({ table: 'models', imported: ROWS })]);
    expect((await write).prompt.name).toBe('during import');
    expect([...seen].every((n) => n === 0 || n === ROWS)).toBe(true);
    // Reads kept coming while the rows were written (a synchronous import answers none).
    if (importMs > 1000) expect(readsDuring).toBeGreaterThan(3);
    expect((await srv.client.call('ListModels', {})).models).toHaveLength(ROWS);
    const exported = JSON.parse((await srv.client.call('ExportDatabase', {})).exported_json);
    expect(exported.models.data).toHaveLength(ROWS);
    expect(exported.models.data[ROWS - 1]).toMatchObject({ id: `imp-${ROWS - 1}`, huggingface_model_name: `bench-org/imp-${ROWS - 1}` });
  }, 300_000);

  it('a failing import writes nothing and answers its error', async () => {
    const before = (await srv.client.call('ListModels', {})).models.length;
    const bad = JSON.stringify({ models: { schema: '', data: [{ id: 'x-1', type: 'huggingface', name: 'x', huggingface_model_name: 'o/x' }, { id: 'x-2', evil: 1 }] } });
    const r = await srv.client.attempt('ImportDatabase', { imported_json: bad });
    expect(r).toMatchObject({ ok: false, codeName: 'INVALID_ARGUMENT', details: expect.stringMatching(/Unknown column 'evil'/) });
    expect((await srv.client.call('ListModels', {})).models).toHaveLength(before);
  }, 120_000);

  it('an idempotency key holds for the import, whose request the import process decodes: the same request replays, another is refused', async () => {
    const doc = (id: string) => JSON.stringify({ models: { schema: '', data: [{ id, type: 'huggingface', name: id, huggingface_model_name: `o/${id}` }] } });
    const key = `import-key-${Date.now()}`;
    const first = await srv.client.call('ImportDatabase', { imported_json: doc('idem-1') }, { 'idempotency-key': key });
    expect(await srv.client.call('ImportDatabase', { imported_json: doc('idem-1') }, { 'idempotency-key': key })).toEqual(first);
    const other = await srv.client.attempt('ImportDatabase', { imported_json: doc('idem-2') }, { 'idempotency-key': key });
    expect(other).toMatchObject({ ok: false, codeName: 'ALREADY_EXISTS', details: expect.stringMatching(/idempotency key reused with a different request/) });
    const ids = (await srv.client.call('ListModels', {})).models.map((m: { id: string }) => m.id);
    expect(ids).toContain('idem-1');
    expect(ids).not.toContain('idem-2');
  }, 120_000);
});

describe('a running job during an import', () => {
  const STEPS = 150;
  let jobSrv: ServerHandle;

  beforeAll(async () => {
    jobSrv = await startServer({
      seed: false,
      env: {
        FTS_JOB_TEMPLATE: path.join(REPO_ROOT, 'job-templates/testing/progress_only.py'),
        FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({ steps: STEPS, interval_s: 0.03 }),
      },
    });
  }, 120_000);
  afterAll(() => jobSrv?.stop());

  it("records its progress after the import instead of waiting for the import's write lock on the event loop: reads stay prompt, no point is lost", async () => {
    const c = jobSrv.client;
    fs.mkdirSync(path.join(jobSrv.root, 'data'), { recursive: true });
    fs.writeFileSync(path.join(jobSrv.root, 'data/tickets.csv'), 'instruction,intent\n"Cancel my order",cancel_order\n');
    fs.mkdirSync(path.join(jobSrv.root, 'models/tiny'), { recursive: true });
    fs.writeFileSync(path.join(jobSrv.root, 'models/tiny/config.json'), JSON.stringify({ architectures: ['LlamaForCausalLM'] }));
    const { dataset } = await c.call('AddDataset', { type: 'project_csv', name: 'tickets', location: 'data/tickets.csv' });
    const { model } = await c.call('AddModel', { type: 'project', location: 'models/tiny' });
    const { prompt } = await c.call('AddPrompt', {
      prompt: { id: 'prompt-during-import', name: 'tickets', dataset_id: dataset.id, prompt_template: 'Request: {instruction}\nIntent: {intent}', input_template: 'Request: {instruction}\nIntent: ', completion_template: '{intent}' },
    });
    const { fine_tuning_job: job } = await c.call('StartFineTuningJob', fineTuningRequest({ model: model.id, dataset: dataset.id, prompt: prompt.id }, 'during-import'));
    await waitFor('progress', async () => ((await c.call('GetJobMetrics', { job_id: job.id })).points.length > 5 ? true : undefined), 30_000);

    let importing = true;
    let slowest = 0;
    const reads = (async () => {
      while (importing) {
        const t = Date.now();
        await c.call('GetDataset', { id: dataset.id });
        slowest = Math.max(slowest, Date.now() - t);
      }
    })();
    const { report } = await c.call('ImportDatabase', { imported_json: modelsDocument(ROWS) }).finally(() => (importing = false));
    await reads;
    expect(report.tables).toEqual([expect.objectContaining({ table: 'models', imported: ROWS })]);
    // A progress write sent into SQLite's busy handler would hold the loop until the import committed (seconds).
    expect(slowest).toBeLessThan(1500);

    const done = await waitFor('finished', async () => {
      const j = (await c.call('GetFineTuningJob', { id: job.id })).fine_tuning_job;
      return ['succeeded', 'failed'].includes(j.status) ? j : undefined;
    }, 60_000);
    expect(done.status).toBe('succeeded');
    expect((await c.call('GetJobMetrics', { job_id: job.id })).points).toHaveLength(STEPS);
  }, 300_000);

  it('POST /api/database/import: the body goes to the import process as bytes, with body-parser\'s refusals', async () => {
    const url = `${srv.httpUrl}/api/database/import`;
    const post = async (body: Buffer | string, headers: Record<string, string> = {}) => {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      return { status: r.status, json: (await r.json()) as { report?: { tables: unknown[] }; error?: { reason: string } } };
    };
    const doc = (id: string) => JSON.stringify({ models: { schema: '', data: [{ id, type: 'huggingface', name: id, huggingface_model_name: `o/${id}` }] } });
    const gz = await post(zlib.gzipSync(Buffer.from(`\ufeff${doc('http-gz')}`)), { 'content-encoding': 'gzip' });
    expect(gz).toMatchObject({ status: 200, json: { report: { tables: [expect.objectContaining({ table: 'models', imported: 1 })] } } });
    expect(await post(Buffer.from(doc('http-latin1'), 'latin1'), { 'content-type': 'application/json; charset=latin1' })).toMatchObject({ status: 200 });
    expect(await post(' \n ')).toMatchObject({ status: 400, json: { error: { reason: 'HTTP.BODY_EMPTY' } } });
    expect(await post('{"models": ')).toMatchObject({ status: 400, json: { error: { reason: 'IMPORT.INVALID_JSON' } } });
    expect((await post(doc('x'), { 'content-encoding': 'compress' })).status).toBe(415);
    expect((await post(doc('x'), { 'content-type': 'application/json; charset=no-such-charset' })).status).toBe(415);
    // Inflates past 64 MiB: refused as it passes the limit.
    expect(await post(zlib.gzipSync(Buffer.alloc(65 * 1024 * 1024, 0x20)), { 'content-encoding': 'gzip' })).toMatchObject({ status: 413, json: { error: { reason: 'HTTP.BODY_TOO_LARGE' } } });
    const key = { 'idempotency-key': `http-import-${Date.now()}` };
    const first = await post(doc('http-idem-1'), key);
    expect(await post(doc('http-idem-1'), key)).toEqual(first);
    expect((await post(doc('http-idem-2'), key)).json.error?.reason).toMatch(/IDEMPOTENCY/);
    const ids = (await srv.client.call('ListModels', {})).models.map((m: { id: string }) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['http-gz', 'http-latin1', 'http-idem-1']));
    expect(ids).not.toContain('http-idem-2');
  }, 120_000);
});
