#!/usr/bin/env node
// A log of a million events (issue 15): builds a BENCH_LOG_EVENTS-event log
// (default 1,000,000; mixed types, realistic payloads) through the product's
// own event store (EventStore.append: events and inline projections, batched
// transactions), then measures on it:
//   - database size per event
//   - RSS of an idle server on an empty database, of the server on the big log
//     after start-up (its catalog: ~100k configs and the other entities), and
//     the peak while it serves AddConfig and ListEvents load
//   - server start-up time to the first answered RPC (cold: first start on the
//     file; and a second start)
//   - ListEvents page latency deep in the log (keyset: after_position, and
//     newest-first pages back with before_position)
//   - AddConfig p50 at ~100k configs (a new config, and a duplicate handed back)
//   - a console page load in Chromium (the landing page and the event log),
//     counting the event-stream frames and ListEvents bytes it received:
//     no historical event may be streamed
//   - `fts replay` events/s (the median of BENCH_REPLAY_RUNS runs, default 3;
//     the tables match their rebuild, so nothing is rewritten), `fts replay
//     --verify` time, and one replay after a row was removed from every
//     table (each rewritten)
// `node bench/log-scale.mjs` on a built tree (npm run build, npm run build:web
// for the console figure), or runLogScale() from bench/run.mjs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { rssOf } from './process-memory.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROTO = path.join(REPO, 'libs/proto/fine_tuning_studio.proto');
const DIST = path.join(REPO, 'apps/api/dist');
const MAIN_JS = path.join(DIST, 'main.js');
const CLI_JS = path.join(DIST, 'cli/fts.js');
const WEB_INDEX = path.join(REPO, 'apps/web/dist/web/browser/index.html');
const CHROME = process.env.CHROME_BIN || '/usr/bin/chromium';
const PAGE_LOAD_TARGET_S = 2;
const ADD_CONFIG_TARGET_MS = 5;
const REPLAY_TARGET = 200_000;
const REPLAY_RUNS = Number(process.env.BENCH_REPLAY_RUNS ?? 3);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
};
const mib = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

// ---------------------------------------------------------------- the log

/**
 * The mix, per 100 events: 10 ConfigAdded (a LoRA / training-arguments JSON
 * of 300-600 bytes), 30 PromptAdded and 28 PromptRemoved (templates of a few
 * hundred bytes), 1 DatasetAdded (with its features list), 0.2 FineTuningJobAdded,
 * ~30 JobProgressRecorded (1-5 metric points each) and the odd ModelAdded.
 */
function* mixedEvents(n) {
  const iso = (i) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  const jobs = [];
  const livePrompts = [];
  let datasets = 0;
  const seq = new Map();
  for (let i = 0; i < n; i++) {
    const r = i % 1000;
    const id = `b${i.toString(36).padStart(7, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;
    if (i < 5 || r === 999) {
      yield { type: 'ModelAdded', streamId: `model-${id}`, streamType: 'model', expectedVersion: 0, data: { row: { id, type: 'huggingface', framework: 'pytorch', name: `org/model-${i}`, description: `Model ${i}`, huggingface_model_name: `org/model-${i}`, location: null, cml_registered_model_id: null, mlflow_experiment_id: null, mlflow_run_id: null, model_family: i % 2 ? 'LlamaForCausalLM' : 'MistralForCausalLM', created_at: iso(i) } } };
    } else if (r < 10 || datasets === 0) {
      datasets++;
      yield { type: 'DatasetAdded', streamId: `dataset-${id}`, streamType: 'dataset', expectedVersion: 0, data: { row: { id, type: 'project', name: `tickets-${i}`, description: `Customer support tickets, batch ${i}`, huggingface_name: null, location: `data/tickets-${i}.csv`, features: JSON.stringify(['instruction', 'intent', 'category', 'response']), created_at: iso(i) } } };
      if (jobs.length < 2 || r === 5) {
        const jid = `j${id.slice(1)}`;
        jobs.push(jid);
        yield { type: 'FineTuningJobAdded', streamId: `fine_tuning_job-${jid}`, streamType: 'fine_tuning_job', expectedVersion: 0, data: { row: { id: jid, base_model_id: null, dataset_id: id, prompt_id: null, num_workers: 1, num_cpu: 2, num_gpu: 1, num_memory: 16, num_epochs: 3, learning_rate: 0.0002, out_dir: `.app/job_runs/${jid}`, framework_type: 'legacy', adapter_name: `adapter-${i}`, status: 'running', created_at: iso(i), updated_at: iso(i) } } };
        i++;
      }
    } else if (r < 110) {
      const config = JSON.stringify({ r: 8 + (i % 64), lora_alpha: 16 + (i % 7), lora_dropout: 0.05, bias: 'none', task_type: 'CAUSAL_LM', target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'], fan_in_fan_out: false, inference_mode: false, modules_to_save: null, seed: i });
      yield { type: 'ConfigAdded', streamId: `config-${id}`, streamType: 'config', expectedVersion: 0, data: { row: { id, type: 'lora_config', description: null, config, model_family: null, is_default: 0, created_at: iso(i) } } };
    } else if (r < 410 || livePrompts.length < 10) {
      livePrompts.push(id);
      yield { type: 'PromptAdded', streamId: `prompt-${id}`, streamType: 'prompt', expectedVersion: 0, data: { row: { id, type: 'in_place', name: `prompt-${i}`, description: `Classify the intent of a support ticket (${i})`, dataset_id: null, prompt_template: 'You are a support agent. Read the customer instruction and name its intent.\n\nInstruction: {instruction}\nCategory: {category}\nIntent: {intent}\n', input_template: 'You are a support agent. Read the customer instruction and name its intent.\n\nInstruction: {instruction}\nCategory: {category}\nIntent: ', completion_template: '{intent}\n', created_at: iso(i) } } };
    } else if (r < 690) {
      const pid = livePrompts.shift();
      yield { type: 'PromptRemoved', streamId: `prompt-${pid}`, streamType: 'prompt', expectedVersion: 1, data: { id: pid } };
    } else {
      const jid = jobs[i % jobs.length];
      const first = (seq.get(jid) ?? 0) + 1;
      const k = 1 + (i % 5);
      seq.set(jid, first + k - 1);
      const points = Array.from({ length: k }, (_, j) => ({ step: first + j, total_steps: 100000, epoch: Math.round(((first + j) / 33333) * 1000) / 1000, loss: 2.5 / Math.sqrt(first + j), learning_rate: 0.0002, grad_norm: 0.9 + ((i + j) % 10) / 100, at: iso(i) }));
      yield { type: 'JobProgressRecorded', streamId: `fine_tuning_job-${jid}`, streamType: 'fine_tuning_job', data: { id: jid, first_seq: first, points, next_offset: first * 220 } };
    }
  }
}

export async function buildLog(dbPath, n, log) {
  const { openDatabase } = await import(pathToFileURL(path.join(DIST, 'platform/database/open-database.js')).href);
  const { EventStore } = await import(pathToFileURL(path.join(DIST, 'platform/event-store/event-store.js')).href);
  const { dataSource, db } = await openDatabase(dbPath, 'NORMAL');
  const store = new EventStore(db);
  const meta = { correlation_id: 'bench-log-scale', actor: 'bench', transport: 'system' };
  const started = performance.now();
  let batch = [];
  let done = 0;
  for (const e of mixedEvents(n)) {
    batch.push(e);
    if (batch.length === 5000) {
      store.append(batch, meta);
      done += batch.length;
      batch = [];
      if (done % 200_000 === 0) log(`  log: ${done} events (${Math.round(done / ((performance.now() - started) / 1000))} events/s)`);
    }
  }
  if (batch.length) store.append(batch, meta), (done += batch.length);
  const seconds = (performance.now() - started) / 1000;
  const counts = Object.fromEntries(
    ['configs', 'prompts', 'datasets', 'models', 'fine_tuning_jobs', 'job_metrics'].map((t) => [t, db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get().n]),
  );
  const types = db.prepare('SELECT type, COUNT(*) AS n FROM events GROUP BY type ORDER BY n DESC').all();
  const avgData = db.prepare('SELECT AVG(LENGTH(data)) AS a FROM events').get().a;
  db.pragma('wal_checkpoint(TRUNCATE)');
  await dataSource.destroy();
  return { events: done, seconds, events_per_s: Math.round(done / seconds), counts, types, avg_data_bytes: Math.round(avgData) };
}

// ---------------------------------------------------------------- server and client

const def = protoLoader.loadSync(PROTO, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
const Service = grpc.loadPackageDefinition(def).fine_tuning_studio.FineTuningStudio;

function client(address) {
  const c = new Service(address, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': 256 * 1024 * 1024 });
  const call = (method, req, deadlineMs = 60_000) =>
    new Promise((resolve, reject) => c[method](req, { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res))));
  return { call, close: () => c.close() };
}

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

const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Starts the server on `root` and times spawn → the first answered RPC (ListEvents of one event). */
async function startServer(root, logFile) {
  const grpcPort = await freePort();
  const httpPort = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(FTS_|FINE_TUNING_|HF_|HUGGINGFACE_|CDSW_)/.test(k)));
  delete env.NODE_OPTIONS;
  if (process.env.BENCH_WEB_DIR) env.FTS_WEB_DIR = path.resolve(process.env.BENCH_WEB_DIR);
  Object.assign(env, { FTS_PROJECT_ROOT: root, FTS_GRPC_HOST: '127.0.0.1', FTS_GRPC_PORT: String(grpcPort), FTS_HTTP_HOST: '127.0.0.1', FTS_HTTP_PORT: String(httpPort), FTS_SEED: '0', HF_ENDPOINT: 'http://127.0.0.1:9' });
  const fd = fs.openSync(logFile, 'a');
  const started = performance.now();
  const proc = spawn(process.execPath, [MAIN_JS], { cwd: root, env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  children.add(proc);
  const c = client(`127.0.0.1:${grpcPort}`);
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    if (performance.now() - started > 180_000) throw new Error('server did not answer within 180 s');
    try {
      await c.call('ListEvents', { limit: 1 }, 2000);
      break;
    } catch {
      await sleep(10);
    }
  }
  const startup_s = (performance.now() - started) / 1000;
  return { proc, c, env, startup_s, httpUrl: `http://127.0.0.1:${httpPort}` };
}

function stop(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.once('exit', () => (clearTimeout(t), children.delete(proc), resolve()));
    proc.kill('SIGTERM');
  });
}

function runCli(args, env) {
  return new Promise((resolve) => {
    const start = performance.now();
    const proc = spawn(process.execPath, [CLI_JS, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(proc);
    let out = '';
    proc.stdout.on('data', (b) => (out += b));
    proc.stderr.on('data', (b) => (out += b));
    proc.once('close', (code) => {
      children.delete(proc);
      resolve({ code, out, seconds: (performance.now() - start) / 1000 });
    });
  });
}

async function timed(n, fn) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  return { p50_ms: Math.round(pct(ms, 50) * 100) / 100, p95_ms: Math.round(pct(ms, 95) * 100) / 100, calls: n };
}

// ---------------------------------------------------------------- the console

/** Launches headless Chromium (playwright-core from apps/web). */
async function launchChromium() {
  const require = createRequire(path.join(REPO, 'apps/web/package.json'));
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROME, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
}

/**
 * Loads `route` in a fresh context of `browser` (nothing cached) and waits until
 * the page is usable: the live indicator says Live at the log's head and
 * `ready` holds (the page's content is on screen). Counts, through the DevTools
 * protocol, every event-stream message, the bytes of every ListEvents response,
 * and the API calls and their bytes (responses under /api, the stream aside).
 */
async function consolePageLoad(browser, httpUrl, route, head, ready) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const stream = { head_frames: 0, event_frames: 0 };
    const listEvents = new Map();
    const api = new Map();
    let bytes = 0;
    // Messages of the event stream only (a job page's log stream is another EventSource).
    const eventStreams = new Set();
    cdp.on('Network.requestWillBeSent', (m) => {
      if (/\/api\/events\/stream(\?|$)/.test(m.request.url)) eventStreams.add(m.requestId);
    });
    cdp.on('Network.eventSourceMessageReceived', (m) => {
      if (!eventStreams.has(m.requestId)) return;
      if (m.eventName === 'head') stream.head_frames++;
      else stream.event_frames++;
    });
    cdp.on('Network.responseReceived', (m) => {
      if (/\/api\/events(\?|$)/.test(m.response.url)) listEvents.set(m.requestId, 0);
      if (/\/api\//.test(m.response.url) && !/\/stream(\?|$)/.test(m.response.url)) api.set(m.requestId, 0);
    });
    cdp.on('Network.loadingFinished', (m) => {
      if (listEvents.has(m.requestId)) listEvents.set(m.requestId, m.encodedDataLength);
      if (api.has(m.requestId)) api.set(m.requestId, m.encodedDataLength);
    });
    cdp.on('Network.dataReceived', (m) => (bytes += m.dataLength));
    const started = performance.now();
    await page.goto(`${httpUrl}${route}`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(
      (h) => {
        const t = document.querySelector('[data-testid=live-indicator]')?.textContent ?? '';
        const m = /Live · event (\d+)/.exec(t);
        return !!m && Number(m[1]) >= h;
      },
      head,
      { timeout: 60_000, polling: 20 },
    );
    await page.waitForFunction(ready, undefined, { timeout: 60_000, polling: 20 });
    const seconds = (performance.now() - started) / 1000;
    await sleep(500); // anything still arriving would be counted
    const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
    return { route, seconds, stream, list_events_calls: listEvents.size, list_events_bytes: sum(listEvents), api_calls: api.size, api_bytes: sum(api), bytes_received: bytes };
  } finally {
    await context.close();
  }
}

const options = (name, n = 2) => `document.querySelectorAll('select[name=${name}] option').length >= ${n}`;
const fn = (expr) => new Function(`return ${expr}`);

/**
 * Every console page, with what "usable" means for it. `ids` names a dataset
 * and a job of the log for the detail pages.
 */
export function consolePages(ids) {
  return [
    // The landing page redirects to the jobs list: usable once its rows (or its empty state) are on screen.
    { route: '/', ready: fn("document.querySelectorAll('[data-testid=jobs-table] tbody tr').length > 0 || !!document.querySelector('main app-empty')") },
    { route: '/events', ready: fn("document.querySelectorAll('[data-testid=event-table] tr.ev').length > 0") },
    { route: '/datasets', ready: fn("document.querySelectorAll('[data-testid=datasets-table] tbody tr').length > 0") },
    ...(ids.dataset ? [{ route: `/datasets/${ids.dataset}`, ready: fn("!!document.querySelector('main h1')?.textContent?.trim()") }] : []),
    { route: '/models', ready: fn("document.querySelectorAll('[data-testid=model-card]').length > 0") },
    { route: '/prompts', ready: fn("document.querySelectorAll('[data-testid=prompt-card]').length > 0") },
    { route: '/prompts/new', ready: fn(options('dataset')) },
    { route: '/configs', ready: fn("document.querySelectorAll('.card pre').length > 0") },
    { route: '/jobs/train', ready: fn(`${options('dataset')} && ${options('model')}`) },
    ...(ids.job ? [{ route: `/jobs/${ids.job}`, ready: fn("!!document.querySelector('[data-testid=run-settings]')") }] : []),
    { route: '/evaluation', ready: fn(`${options('dataset')} && ${options('model0')}`) },
    { route: '/comparison', ready: fn(`${options('model')} && ${options('dataset')}`) },
    { route: '/exports', ready: fn(`${options('model')} && !!document.querySelector('[data-testid=exports-table], app-empty')`) },
    { route: '/database', ready: fn("!!document.querySelector('[data-testid=export-link]')") },
  ];
}

/** Loads every console page once, in one Chromium; the landing page and the event log first. */
export async function consolePageLoads(httpUrl, head, ids, log = () => {}) {
  const browser = await launchChromium();
  try {
    const out = [];
    const only = process.env.BENCH_CONSOLE_ROUTES ? new RegExp(process.env.BENCH_CONSOLE_ROUTES) : null; // e.g. '^/(configs|exports)'
    for (const p of consolePages(ids).filter((x) => !only || only.test(x.route))) {
      const r = await consolePageLoad(browser, httpUrl, p.route, head, p.ready);
      log(`  console ${r.route}: usable in ${r.seconds.toFixed(2)} s; ${r.api_calls} API calls, ${r.api_bytes} bytes; stream frames: ${r.stream.head_frames} head, ${r.stream.event_frames} events; ListEvents: ${r.list_events_calls} call(s), ${r.list_events_bytes} bytes`);
      out.push(r);
    }
    return out;
  } finally {
    await browser.close();
  }
}

/** A dataset and a job of the log, for the detail pages. */
async function someIds(httpUrl) {
  const first = async (list, key) => (await (await fetch(`${httpUrl}/api/${list}?page_size=1`)).json())[key]?.[0]?.id;
  return { dataset: await first('datasets', 'datasets'), job: await first('fine-tuning-jobs', 'fine_tuning_jobs') };
}

// ---------------------------------------------------------------- the run

export async function runLogScale(ctx = {}) {
  const n = Number(ctx.events ?? process.env.BENCH_LOG_EVENTS ?? 1_000_000);
  const log = ctx.log ?? ((s) => process.stderr.write(`${s}\n`));
  for (const f of [MAIN_JS, CLI_JS]) if (!fs.existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-log-scale-'));
  const root = path.join(base, 'project');
  const empty = path.join(base, 'empty');
  fs.mkdirSync(path.join(root, '.app'), { recursive: true });
  fs.mkdirSync(empty, { recursive: true });
  const dbPath = path.join(root, '.app/state.db');
  const serverLog = path.join(base, 'server.log');
  const out = { events: n, load_average_at_start: os.loadavg().map((x) => Math.round(x * 100) / 100) };
  try {
    log(`log scale: building a ${n}-event log through EventStore.append…`);
    out.build = await buildLog(dbPath, n, log);
    const size = fs.statSync(dbPath).size;
    out.database = { bytes: size, mib: mib(size), bytes_per_event: Math.round(size / n), avg_event_data_bytes: out.build.avg_data_bytes };
    log(`  built in ${out.build.seconds.toFixed(1)} s (${out.build.events_per_s} events/s); ${out.database.mib} MiB, ${out.database.bytes_per_event} bytes/event`);

    // Idle RSS of a server on an empty database.
    const idle = await startServer(empty, serverLog);
    await sleep(2000);
    out.rss = { idle_empty_mib: mib(rssOf(idle.proc.pid)) };
    out.startup_empty_s = idle.startup_s;
    idle.c.close();
    await stop(idle.proc);

    // Start-up on the big log: the first start on the file, and a second one.
    const first = await startServer(root, serverLog);
    out.startup = { first_s: Math.round(first.startup_s * 1000) / 1000 };
    first.c.close();
    await stop(first.proc);
    const srv = await startServer(root, serverLog);
    out.startup.second_s = Math.round(srv.startup_s * 1000) / 1000;
    out.startup.empty_s = Math.round(out.startup_empty_s * 1000) / 1000;
    log(`  start-up to the first answered RPC: ${out.startup.first_s} s (then ${out.startup.second_s} s; empty database ${out.startup.empty_s} s)`);
    await sleep(1000);
    out.rss.idle_big_log_mib = mib(rssOf(srv.proc.pid));
    const c = srv.c;
    const head = (await c.call('ListEvents', { after_position: n - 1, limit: 10 })).last_position;
    // The catalog read once (as a console would): every config and prompt.
    const configs = await c.call('ListConfigs', {});
    await c.call('ListPrompts', {});
    out.rss.after_catalog_read_mib = mib(rssOf(srv.proc.pid));
    out.catalog = { configs: configs.configs?.length ?? 0, ...out.build.counts };

    // Peak RSS while it serves load.
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(srv.proc.pid))), 50);

    // ListEvents deep in the log.
    const mid = Math.floor(n / 2);
    out.list_events = {
      grpc_after_middle_100: await timed(50, (i) => c.call('ListEvents', { after_position: mid + i * 997, limit: 100 })),
      grpc_after_tail_100: await timed(50, () => c.call('ListEvents', { after_position: head - 100, limit: 100 })),
      http_newest_first_before_middle_100: await timed(50, async (i) => {
        const r = await fetch(`${srv.httpUrl}/api/events?order=desc&limit=100&before_position=${mid - i * 997}`);
        await r.arrayBuffer();
      }),
      grpc_type_filter_middle_100: await timed(20, (i) => c.call('ListEvents', { after_position: mid + i * 997, types: ['ConfigAdded'], limit: 100 })),
    };
    log(`  ListEvents 100 after the middle: p50 ${out.list_events.grpc_after_middle_100.p50_ms} ms; newest-first before the middle (HTTP): p50 ${out.list_events.http_newest_first_before_middle_100.p50_ms} ms`);

    // AddConfig at ~100k configs: new contents, then contents already there (handed back, nothing written).
    const loraOf = (i) => JSON.stringify({ r: 8 + (i % 64), lora_alpha: 16 + (i % 7), lora_dropout: 0.05, bias: 'none', task_type: 'CAUSAL_LM', target_modules: ['q_proj', 'v_proj'], seed: 10_000_000 + i });
    const newOnes = await timed(300, (i) => c.call('AddConfig', { type: 'lora_config', config: loraOf(i) }));
    const dupes = await timed(300, (i) => c.call('AddConfig', { type: 'lora_config', config: loraOf(i % 300) }));
    out.add_config = { configs_before: out.catalog.configs, new_config: newOnes, duplicate: dupes, target_p50_ms: ADD_CONFIG_TARGET_MS, meets_target: newOnes.p50_ms < ADD_CONFIG_TARGET_MS && dupes.p50_ms < ADD_CONFIG_TARGET_MS };
    log(`  AddConfig at ${out.catalog.configs} configs: new p50 ${newOnes.p50_ms} ms, duplicate p50 ${dupes.p50_ms} ms (target < ${ADD_CONFIG_TARGET_MS} ms)`);
    clearInterval(sampler);
    out.rss.peak_under_load_mib = mib(peak);
    log(`  RSS: idle (empty) ${out.rss.idle_empty_mib} MiB, idle on the log ${out.rss.idle_big_log_mib} MiB, after reading the catalog ${out.rss.after_catalog_read_mib} MiB, peak under load ${out.rss.peak_under_load_mib} MiB`);

    // The console, when built.
    if (fs.existsSync(WEB_INDEX) && fs.existsSync(CHROME)) {
      const liveHead = (await c.call('ListEvents', { after_position: head, limit: 10_000 })).last_position;
      const pages = await consolePageLoads(srv.httpUrl, liveHead, await someIds(srv.httpUrl), log);
      const [landing, eventLog] = pages;
      const ok = (p) => p.seconds < PAGE_LOAD_TARGET_S && p.stream.event_frames === 0;
      out.console = { landing, event_log: eventLog, pages, target_s: PAGE_LOAD_TARGET_S, meets_target: pages.every(ok) && landing.list_events_calls === 0 };
    } else {
      out.console = { skipped: `needs ${WEB_INDEX} (npm run build:web) and ${CHROME}` };
      log(`  console: skipped (${out.console.skipped})`);
    }
    c.close();
    await stop(srv.proc);

    // Replay (REPLAY_RUNS times: each rebuilds the same projections from the same log; the median is the figure) and verify, the server stopped.
    const runs = [];
    for (let i = 0; i < REPLAY_RUNS; i++) {
      const rep = await runCli(['replay'], srv.env);
      const m = /Replayed (\d+) events in ([\d.]+) s \((\d+) events\/s\)/.exec(rep.out);
      if (rep.code !== 0 || !m) throw new Error(`fts replay failed (${rep.code}): ${rep.out.slice(-2000)}`);
      runs.push({ events: Number(m[1]), seconds: Number(m[2]), events_per_s: Number(m[3]), wall_s: Math.round(rep.seconds * 100) / 100 });
    }
    const median = [...runs].sort((a, b) => a.events_per_s - b.events_per_s)[Math.floor(runs.length / 2)];
    out.replay = { ...median, runs_events_per_s: runs.map((r) => r.events_per_s), target_events_per_s: REPLAY_TARGET, meets_target: median.events_per_s >= REPLAY_TARGET };
    const ver = await runCli(['replay', '--verify'], srv.env);
    if (ver.code !== 0) throw new Error(`fts replay --verify failed (${ver.code}): ${ver.out.slice(-2000)}`);
    out.verify = { seconds: Math.round(ver.seconds * 100) / 100, events_per_s: Math.round(median.events / ver.seconds), output: ver.out.trim() };
    log(`  fts replay: ${out.replay.events} events in ${out.replay.seconds} s = ${out.replay.events_per_s} events/s, the median of ${runs.length} runs (${out.replay.runs_events_per_s.join(', ')}; target >= ${REPLAY_TARGET}); --verify ${out.verify.seconds} s (wall, incl. process start)`);
    // The tables above matched their rebuild, so replay wrote nothing. Where the projections changed, it rewrites them:
    // one row removed by hand from every table that has rows, then one replay, which rewrites them all.
    const tampered = removeLastRows(dbPath);
    const rew = await runCli(['replay'], srv.env);
    const rm = /Replayed (\d+) events in ([\d.]+) s \((\d+) events\/s\); rewrote ([a-z_, ]+) \(/.exec(rew.out);
    if (rew.code !== 0 || !rm) throw new Error(`fts replay (rewriting) failed (${rew.code}): ${rew.out.slice(-2000)}`);
    out.replay_rewriting = { tables: rm[4].split(', '), tables_tampered: tampered, seconds: Number(rm[2]), events_per_s: Number(rm[3]) };
    log(`  fts replay rewriting ${out.replay_rewriting.tables.length} tables (${rm[4]}): ${rm[3]} events/s`);
    out.load_average_at_end = os.loadavg().map((x) => Math.round(x * 100) / 100);
    return out;
  } finally {
    for (const p of children) p.kill('SIGKILL');
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** Removes the last row of every projection table that has rows (a replay then rewrites each); returns their names. */
export function removeLastRows(dbPath) {
  const Database = createRequire(path.join(REPO, 'package.json'))('better-sqlite3');
  const db = new Database(dbPath);
  try {
    const keep = new Set(['events', 'migrations', 'sqlite_sequence', 'idempotency_keys', 'config_content_keys']);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all().filter((t) => !keep.has(t));
    const changed = tables.filter((t) => db.prepare(`DELETE FROM ${t} WHERE rowid = (SELECT MAX(rowid) FROM ${t})`).run().changes > 0);
    db.pragma('wal_checkpoint(TRUNCATE)');
    return changed;
  } finally {
    db.close();
  }
}

/** The figures as table rows: [measurement, value, target, ok]. */
export function logScaleRows(r) {
  const yes = (b) => (b ? 'yes' : 'NO');
  const rows = [
    [`log of ${r.events} events: database size`, `${r.database.mib} MiB (${r.database.bytes_per_event} B/event)`, '', ''],
    ['start-up to first answered RPC (first / second / empty db)', `${r.startup.first_s} / ${r.startup.second_s} / ${r.startup.empty_s} s`, '', ''],
    ['fts replay (median of runs)', `${r.replay.events_per_s} events/s (${r.replay.runs_events_per_s.join(', ')})`, `>= ${REPLAY_TARGET}`, yes(r.replay.meets_target)],
    ['fts replay rewriting every table (a row removed from each)', `${r.replay_rewriting.events_per_s} events/s (${r.replay_rewriting.tables.length} tables)`, '', ''],
    ['fts replay --verify (wall)', `${r.verify.seconds} s`, '', ''],
    ['ListEvents 100 after the middle (gRPC) p50', `${r.list_events.grpc_after_middle_100.p50_ms} ms`, '', ''],
    ['ListEvents 100 newest-first before the middle (HTTP) p50', `${r.list_events.http_newest_first_before_middle_100.p50_ms} ms`, '', ''],
    [`AddConfig at ${r.add_config.configs_before} configs p50 (new / duplicate)`, `${r.add_config.new_config.p50_ms} / ${r.add_config.duplicate.p50_ms} ms`, `< ${ADD_CONFIG_TARGET_MS} ms`, yes(r.add_config.meets_target)],
    ['RSS idle empty / idle on the log / after catalog read / peak under load', `${r.rss.idle_empty_mib} / ${r.rss.idle_big_log_mib} / ${r.rss.after_catalog_read_mib} / ${r.rss.peak_under_load_mib} MiB`, '', ''],
  ];
  if (r.console?.landing) {
    for (const p of r.console.pages ?? [r.console.landing, r.console.event_log]) {
      rows.push([`console page load ${p.route} (Chromium)`, `${p.seconds.toFixed(2)} s, ${p.api_calls ?? '?'} API calls (${p.api_bytes ?? '?'} B), ${p.stream.event_frames} streamed events, ${p.list_events_calls} ListEvents (${p.list_events_bytes} B)`, `< ${PAGE_LOAD_TARGET_S} s, 0 streamed`, yes(p.seconds < PAGE_LOAD_TARGET_S && p.stream.event_frames === 0)]);
    }
  } else rows.push(['console page load', r.console?.skipped ?? 'skipped', '', '']);
  return rows;
}

/**
 * The console figures alone, on a log built before (e.g. by buildLog, kept between runs): starts the
 * server on `root`, loads every page, stops it. BENCH_WEB_DIR serves another console build (before/after).
 */
export async function runConsoleOnly(root, log = (s) => process.stderr.write(`${s}\n`)) {
  const serverLog = path.join(os.tmpdir(), `fts-console-bench-${process.pid}.log`);
  const srv = await startServer(root, serverLog);
  try {
    const liveHead = (await (await fetch(`${srv.httpUrl}/api/events?order=desc&limit=1`)).json()).events?.[0]?.position ?? 0;
    log(`console pages on ${root} (head ${liveHead}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')})`);
    return await consolePageLoads(srv.httpUrl, liveHead, await someIds(srv.httpUrl), log);
  } finally {
    srv.c.close();
    await stop(srv.proc);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href && process.argv[2] === '--console') {
  // node bench/log-scale.mjs --console <project root with .app/state.db>
  runConsoleOnly(path.resolve(process.argv[3] ?? '.')).then(
    (pages) => {
      console.log(JSON.stringify(pages.map((p) => ({ route: p.route, seconds: Math.round(p.seconds * 100) / 100, api_calls: p.api_calls, api_bytes: p.api_bytes, streamed_events: p.stream.event_frames, list_events_bytes: p.list_events_bytes }))));
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
} else if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runLogScale().then(
    (r) => {
      const rows = [['measurement', 'value', 'target', 'ok'], ...logScaleRows(r)];
      const widths = rows[0].map((_, i) => Math.max(...rows.map((x) => x[i].length)));
      const line = (x) => x.map((c, i) => c.padEnd(widths[i])).join('  ');
      console.log(`\nA log of ${r.events} events (load average ${r.load_average_at_start.join(' ')} at start, ${r.load_average_at_end.join(' ')} at end; ${os.cpus().length} CPUs)\n`);
      console.log(line(rows[0]));
      console.log(widths.map((w) => '-'.repeat(w)).join('  '));
      for (const x of rows.slice(1)) console.log(line(x));
      const outDir = path.join(REPO, 'bench-results');
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(path.join(outDir, 'log-scale.json'), `${JSON.stringify(r, null, 2)}\n`);
      console.log('\nwritten: bench-results/log-scale.json');
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
