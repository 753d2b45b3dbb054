/**
 * Hostile imports and paths through the real server (issues 10.1, 10.7 and
 * the server side of 9.11): a crafted import with locations outside the
 * project is refused row by row; a registered file later replaced by a
 * symlink to the outside fails the job that would read it; a config over
 * AddConfig's bound is refused by import too; re-importing identical rows
 * reports them as unchanged; HTTP lists mark rows whose files are missing;
 * and `fts replay --verify` still finds every projection equal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { REPO_ROOT, type Msg } from './support/grpc-client.js';
import { runCli, startServer, type ServerHandle } from './support/server.js';
import { fineTuningRequest } from './support/jobs.js';

const TEMPLATE = path.join(REPO_ROOT, 'job-templates/testing/progress_only.py');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let srv: ServerHandle;
let outside: string;

async function importHttp(doc: unknown): Promise<{ status: number; json: J }> {
  const res = await fetch(`${srv.httpUrl}/api/database/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof doc === 'string' ? doc : JSON.stringify(doc),
  });
  return { status: res.status, json: (await res.json()) as J };
}

const table = (name: string, data: unknown[]) => ({ [name]: { schema: '', data } });

beforeAll(async () => {
  srv = await startServer({ seed: false, env: { FTS_JOB_TEMPLATE: TEMPLATE, FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({ steps: 2, interval_s: 0.05 }) } });
  outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-hostile-')));
  fs.writeFileSync(path.join(outside, 'secret.csv'), 'instruction,intent\nTOP-SECRET,x\n');
  fs.mkdirSync(path.join(srv.root, 'data'), { recursive: true });
  fs.writeFileSync(path.join(srv.root, 'data/tickets.csv'), 'instruction,intent\n"Cancel my order",cancel_order\n');
  fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(srv.root, 'data/link.csv'));
}, 120_000);
afterAll(async () => {
  await srv?.stop();
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('ImportDatabase with hostile rows', () => {
  it('refuses every row whose location is outside the project (symlinks followed), row by row, and imports the rest', async () => {
    const ds = (id: string, location: string) => ({ id, type: 'project_csv', name: id, location, features: '["instruction", "intent"]' });
    const doc = {
      ...table('datasets', [ds('imp-etc', '/etc/passwd.csv'), ds('imp-tmp', '/tmp/x.csv'), ds('imp-link', 'data/link.csv'), ds('imp-ok', 'data/tickets.csv')]),
      ...table('models', [{ id: 'imp-root', type: 'project', name: 'rootmodel', location: '/root' }]),
      ...table('adapters', [{ id: 'imp-a', type: 'project', name: 'etc-adapter', model_id: 'imp-root', location: '/etc' }]),
    };
    const r = await importHttp(doc);
    expect(r.status).toBe(200);
    const byTable = Object.fromEntries((r.json.report.tables as J[]).map((t) => [t.table, t]));
    expect(byTable.datasets).toMatchObject({ imported: 1, unchanged: 0 });
    expect(byTable.datasets.problems).toEqual([
      { entity: 'dataset', id: 'imp-etc', name: 'imp-etc', reason: "location '/etc/passwd.csv' is outside the project" },
      { entity: 'dataset', id: 'imp-tmp', name: 'imp-tmp', reason: "location '/tmp/x.csv' is outside the project" },
      { entity: 'dataset', id: 'imp-link', name: 'imp-link', reason: "location 'data/link.csv' is outside the project" },
    ]);
    expect(byTable.datasets.conflicts).toHaveLength(3);
    expect(byTable.models.problems).toEqual([{ entity: 'model', id: 'imp-root', name: 'rootmodel', reason: "location '/root' is outside the project" }]);
    expect(byTable.adapters.problems[0]).toMatchObject({ id: 'imp-a', reason: "location '/etc' is outside the project" });
    // Over gRPC the same import answers the same refusals in the proto's fields.
    const { report } = await srv.client.call('ImportDatabase', { imported_json: JSON.stringify(doc) });
    const grpcDatasets = (report.tables as Msg[]).find((t) => t.table === 'datasets')!;
    expect(grpcDatasets.conflicts).toEqual(expect.arrayContaining(["imp-link: location 'data/link.csv' is outside the project"]));
    const ids = (await srv.client.call('ListDatasets', {})).datasets.map((d: Msg) => d.id);
    expect(ids).toContain('imp-ok');
    expect(ids).not.toContain('imp-etc');
    expect(ids).not.toContain('imp-link');
  });

  it('refuses a config over AddConfig’s 1,000,000 characters (a 50 MB one included) and rows AddConfig would refuse', async () => {
    const big = `{"x": "${'a'.repeat(50 * 1024 * 1024)}"}`;
    const pid = srv.pid()!;
    const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    const rssBefore = rss();
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 5);
    const t0 = performance.now();
    const r = await importHttp({
      ...table('configs', [
        { id: 'cfg-50mb', type: 'custom', config: big },
        { id: 'cfg-bad', type: 'lora_config', config: '{oops' },
        { id: 'cfg-ok', type: 'lora_config', config: '{"r": 4, "lora_alpha": 8}' },
      ]),
    });
    clearInterval(sampler);
    console.log(`import of a 50 MB config: ${(performance.now() - t0).toFixed(0)} ms, server RSS ${rssBefore.toFixed(0)} → peak ${peak.toFixed(0)} MB, after ${rss().toFixed(0)} MB`);
    expect(r.status).toBe(200);
    const configs = (r.json.report.tables as J[])[0];
    expect(configs.imported).toBe(1);
    expect(configs.problems.map((p: J) => [p.id, p.reason])).toEqual([
      ['cfg-50mb', expect.stringMatching(/'config' is too long \(\d+ characters; at most 1000000\)/)],
      ['cfg-bad', expect.stringMatching(/not valid JSON/)],
    ]);
    // What is exported imports again: nothing new, nothing refused.
    const t1 = performance.now();
    const exported = await (await fetch(`${srv.httpUrl}/api/database/export`)).text();
    console.log(`export afterwards: ${(performance.now() - t1).toFixed(0)} ms, ${exported.length} bytes`);
    const again = await importHttp(exported);
    for (const t of again.json.report.tables as J[]) expect({ t: t.table, imported: t.imported, problems: t.problems }).toEqual({ t: t.table, imported: 0, problems: [] });
  });

  it('counts identical rows as unchanged, not conflicts, and marks listed rows whose files are missing', async () => {
    const doc = {
      ...table('datasets', [{ id: 'gone-ds', type: 'project_csv', name: 'gone', location: 'data/not-here.csv' }]),
      ...table('models', [{ id: 'gone-model', type: 'project', name: 'gone-model', location: 'models/not-here' }]),
      ...table('adapters', [{ id: 'gone-ad', type: 'project', name: 'gone-ad', model_id: 'gone-model', location: 'adapters/not-here' }]),
    };
    const first = await importHttp(doc);
    expect((first.json.report.tables as J[]).map((t) => t.imported)).toEqual([1, 1, 1]);
    const second = await importHttp(doc);
    expect((second.json.report.tables as J[]).map((t) => [t.table, t.imported, t.unchanged, t.conflicts, t.problems])).toEqual([
      ['datasets', 0, 1, [], []],
      ['models', 0, 1, [], []],
      ['adapters', 0, 1, [], []],
    ]);
    const list = async (kind: string) => ((await (await fetch(`${srv.httpUrl}/api/${kind}`)).json()) as J)[kind] as J[];
    const datasets = await list('datasets');
    expect(datasets.find((d) => d.id === 'gone-ds')?.file_missing).toBe(true);
    expect(datasets.find((d) => d.id === 'imp-ok')).not.toHaveProperty('file_missing');
    expect((await list('models')).find((m) => m.id === 'gone-model')?.file_missing).toBe(true);
    expect((await list('adapters')).find((a) => a.id === 'gone-ad')?.file_missing).toBe(true);
    // gRPC keeps the wire contract: no extra field.
    const { datasets: grpcDatasets } = await srv.client.call('ListDatasets', {});
    expect(grpcDatasets.find((d: Msg) => d.id === 'gone-ds')).not.toHaveProperty('file_missing');
  });
});

describe('the supervisor confines every path when it builds a run spec', () => {
  it('a registered dataset later replaced by a symlink to the outside fails the job with the reason; nothing reads it', async () => {
    const c = srv.client;
    fs.writeFileSync(path.join(srv.root, 'data/swap.csv'), 'instruction,intent\n"Where is it?",track\n');
    fs.mkdirSync(path.join(srv.root, 'models/tiny'), { recursive: true });
    fs.writeFileSync(path.join(srv.root, 'models/tiny/config.json'), JSON.stringify({ architectures: ['LlamaForCausalLM'] }));
    const { dataset } = await c.call('AddDataset', { type: 'project_csv', name: 'swap', location: 'data/swap.csv' });
    const { model } = await c.call('AddModel', { type: 'project', location: 'models/tiny' });
    const { prompt } = await c.call('AddPrompt', {
      prompt: { id: 'swap-prompt', name: 'swap', dataset_id: dataset.id, prompt_template: 'R: {instruction}\nI: {intent}', input_template: 'R: {instruction}\nI: ', completion_template: '{intent}' },
    });
    fs.rmSync(path.join(srv.root, 'data/swap.csv'));
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(srv.root, 'data/swap.csv'));
    const { fine_tuning_job: job } = await c.call(
      'StartFineTuningJob',
      fineTuningRequest({ model: model.id, dataset: dataset.id, prompt: prompt.id }, 'swapped'),
    );
    let row: Msg = job;
    for (const end = Date.now() + 20_000; !['failed', 'succeeded'].includes(row.status) && Date.now() < end; await sleep(100)) {
      row = (await c.call('GetFineTuningJob', { id: job.id })).fine_tuning_job;
    }
    expect(row.status).toBe('failed');
    expect(row.status_message).toMatch(/dataset location 'data\/swap.csv' resolves outside the project/);
    expect(fs.existsSync(path.join(srv.env.FTS_STATE_DIR ?? path.join(srv.root, '.app'), 'job_runs', job.id, 'spec.json'))).toBe(false);
  });
});

describe('afterwards', () => {
  it('fts replay --verify finds every projection equal to a rebuild', async () => {
    await srv.kill9(); // stop() would remove the project; kill -9 loses no acknowledged write
    const verify = await runCli(['replay', '--verify'], { ...srv.env, FINE_TUNING_STUDIO_SQLITE_DB: srv.dbPath });
    if (verify.code !== 0) console.log(verify.stdout, verify.stderr);
    expect(verify.code).toBe(0);
  });
});
