#!/usr/bin/env node
// Throughput benchmark, one run, loopback only: `npm run bench` (builds first)
// or `node bench/run.mjs` on a built tree.
//
//   (a) a bare grpc-js echo server (same .proto, same loader options; bench/echo-server.mjs)
//   (b) the real server (apps/api/dist/main.js, fresh project, seeding off):
//       GetDataset, ListPrompts with 100 prompts, AddPrompt+RemovePrompt pairs,
//       each in req/s and as a ratio to (a) (targets >= 0.5, >= 0.5, >= 0.3)
//   (c) replay speed: a log of >= 10,000 events, then `fts replay` (events/s)
//   (d) the mix (per 100 calls: ListDatasets 15, GetDataset 20, ListPrompts 15,
//       AddPrompt 10 + RemovePrompt 10, ListConfigs 14, AddConfig of the same
//       content 15, ExportDatabase 1) against the real server, an in-memory
//       reference (bench/reference-server.mjs: the same RPCs from plain Maps)
//       and echo, with the real server's RSS before and during it; AddPrompt+RemovePrompt with the server's durable commits vs
//       echo (b); BENCH_INSERTS (10,000) AddPrompt calls at concurrency 4, real
//       vs reference; and the server's event-loop delay (p99, max) while the
//       mix runs alongside an ExportDatabase and an ImportDatabase of
//       BENCH_IMPORT_ROWS (100,000) rows (FTS_LOOP_DELAY_REPORT, SIGWINCH)
//
// Every figure is the median of 3 rounds of ROUND_S seconds at CONCURRENCY
// calls in flight (after a warm-up round). Prints a table and writes
// bench-results/latest.json. Environment: BENCH_ROUND_S (default 3),
// BENCH_CONCURRENCY (16), BENCH_EVENTS (10000), BENCH_DURABILITY (the server's
// FTS_DURABILITY: group (its default), full or normal), BENCH_CASES (a comma
// list of (b)'s cases to run, default all), BENCH_REPLAY=0 (skip (c)),
// BENCH_MIX=0 (skip the mix), BENCH_INSERTS (0 skips), BENCH_IMPORT_ROWS (0
// skips the event-loop scenario).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { rssOf, sampleRss } from './process-memory.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROTO = path.join(REPO, 'libs/proto/fine_tuning_studio.proto');
const MAIN_JS = path.join(REPO, 'apps/api/dist/main.js');
const CLI_JS = path.join(REPO, 'apps/api/dist/cli/fts.js');
const ROUND_S = Number(process.env.BENCH_ROUND_S ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const ROUNDS = 3;
const DURABILITY = process.env.BENCH_DURABILITY || undefined;
const CASES = process.env.BENCH_CASES ? new Set(process.env.BENCH_CASES.split(',').map((c) => c.trim())) : undefined;
const REPLAY = process.env.BENCH_REPLAY !== '0';
const MAX_CALLS_PER_ROUND = 2_000_000; // a bound, never reached in practice
const TARGETS = { GetDataset: 0.5, ListPrompts: 0.5, 'AddPrompt+RemovePrompt': 0.6 };
const MIX = process.env.BENCH_MIX !== '0';
const INSERTS = Number(process.env.BENCH_INSERTS ?? 10_000);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const MIX_TARGETS = { mix: 0.8, inserts: 0.6, loop_delay_max_ms: 50 };

const children = new Set();
const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (s) => process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------- client

const def = protoLoader.loadSync(PROTO, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
const Service = grpc.loadPackageDefinition(def).fine_tuning_studio.FineTuningStudio;

function client(address) {
  const c = new Service(address, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    'grpc.use_local_subchannel_pool': 1,
    // A 4 MiB HTTP/2 receive window (grpc-js defaults to 64 KiB, which stalls 16 concurrent 20 kB list responses).
    'grpc-node.flow_control_window': Number(process.env.BENCH_WINDOW ?? 4 * 1024 * 1024),
  });
  const call = (method, req, timeoutMs = 30_000) =>
    new Promise((resolve, reject) =>
      c[method](req, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res))),
    );
  // A load generator that does not decode responses: on a 2-core machine the
  // client's protobuf decoding otherwise competes with the server for CPU.
  const methods = Service.service;
  const raw = (method, req, timeoutMs = 30_000) =>
    new Promise((resolve, reject) =>
      c.makeUnaryRequest(
        methods[method].path,
        methods[method].requestSerialize,
        (buf) => buf,
        req,
        { deadline: Date.now() + timeoutMs },
        (err, res) => (err ? reject(err) : resolve(res)),
      ),
    );
  return { call, raw, close: () => c.close() };
}

/** Runs `op` with `concurrency` in flight for `seconds` (or until `stop()` is true); returns { rate: requests/s, errors }. op() resolves to the number of requests it made. */
async function round(op, seconds, concurrency = CONCURRENCY, stop = () => false) {
  let requests = 0;
  let errors = 0;
  let calls = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end && calls < MAX_CALLS_PER_ROUND && !stop()) {
        calls++;
        try {
          const made = await op(); // not `requests += await op()`: that reads `requests` before the await and loses updates
          requests += made;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { rate: requests / ((performance.now() - start) / 1000), errors, requests };
}

async function measure(label, op) {
  await round(op, Math.min(1, ROUND_S)); // warm-up
  const rounds = [];
  let errors = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const r = await round(op, ROUND_S);
    rounds.push(r.rate);
    errors += r.errors;
  }
  const m = median(rounds);
  log(`  ${label}: ${m.toFixed(0)} req/s (rounds ${rounds.map((x) => x.toFixed(0)).join(', ')}${errors ? `, ${errors} errors` : ''})`);
  return { median: m, rounds, errors };
}

/** Like measure, for several ops whose rounds alternate (a, b, a, b, ...), so a change in the machine's load hits each alike. */
async function measureAlternating(ops) {
  for (const [, op] of ops) await round(op, Math.min(1, ROUND_S)); // warm-up
  const out = ops.map(() => ({ rounds: [], errors: 0 }));
  for (let i = 0; i < ROUNDS; i++) {
    for (let j = 0; j < ops.length; j++) {
      const r = await round(ops[j][1], ROUND_S);
      out[j].rounds.push(r.rate);
      out[j].errors += r.errors;
    }
  }
  return out.map((o, j) => {
    o.median = median(o.rounds);
    log(`  ${ops[j][0]}: ${o.median.toFixed(0)} req/s (rounds ${o.rounds.map((x) => x.toFixed(0)).join(', ')}${o.errors ? `, ${o.errors} errors` : ''})`);
    return o;
  });
}

// ---------------------------------------------------------------- processes

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok) => (s.destroy(), resolve(ok));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}

async function waitServing(proc, port, logFile) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`server did not listen within 90 s:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    if (await portOpen(port)) return;
    await sleep(150);
  }
}

function stop(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    proc.once('exit', () => (clearTimeout(t), children.delete(proc), resolve()));
    proc.kill('SIGTERM');
  });
}

async function startEcho(script = 'bench/echo-server.mjs') {
  const proc = spawn(process.execPath, [path.join(REPO, script), PROTO], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(proc);
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (b) => {
      buf += b;
      const m = /port (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`echo server exited ${code}`)));
  });
  return { proc, address: `127.0.0.1:${port}` };
}

function startFakeHub() {
  const server = http.createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"offline bench"}');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function startReal(root, hubUrl, extraEnv = {}) {
  const grpcPort = await freePort();
  const httpPort = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(FTS_|FINE_TUNING_|HF_|HUGGINGFACE_|CDSW_)/.test(k)));
  delete env.NODE_OPTIONS;
  Object.assign(env, {
    FTS_PROJECT_ROOT: root,
    FTS_GRPC_HOST: '127.0.0.1',
    FTS_GRPC_PORT: String(grpcPort),
    FTS_HTTP_HOST: '127.0.0.1',
    FTS_HTTP_PORT: String(httpPort),
    FTS_SEED: '0',
    HF_ENDPOINT: hubUrl,
    ...(DURABILITY ? { FTS_DURABILITY: DURABILITY } : {}),
    ...extraEnv,
  });
  const logFile = path.join(path.dirname(root), 'server.log');
  const fd = fs.openSync(logFile, 'a');
  // BENCH_NODE_ARGS: extra node flags for the real server (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, MAIN_JS], { cwd: root, env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  children.add(proc);
  await waitServing(proc, grpcPort, logFile);
  const address = `127.0.0.1:${grpcPort}`;
  const c = client(address);
  for (let i = 0; ; i++) {
    try {
      await c.call('ListPrompts', {});
      break;
    } catch (e) {
      if (i > 100) throw e;
      await sleep(100);
    }
  }
  c.close();
  return { proc, address, env };
}

function runCli(args, env) {
  return new Promise((resolve) => {
    const start = performance.now();
    const proc = spawn(process.execPath, [CLI_JS, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(proc);
    let out = '';
    proc.stdout.on('data', (b) => (out += b));
    proc.stderr.on('data', (b) => (out += b));
    const t = setTimeout(() => proc.kill('SIGKILL'), 300_000);
    proc.once('close', (code) => {
      clearTimeout(t);
      children.delete(proc);
      resolve({ code, out, seconds: (performance.now() - start) / 1000 });
    });
  });
}

// ---------------------------------------------------------------- the run

const prompt = (datasetId, id) => ({
  id,
  type: 'in_place',
  name: `bench-${id}`,
  dataset_id: datasetId,
  prompt_template: 'Instruction: {instruction}\nIntent: {intent}\n',
  input_template: 'Instruction: {instruction}\nIntent: ',
  completion_template: '{intent}\n',
});


// ---------------------------------------------------------------- the mix

/** Per 100 calls (a pair is two calls): 90 slots, interleaved in a fixed pseudo-random order. */
const MIX_SLOTS = { ListDatasets: 15, GetDataset: 20, ListPrompts: 15, 'AddPrompt+RemovePrompt': 10, ListConfigs: 14, AddConfig: 15, ExportDatabase: 1 };
const MIX_DATASETS = 10;
const MIX_PROMPTS = 100;
const MIX_CONFIGS = 10;
const trainingArgs = (i) => JSON.stringify({ num_train_epochs: 1 + i, learning_rate: 0.0002, per_device_train_batch_size: 1, optim: 'paged_adamw_32bit', seed: 42 });

function mixSchedule({ withExport = true } = {}) {
  const slots = [];
  for (const [name, n] of Object.entries(MIX_SLOTS)) if (withExport || name !== 'ExportDatabase') for (let i = 0; i < n; i++) slots.push(name);
  let seed = 15;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [slots[i], slots[j]] = [slots[j], slots[i]];
  }
  return slots;
}

/** Brings a server to the mix's state: MIX_DATASETS datasets, MIX_PROMPTS prompts, MIX_CONFIGS configs (what it has already counts). */
async function seedMix(c, root) {
  let { datasets } = await c.call('ListDatasets', {});
  for (let i = datasets.length; i < MIX_DATASETS; i++) {
    const location = `data/bench/mix-${i}.csv`;
    if (root) fs.writeFileSync(path.join(root, location), '"instruction","intent"\n"Cancel my order","cancel_order"\n');
    await c.call('AddDataset', { type: 'project_csv', location, name: `Bench mix ${i}` });
  }
  ({ datasets } = await c.call('ListDatasets', {}));
  const { prompts } = await c.call('ListPrompts', {});
  for (let i = prompts.length; i < MIX_PROMPTS; i++) await c.call('AddPrompt', { prompt: prompt(datasets[i % datasets.length].id, randomUUID()) });
  for (let i = 0; i < MIX_CONFIGS; i++) await c.call('AddConfig', { type: 'training_arguments', config: trainingArgs(i), description: '' });
  return { datasetIds: datasets.map((d) => d.id) };
}

/** One call (or pair) of the mix per invocation, in schedule order; resolves to the number of requests made. */
function mixOp(c, { datasetIds }, schedule) {
  let next = 0;
  const ops = {
    ListDatasets: () => c.raw('ListDatasets', {}).then(() => 1),
    GetDataset: () => c.raw('GetDataset', { id: datasetIds[next % datasetIds.length] }).then(() => 1),
    ListPrompts: () => c.raw('ListPrompts', {}).then(() => 1),
    'AddPrompt+RemovePrompt': async () => {
      const id = randomUUID();
      await c.raw('AddPrompt', { prompt: prompt(datasetIds[0], id) });
      await c.raw('RemovePrompt', { id });
      return 2;
    },
    ListConfigs: () => c.raw('ListConfigs', {}).then(() => 1),
    AddConfig: () => c.raw('AddConfig', { type: 'training_arguments', config: trainingArgs(next % MIX_CONFIGS), description: '' }).then(() => 1),
    ExportDatabase: () => c.raw('ExportDatabase', {}).then(() => 1),
  };
  return () => ops[schedule[next++ % schedule.length]]();
}

/** `n` AddPrompt calls at concurrency 4: requests/s. */
async function inserts(c, datasetId, n) {
  let left = n;
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (left > 0) {
        left--;
        await c.raw('AddPrompt', { prompt: prompt(datasetId, randomUUID()) }).catch(() => errors++);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { req_per_s: n / seconds, seconds, errors };
}

/** An import document of `n` Hugging Face model rows (a table the mix does not list). */
function modelsDocument(n, tag) {
  const data = Array.from({ length: n }, (_, i) => ({
    id: `bench-${tag}-${i}`,
    type: 'huggingface',
    framework: null,
    name: `bench-${tag}-${i}`,
    description: null,
    huggingface_model_name: `bench-org/model-${tag}-${i}`,
    location: null,
    cml_registered_model_id: null,
    mlflow_experiment_id: null,
    mlflow_run_id: null,
  }));
  return JSON.stringify({ models: { schema: 'CREATE TABLE IF NOT EXISTS models (...)', data } });
}

/**
 * A fresh server with FTS_LOOP_DELAY_REPORT: the mix's state plus `rows`
 * imported models, then the mix (without its own exports) at CONCURRENCY
 * while one ExportDatabase of all that and one ImportDatabase of `rows` more
 * run; the server's loop delay over that window (SIGWINCH starts and ends it).
 */
async function loopDelayScenario(base, hubUrl, rows) {
  const root = path.join(base, 'loop-project');
  fs.mkdirSync(path.join(root, 'data/bench'), { recursive: true });
  const reportFile = path.join(base, 'loop-delay.json');
  const srv = await startReal(root, hubUrl, { FTS_LOOP_DELAY_REPORT: reportFile });
  const c = client(srv.address);
  try {
    const state = await seedMix(c, root);
    log(`  importing ${rows} rows (setup)`);
    let t = performance.now();
    await c.call('ImportDatabase', { imported_json: modelsDocument(rows, 'a') }, 900_000);
    const setupImportS = (performance.now() - t) / 1000;
    const second = modelsDocument(rows, 'b');
    const op = mixOp(c, state, mixSchedule({ withExport: false }));
    await round(op, 1); // warm-up
    const readReport = async () => {
      fs.rmSync(reportFile, { force: true });
      srv.proc.kill('SIGWINCH');
      for (let i = 0; i < 200 && !fs.existsSync(reportFile); i++) await sleep(25);
      return JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    };
    await readReport(); // starts the window
    let done = false;
    t = performance.now();
    const timed = (p) => p.then((r) => ({ seconds: (performance.now() - t) / 1000, bytes: r.length ?? r.exported_json?.length }));
    // Each on a connection of its own, as separate users would be.
    const ec = client(srv.address);
    const ic = client(srv.address);
    const side = Promise.all([
      timed(ec.raw('ExportDatabase', {}, 900_000)),
      timed(ic.raw('ImportDatabase', { imported_json: second }, 900_000)),
    ]).finally(() => {
      done = true;
      ec.close();
      ic.close();
    });
    const mix = await round(op, 600, CONCURRENCY, () => done);
    const [exp, imp] = await side.catch((e) => {
      throw new Error(`${e.message}; server log:\n${fs.readFileSync(path.join(base, 'server.log'), 'utf8').slice(-3000)}`);
    });
    const delay = await readReport();
    return { rows, setup_import_s: setupImportS, export_s: exp.seconds, export_response_bytes: exp.bytes, import_s: imp.seconds, mix_req_per_s: mix.rate, mix_errors: mix.errors, loop_delay: delay };
  } finally {
    c.close();
    await stop(srv.proc);
  }
}

async function main() {
  for (const f of [MAIN_JS]) if (!fs.existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-bench-'));
  const root = path.join(base, 'project');
  fs.mkdirSync(path.join(root, 'data/bench'), { recursive: true });
  fs.writeFileSync(path.join(root, 'data/bench/tickets.csv'), '"instruction","intent"\n"Cancel my order","cancel_order"\n');
  const results = {
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}` },
    settings: { concurrency: CONCURRENCY, round_seconds: ROUND_S, rounds: ROUNDS, statistic: 'median', durability: DURABILITY ?? 'group (default)' },
    at: new Date().toISOString(),
    throughput: {},
    replay: undefined,
    load_average: os.loadavg(),
  };
  const hub = await startFakeHub();
  try {
    // (a) the echo baseline
    log(`(a) echo server, concurrency ${CONCURRENCY}, ${ROUNDS} x ${ROUND_S} s`);
    const echo = await startEcho();
    const ec = client(echo.address);
    const echoRate = await measure('echo GetDataset', async () => (await ec.call('GetDataset', { id: 'x' }), 1));
    const echoRaw = await measure('echo GetDataset (raw-bytes client)', async () => (await ec.raw('GetDataset', { id: 'x' }), 1));
    results.throughput.echo_raw_client = { req_per_s: echoRaw.median, rounds: echoRaw.rounds };
    // Diagnostic, not a target: the same bare server answering 100 prompts.
    const echoList = await measure('echo ListPrompts (100 fixed prompts)', async () => (await ec.call('ListPrompts', {}), 1));
    results.throughput.echo_list_prompts_100 = { req_per_s: echoList.median, rounds: echoList.rounds };
    ec.close();
    await stop(echo.proc);
    results.throughput.echo = { req_per_s: echoRate.median, rounds: echoRate.rounds };

    // (d) the in-memory reference: the mix, and the inserts
    let reference;
    if (MIX || INSERTS > 0) {
      log('(d) in-memory reference server (measured alongside the real one below)');
      const ref = await startEcho('bench/reference-server.mjs');
      const fc = client(ref.address);
      const state = await seedMix(fc);
      // The mix is measured later, its rounds alternating with the real server's (the machine's load moves).
      reference = { ...ref, client: fc, state, op: mixOp(fc, state, mixSchedule()) };
    }

    // (b) the real server
    log('(b) real server');
    const real = await startReal(root, `http://127.0.0.1:${hub.address().port}`);
    const rc = client(real.address);
    const { dataset } = await rc.call('AddDataset', { type: 'project_csv', location: 'data/bench/tickets.csv', name: 'Bench tickets' });
    for (let i = 0; i < 100; i++) await rc.call('AddPrompt', { prompt: prompt(dataset.id, randomUUID()) });
    const listed = (await rc.call('ListPrompts', {})).prompts.length;
    if (listed !== 100) throw new Error(`expected 100 prompts, got ${listed}`);

    const cases = {
      GetDataset: () => rc.call('GetDataset', { id: dataset.id }).then(() => 1),
      ListPrompts: () => rc.call('ListPrompts', {}).then(() => 1),
      'AddPrompt+RemovePrompt': async () => {
        const id = randomUUID();
        await rc.call('AddPrompt', { prompt: prompt(dataset.id, id) });
        await rc.call('RemovePrompt', { id });
        return 2;
      },
    };
    for (const name of Object.keys(cases)) if (CASES && !CASES.has(name)) delete cases[name];
    const listRaw = !CASES || CASES.has('ListPrompts') ? await measure('ListPrompts (raw-bytes client)', () => rc.raw('ListPrompts', {}).then(() => 1)) : undefined;
    if (listRaw) results.throughput.ListPrompts_raw_client = {
      req_per_s: listRaw.median,
      rounds: listRaw.rounds,
      ratio_to_echo: listRaw.median / echoRaw.median,
      target_ratio: TARGETS.ListPrompts,
      meets_target: listRaw.median / echoRaw.median >= TARGETS.ListPrompts,
      note: 'both sides measured with a client that does not decode responses',
    };
    for (const [name, op] of Object.entries(cases)) {
      const m = await measure(name, op);
      results.throughput[name] = {
        req_per_s: m.median,
        rounds: m.rounds,
        errors: m.errors,
        ratio_to_echo: m.median / echoRate.median,
        target_ratio: TARGETS[name],
        meets_target: m.median / echoRate.median >= TARGETS[name],
        ...(name === 'AddPrompt+RemovePrompt' ? { pairs_per_s: m.median / 2 } : {}),
      };
    }

    if (MIX) {
      log('(d) real server: the mix');
      const state = await seedMix(rc, root);
      const rssBefore = Math.round(rssOf(real.proc.pid) / 2 ** 20);
      const rss = sampleRss(real.proc.pid);
      const [r, m] = await measureAlternating([
        ['reference mix', reference.op],
        ['mix', mixOp(rc, state, mixSchedule())],
      ]);
      results.mix = { reference: { req_per_s: r.median, rounds: r.rounds, errors: r.errors } };
      results.mix.real = { req_per_s: m.median, rounds: m.rounds, errors: m.errors };
      // The server's RSS while the mix runs (its rounds alternate with the reference's, when it idles).
      results.mix.real.rss = { before_mib: rssBefore, ...rss.stop() };
      log(`  RSS of the real server: ${rssBefore} MiB before the mix, ${results.mix.real.rss.median_mib} MiB median and ${results.mix.real.rss.peak_mib} MiB peak during it`);
      results.mix.ratio_to_reference = m.median / results.mix.reference.req_per_s;
      results.mix.ratio_to_echo = m.median / echoRaw.median;
      results.mix.target_ratio = MIX_TARGETS.mix;
      results.mix.meets_target = results.mix.ratio_to_reference >= MIX_TARGETS.mix;
      results.mix.note = 'raw-bytes clients; ratio_to_echo is to echo GetDataset with the raw-bytes client';
    }
    if (INSERTS > 0) {
      results.inserts = { n: INSERTS, concurrency: 4, reference: await inserts(reference.client, reference.state.datasetIds[0], INSERTS) };
      log(`  reference ${INSERTS} AddPrompt at c=4: ${results.inserts.reference.req_per_s.toFixed(0)} req/s`);
    }
    if (reference) {
      reference.client.close();
      await stop(reference.proc);
    }
    if (INSERTS > 0) {
      const r = await inserts(rc, dataset.id, INSERTS);
      Object.assign(results.inserts, { real: r, ratio_to_reference: r.req_per_s / results.inserts.reference.req_per_s, target_ratio: MIX_TARGETS.inserts });
      results.inserts.meets_target = results.inserts.ratio_to_reference >= MIX_TARGETS.inserts;
      log(`  real ${INSERTS} AddPrompt at c=4: ${r.req_per_s.toFixed(0)} req/s (${r.errors} errors)`);
    }

    if (!REPLAY) {
      results.replay = { skipped: 'BENCH_REPLAY=0' };
      rc.close();
      await stop(real.proc); // a clean exit (SIGTERM), so BENCH_NODE_ARGS=--cpu-prof writes its profile
    } else {
      // (c) replay: top the log up to TARGET_EVENTS events, stop the server, replay with the CLI.
      log(`(c) replay: filling the log to >= ${TARGET_EVENTS} events`);
      // ListEvents pages (the server may cap a page): count by walking the positions.
      const count = async () => {
        let n = 0;
        let after = 0;
        for (let page = 0; page < 10_000; page++) {
          const r = await rc.call('ListEvents', { after_position: after, limit: 5000 });
          if (r.events.length === 0) break;
          n += r.events.length;
          after = r.last_position;
        }
        return { n, last: after };
      };
      let { n: events, last } = await count();
      for (let pass = 0; events < TARGET_EVENTS && pass < 5; pass++) {
        const missing = TARGET_EVENTS - events;
        let next = 0;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < missing) {
              next++;
              await rc.call('AddPrompt', { prompt: prompt(dataset.id, randomUUID()) });
            }
          }),
        );
        ({ n: events, last } = await count());
      }
      rc.close();
      await stop(real.proc);
      const dbPath = path.join(root, '.app/state.db');
      if (!fs.existsSync(CLI_JS)) {
        log(`  ${CLI_JS} is missing: replay not measured`);
        results.replay = { skipped: 'the fts CLI is not built' };
      } else {
        const env = { ...real.env, FINE_TUNING_STUDIO_SQLITE_DB: dbPath };
        const runs = [];
        for (let i = 0; i < ROUNDS; i++) {
          const r = await runCli(['replay'], env);
          if (r.code !== 0) throw new Error(`fts replay exited ${r.code}:\n${r.out}`);
          const m = /Replayed (\d+) events in ([\d.]+) s \((\d+) events\/s\)/.exec(r.out);
          runs.push({ wall_s: r.seconds, reported_events: m ? Number(m[1]) : undefined, reported_events_per_s: m ? Number(m[3]) : undefined });
        }
        const verify = await runCli(['replay', '--verify'], env);
        results.replay = {
          events,
          last_position: last,
          events_per_s_reported: median(runs.map((r) => r.reported_events_per_s ?? NaN)),
          events_per_s_wall: median(runs.map((r) => events / r.wall_s)),
          wall_s: median(runs.map((r) => r.wall_s)),
          runs,
          verify_exit_code: verify.code,
        };
        log(`  replay: ${results.replay.events_per_s_reported} events/s (CLI), ${results.replay.events_per_s_wall.toFixed(0)} events/s incl. process start`);
      }
    }
    if (IMPORT_ROWS > 0) {
      log(`(e) event-loop delay: the mix with an export and an import of ${IMPORT_ROWS} rows`);
      results.loop_delay = await loopDelayScenario(base, `http://127.0.0.1:${hub.address().port}`, IMPORT_ROWS);
      results.loop_delay.target_max_ms = MIX_TARGETS.loop_delay_max_ms;
      results.loop_delay.meets_target = results.loop_delay.loop_delay.max_ms <= MIX_TARGETS.loop_delay_max_ms;
      log(`  loop delay p99 ${results.loop_delay.loop_delay.p99_ms} ms, max ${results.loop_delay.loop_delay.max_ms} ms`);
    }
  } finally {
    cleanup();
    hub.close();
    fs.rmSync(base, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- report
  results.load_average_end = os.loadavg();
  const t = results.throughput;
  const rows = [
    ['measurement', 'req/s', 'ratio to echo', 'target', 'ok'],
    ['echo (bare grpc-js) GetDataset', t.echo.req_per_s.toFixed(0), '1.00', '', ''],
    ...Object.keys(TARGETS).filter((k) => t[k]).map((k) => [
      k === 'ListPrompts' ? 'ListPrompts (100 prompts)' : k === 'AddPrompt+RemovePrompt' ? `AddPrompt+RemovePrompt, ${results.settings.durability} commits (${t[k].pairs_per_s.toFixed(0)} pairs/s)` : k,
      t[k].req_per_s.toFixed(0),
      t[k].ratio_to_echo.toFixed(2),
      `>= ${TARGETS[k]}`,
      t[k].meets_target ? 'yes' : 'NO',
    ]),
    t.ListPrompts_raw_client && [
      'ListPrompts (100), raw-bytes client',
      t.ListPrompts_raw_client.req_per_s.toFixed(0),
      t.ListPrompts_raw_client.ratio_to_echo.toFixed(2),
      `>= ${TARGETS.ListPrompts}`,
      `${t.ListPrompts_raw_client.meets_target ? 'yes' : 'NO'} (echo raw ${t.echo_raw_client.req_per_s.toFixed(0)})`,
    ],
    t.ListPrompts && [
      'diagnostic: echo ListPrompts (100 fixed)',
      t.echo_list_prompts_100.req_per_s.toFixed(0),
      (t.echo_list_prompts_100.req_per_s / t.echo.req_per_s).toFixed(2),
      '',
      `real/echo-100: ${(t.ListPrompts.req_per_s / t.echo_list_prompts_100.req_per_s).toFixed(2)}`,
    ],
  ];
  const mx = results.mix;
  if (mx?.real) {
    rows.push(['mix, in-memory reference', mx.reference.req_per_s.toFixed(0), (mx.reference.req_per_s / t.echo_raw_client.req_per_s).toFixed(2), '', '']);
    rows.push(['mix, real server', mx.real.req_per_s.toFixed(0), mx.ratio_to_echo.toFixed(2), `>= ${mx.target_ratio} of ref`, `${mx.meets_target ? 'yes' : 'NO'} (${mx.ratio_to_reference.toFixed(2)} of ref)`]);
    const rss = mx.real.rss;
    rows.push(['  RSS of the server: before / median / peak during the mix (MiB)', `${rss.before_mib} / ${rss.median_mib} / ${rss.peak_mib}`, '', '', '']);
  }
  const ins = results.inserts;
  if (ins?.real) {
    rows.push([`${ins.n} AddPrompt at c=4, reference`, ins.reference.req_per_s.toFixed(0), '', '', `${ins.reference.seconds.toFixed(1)} s`]);
    rows.push([`${ins.n} AddPrompt at c=4, real`, ins.real.req_per_s.toFixed(0), '', `>= ${ins.target_ratio} of ref`, `${ins.meets_target ? 'yes' : 'NO'} (${ins.ratio_to_reference.toFixed(2)} of ref)`]);
  }
  const ld = results.loop_delay;
  if (ld) {
    rows.push([`loop delay p99 / max (ms), mix + export + import of ${ld.rows}`, `${ld.loop_delay.p99_ms} / ${ld.loop_delay.max_ms}`, '', `max <= ${ld.target_max_ms}`, ld.meets_target ? 'yes' : 'NO']);
    rows.push(['  mix during it; export s, import s', ld.mix_req_per_s.toFixed(0), '', '', `${ld.export_s.toFixed(1)} s, ${ld.import_s.toFixed(1)} s`]);
  }
  // A log of a million events (bench/log-scale.mjs): BENCH_LOG_EVENTS events (default 1,000,000; 0 skips it).
  if (process.env.BENCH_LOG_EVENTS !== '0') {
    const { runLogScale, logScaleRows } = await import('./log-scale.mjs');
    results.log_scale = await runLogScale({ log });
    for (const [m, v, target, ok] of logScaleRows(results.log_scale)) rows.push([m, v, '', target, ok]);
  }
  for (let i = rows.length - 1; i >= 0; i--) if (!rows[i]) rows.splice(i, 1);
  if (results.replay?.events) {
    rows.push(['replay (fts replay), events/s', String(results.replay.events_per_s_reported), '', '', `${results.replay.events} events`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\nFine Tuning Studio bench (durability: ${results.settings.durability}): concurrency ${CONCURRENCY}, median of ${ROUNDS} x ${ROUND_S} s, ${results.machine.cpus} CPUs, node ${process.version}; load average ${results.load_average.map((x) => x.toFixed(2)).join(' ')} at start, ${results.load_average_end.map((x) => x.toFixed(2)).join(' ')} at end\n`);
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
  const outDir = path.join(REPO, 'bench-results');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten: bench-results/latest.json`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
