#!/usr/bin/env node
// Hostile bodies without a token, against the built server (apps/api/dist/main.js) started with a token:
//   (1) 16 gzip bombs (about 1 MB of gzip each, inflating to 1 GiB) POSTed to /api/database/import,
//   (2) 8 plain 60 MB bodies POSTed to /api/database/import,
//   (3) 16 gzip bombs sent as compressed gRPC ImportDatabase messages (raw HTTP/2),
//   (4) 8 plain 60 MB gRPC ImportDatabase messages from a grpc-js client.
// For each: the answer statuses and the server's RSS growth (VmHWM after the round minus VmRSS before it).
// Usage: node bench/unauthenticated-bodies.mjs   (prints one JSON object)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN_JS = path.join(REPO, 'apps/api/dist/main.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise((res, rej) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    }).on('error', rej);
  });

/** ~1 MB of gzip that inflates to `inflated` bytes of zeros. */
export function gzipBomb(inflated = 1024 ** 3) {
  const gz = zlib.createGzip({ level: 9 });
  const parts = [];
  gz.on('data', (c) => parts.push(c));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < inflated / zeros.length; i++) gz.write(zeros);
  return new Promise((res) => gz.end(() => res(Buffer.concat(parts))));
}

const memOf = (pid) => {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
};

/** POST without a token; resolves with the status (or the error) once answered. Never waits longer than 60 s. */
function post(port, urlPath, body, headers) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: 'POST', headers: { 'content-length': body.length, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve(e.code ?? e.message));
    req.end(body);
  });
}

/** One compressed ImportDatabase message, no token: the grpc-status the server answers with. */
function grpcCall(port, payload) {
  return new Promise((resolve) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', (e) => resolve(e.code ?? e.message));
    const frame = Buffer.alloc(5);
    frame.writeUInt8(1, 0);
    frame.writeUInt32BE(payload.length, 1);
    const stream = session.request({
      ':method': 'POST',
      ':path': '/fine_tuning_studio.FineTuningStudio/ImportDatabase',
      'content-type': 'application/grpc',
      'grpc-encoding': 'gzip',
      te: 'trailers',
    });
    let status;
    stream.on('response', (h) => (status = h['grpc-status'] ?? status));
    stream.on('trailers', (h) => (status = h['grpc-status'] ?? status));
    stream.on('error', () => undefined);
    stream.on('close', () => {
      session.close();
      resolve(status === undefined ? 'no status' : `grpc-status ${status}`);
    });
    stream.resume();
    stream.end(Buffer.concat([frame, payload]));
    setTimeout(() => stream.close(), 60_000);
  });
}

/** ImportDatabase through a grpc-js client, no token: the status name it ends with. */
function grpcImport(port, importedJson) {
  const def = protoLoader.loadSync(path.join(REPO, 'libs/proto/fine_tuning_studio.proto'), { keepCase: true });
  const Service = grpc.loadPackageDefinition(def).fine_tuning_studio.FineTuningStudio;
  const client = new Service(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
  return new Promise((resolve) =>
    client.ImportDatabase({ imported_json: importedJson }, { deadline: Date.now() + 60_000 }, (err) => {
      client.close();
      resolve(err ? grpc.status[err.code] : 'OK');
    }),
  );
}

async function round(pid, fn) {
  global.gc?.();
  await sleep(500);
  const before = memOf(pid);
  const t0 = Date.now();
  const answers = await fn();
  const after = memOf(pid);
  const counts = {};
  for (const a of answers) counts[a] = (counts[a] ?? 0) + 1;
  return { answers: counts, ms: Date.now() - t0, rss_before_mb: Math.round(before.rss / 2 ** 20), rss_growth_mb: Math.round((after.hwm - before.rss) / 2 ** 20) };
}

/** Starts the built server with a token in a fresh project; resolves with its process once /api/health answers. */
async function startServer() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-bodies-'));
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const proc = spawn(process.execPath, [MAIN_JS], {
    cwd: root,
    env: { ...process.env, FTS_PROJECT_ROOT: root, FTS_HTTP_PORT: String(httpPort), FTS_GRPC_PORT: String(grpcPort), FTS_SEED: '0', FTS_AUTH_TOKEN: 'probe-token' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () => {
    proc.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${httpPort}/api/health`)).status) break;
    } catch {
      if (i > 300) {
        stop();
        throw new Error('server did not start');
      }
    }
    await sleep(100);
  }
  return { proc, httpPort, grpcPort, stop };
}

/** Each round on a fresh server, so that one round's garbage does not hide the next one's growth. */
async function onFreshServer(fn) {
  const srv = await startServer();
  try {
    return await round(srv.proc.pid, () => fn(srv));
  } finally {
    srv.stop();
  }
}

async function main() {
  const bomb = await gzipBomb();
  const plain = Buffer.alloc(60 * 1024 * 1024, 0x20);
  const out = { bomb_gzip_bytes: bomb.length, bomb_inflated_bytes: 1024 ** 3 };
  out.http_gzip_bombs_16 = await onFreshServer(({ httpPort }) =>
    Promise.all(Array.from({ length: 16 }, () => post(httpPort, '/api/database/import', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' }))),
  );
  out.http_plain_60mb_8 = await onFreshServer(({ httpPort }) =>
    Promise.all(Array.from({ length: 8 }, () => post(httpPort, '/api/database/import', plain, { 'content-type': 'application/json' }))),
  );
  out.grpc_gzip_bombs_16 = await onFreshServer(({ grpcPort }) => Promise.all(Array.from({ length: 16 }, () => grpcCall(grpcPort, bomb))));
  const plainJson = ' '.repeat(60 * 1024 * 1024);
  out.grpc_plain_60mb_8 = await onFreshServer(({ grpcPort }) => Promise.all(Array.from({ length: 8 }, () => grpcImport(grpcPort, plainJson))));
  console.log(JSON.stringify(out, null, 2));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
