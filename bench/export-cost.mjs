// Server CPU per ExportDatabase call on the mix's state (10 datasets, 100
// prompts, 10 configs), against the in-memory reference server building the
// same answer: `node bench/export-cost.mjs` after `npm run build`. CPU is read
// from /proc/<pid>/stat (user + system) around N sequential calls, so a
// loaded machine slows the run but hardly moves the figure. BENCH_EXPORT_CALLS
// (default 2000); BENCH_EXPORT_WRITES=1 removes and re-adds a prompt between
// calls, as the mix's writes do, so that nothing cached survives a call.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const REPO = process.env.BENCH_REPO ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROTO = path.join(REPO, 'libs/proto/fine_tuning_studio.proto');
const CALLS = Number(process.env.BENCH_EXPORT_CALLS ?? 2000);
const WRITES = process.env.BENCH_EXPORT_WRITES === '1';
const TICKS = 100; // USER_HZ on Linux
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const def = protoLoader.loadSync(PROTO, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
const Service = grpc.loadPackageDefinition(def).fine_tuning_studio.FineTuningStudio;
const client = (address) => {
  const c = new Service(address, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  const call = (m, req) => new Promise((resolve, reject) => c[m](req, { deadline: Date.now() + 30_000 }, (e, r) => (e ? reject(e) : resolve(r))));
  const raw = (m, req) =>
    new Promise((resolve, reject) =>
      c.makeUnaryRequest(Service.service[m].path, Service.service[m].requestSerialize, (b) => b, req, { deadline: Date.now() + 30_000 }, (e, r) => (e ? reject(e) : resolve(r))),
    );
  return { call, raw, close: () => c.close() };
};
const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const cpuSeconds = (pid) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS;
};

async function started(proc, address) {
  const c = client(address);
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}`);
    try {
      await c.call('ListPrompts', {});
      return c;
    } catch (e) {
      if (i > 600) throw e;
      await sleep(150);
    }
  }
}

const prompt = (datasetId, id) => ({
  id,
  type: 'in_place',
  name: `bench-${id}`,
  dataset_id: datasetId,
  prompt_template: 'Instruction: {instruction}\nIntent: {intent}\n',
  input_template: 'Instruction: {instruction}\nIntent: ',
  completion_template: '{intent}\n',
});

async function seed(c, root) {
  for (let i = 0; i < 10; i++) {
    const location = `data/bench/mix-${i}.csv`;
    if (root) fs.writeFileSync(path.join(root, location), '"instruction","intent"\n"Cancel my order","cancel_order"\n');
    await c.call('AddDataset', { type: 'project_csv', location, name: `Bench mix ${i}` });
  }
  const { datasets } = await c.call('ListDatasets', {});
  for (let i = 0; i < 100; i++) await c.call('AddPrompt', { prompt: prompt(datasets[i % datasets.length].id, randomUUID()) });
  const args = (i) => JSON.stringify({ num_train_epochs: 1 + i, learning_rate: 0.0002, per_device_train_batch_size: 1, optim: 'paged_adamw_32bit', seed: 42 });
  for (let i = 0; i < 10; i++) await c.call('AddConfig', { type: 'training_arguments', config: args(i), description: '' });
  return datasets[0].id;
}

/** CPU microseconds per ExportDatabase call (with, if WRITES, a RemovePrompt + AddPrompt before each, whose own cost is measured apart and taken off). */
async function measure(proc, c, datasetId) {
  let id = randomUUID();
  await c.call('AddPrompt', { prompt: prompt(datasetId, id) });
  const churn = async () => {
    await c.raw('RemovePrompt', { id });
    id = randomUUID();
    await c.raw('AddPrompt', { prompt: prompt(datasetId, id) });
  };
  for (let i = 0; i < 200; i++) {
    if (WRITES) await churn();
    await c.raw('ExportDatabase', {});
  }
  let writesCpu = 0;
  if (WRITES) {
    const t = cpuSeconds(proc.pid);
    for (let i = 0; i < CALLS; i++) await churn();
    writesCpu = cpuSeconds(proc.pid) - t;
  }
  let bytes = 0;
  const t = cpuSeconds(proc.pid);
  for (let i = 0; i < CALLS; i++) {
    if (WRITES) await churn();
    bytes = (await c.raw('ExportDatabase', {})).length;
  }
  const cpu = cpuSeconds(proc.pid) - t - writesCpu;
  return { us_per_call: Math.round((cpu / CALLS) * 1e6), bytes };
}

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-export-cost-'));
const children = [];
process.on('exit', () => children.forEach((p) => p.kill('SIGKILL')));
try {
  const root = path.join(base, 'project');
  fs.mkdirSync(path.join(root, 'data/bench'), { recursive: true });
  const port = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(FTS_|FINE_TUNING_|HF_|HUGGINGFACE_|CDSW_)/.test(k)));
  delete env.NODE_OPTIONS;
  Object.assign(env, { FTS_PROJECT_ROOT: root, FTS_GRPC_HOST: '127.0.0.1', FTS_GRPC_PORT: String(port), FTS_HTTP_HOST: '127.0.0.1', FTS_HTTP_PORT: String(await freePort()), FTS_SEED: '0', HF_ENDPOINT: 'http://127.0.0.1:9' });
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const real = spawn(process.execPath, [...nodeArgs, path.join(REPO, 'apps/api/dist/main.js')], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(real);
  const rc = await started(real, `127.0.0.1:${port}`);
  const realResult = await measure(real, rc, await seed(rc, root));
  rc.close();
  real.kill('SIGTERM');
  await new Promise((r) => real.once('exit', r));

  const ref = spawn(process.execPath, [path.join(REPO, 'bench/reference-server.mjs'), PROTO], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(ref);
  const refPort = await new Promise((resolve) => ref.stdout.on('data', (b) => /port (\d+)/.test(String(b)) && resolve(Number(/port (\d+)/.exec(String(b))[1]))));
  const fc = await started(ref, `127.0.0.1:${refPort}`);
  const refResult = await measure(ref, fc, await seed(fc));
  fc.close();
  console.log(JSON.stringify({ calls: CALLS, writes_between: WRITES, studio: realResult, reference: refResult, load: os.loadavg().map((x) => x.toFixed(2)).join(' ') }));
} finally {
  fs.rmSync(base, { recursive: true, force: true });
  process.exit();
}
