/**
 * Starts the built server (apps/api/dist/main.js, build it first with
 * `npx tsc -b`) as a child process on free loopback ports, in a fresh
 * temporary project root, with a fake Hugging Face Hub unless HF_ENDPOINT is
 * given. Resolves once gRPC answers.
 *
 *   const srv = await startServer({ seed: false });
 *   await srv.client.call('ListPrompts', {});
 *   await srv.kill9(); await srv.restart();   // srv.client is a fresh client afterwards
 *   await srv.stop();                          // kills the process, the hub, removes the tmp dir
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createClient, REPO_ROOT, type FtsClient } from './grpc-client.js';
import { startFakeHub, type FakeHub } from './fake-hub.js';

export const MAIN_JS = path.join(REPO_ROOT, 'apps/api/dist/main.js');
export const CLI_JS = path.join(REPO_ROOT, 'apps/api/dist/cli/fts.js');

export interface StartOptions {
  /** Extra environment for the server (wins over everything else). */
  env?: Record<string, string | undefined>;
  /** Seed the project defaults (default true; false sets FTS_SEED=0). */
  seed?: boolean;
  /** Use this project root instead of a fresh temporary one (it is not removed on stop). */
  root?: string;
  /** How long to wait for gRPC to answer (default 90 s: slow CI). */
  readyTimeoutMs?: number;
  /** Default metadata on every call of `client` (e.g. an authorization header). */
  metadata?: Record<string, string>;
  /** Called with the project root before the first start (e.g. to put files there that seeding looks for). */
  prepareRoot?: (root: string) => void;
}

export interface ServerHandle {
  /** A client for the running server; replaced by restart(). */
  client: FtsClient;
  root: string;
  dbPath: string;
  grpcAddress: string;
  grpcPort: number;
  httpPort: number;
  httpUrl: string;
  hub?: FakeHub;
  /** The environment the server runs with (also handy for the CLI). */
  env: NodeJS.ProcessEnv;
  pid(): number | undefined;
  /** Everything the server printed, across restarts. */
  logs(): string;
  /** A new, independent client (its own channel) for concurrency tests. */
  newClient(metadata?: Record<string, string>): FtsClient;
  /** SIGTERM, then SIGKILL after 10 s; stops the hub and removes the tmp root. */
  stop(): Promise<void>;
  /** SIGKILL now and wait for the exit. */
  kill9(): Promise<void>;
  /** Starts the server again on the same root and ports (stopping it first if it runs). */
  restart(extraEnv?: Record<string, string | undefined>): Promise<void>;
}

/** Every child any handle started, killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) {
      try {
        c.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The inherited environment minus what would leak the developer's settings into the server. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(FTS_|FINE_TUNING_|HF_|HUGGINGFACE_|CDSW_)/.test(k)) delete env[k];
  }
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the server
  return env;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}

export async function startServer(opts: StartOptions = {}): Promise<ServerHandle> {
  if (!fs.existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: build first with \`npx tsc -b\``);
  installExitHook();
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-it-')));
  const root = opts.root ?? path.join(base, 'project');
  fs.mkdirSync(root, { recursive: true });
  const ownsRoot = !opts.root;
  opts.prepareRoot?.(root);
  const hub = opts.env?.HF_ENDPOINT ? undefined : await startFakeHub();
  const grpcPort = await freePort();
  let httpPort = await freePort();
  while (httpPort === grpcPort) httpPort = await freePort();
  const grpcAddress = `127.0.0.1:${grpcPort}`;
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    FTS_PROJECT_ROOT: root,
    FTS_GRPC_HOST: '127.0.0.1',
    FTS_GRPC_PORT: String(grpcPort),
    FTS_HTTP_HOST: '127.0.0.1',
    FTS_HTTP_PORT: String(httpPort),
    FTS_SEED: opts.seed === false ? '0' : '1',
    FTS_HF_TIMEOUT_MS: '5000',
    ...(hub ? { HF_ENDPOINT: hub.url } : {}),
    ...(opts.env ?? {}),
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const dbPath = env.FINE_TUNING_STUDIO_SQLITE_DB
    ? path.resolve(root, env.FINE_TUNING_STUDIO_SQLITE_DB)
    : path.join(root, '.app', 'state.db');
  const logPath = path.join(base, 'server.log');
  const readyTimeoutMs = opts.readyTimeoutMs ?? 90_000;

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let client: FtsClient | undefined;
  const extraClients: FtsClient[] = [];

  const logs = () => (fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : '');
  const tail = () => logs().split('\n').slice(-40).join('\n');

  async function spawnAndWait(extraEnv: Record<string, string | undefined> = {}) {
    const runEnv = { ...env, ...extraEnv };
    for (const [k, v] of Object.entries(runEnv)) if (v === undefined) delete runEnv[k];
    fs.appendFileSync(logPath, `\n===== start ${new Date().toISOString()} =====\n`);
    const fd = fs.openSync(logPath, 'a');
    const c = spawn(process.execPath, [MAIN_JS], { cwd: root, env: runEnv, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    child = c;
    live.add(c);
    let gone = false;
    exited = new Promise<void>((resolve) =>
      c.once('exit', () => {
        gone = true;
        live.delete(c);
        resolve();
      }),
    );
    client?.close();
    client = undefined;
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (gone) throw new Error(`server exited with ${c.exitCode ?? c.signalCode} before gRPC answered:\n${tail()}`);
      if (Date.now() > deadline) {
        c.kill('SIGKILL');
        throw new Error(`server did not answer gRPC within ${readyTimeoutMs} ms:\n${tail()}`);
      }
      // First the port (cheap, no gRPC reconnect backoff), then a real call.
      if (await portAccepts(grpcPort)) {
        client ??= createClient(grpcAddress, opts.metadata);
        try {
          // Any status but UNAVAILABLE means the service is serving (even UNIMPLEMENTED).
          const r = await client.attempt('ListEvents', { limit: 1 }, { timeoutMs: 5000 });
          if (r.ok || r.codeName !== 'UNAVAILABLE') return;
        } catch {
          /* not serving yet */
        }
      }
      await sleep(150);
    }
  }

  async function terminate(signal: NodeJS.Signals) {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill(signal);
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  await spawnAndWait();

  const handle: ServerHandle = {
    get client() {
      return client!;
    },
    set client(c: FtsClient) {
      client = c;
    },
    root,
    dbPath,
    grpcAddress,
    grpcPort,
    httpPort,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    hub,
    env,
    pid: () => child?.pid,
    logs,
    newClient(metadata?: Record<string, string>) {
      const c = createClient(grpcAddress, { ...(opts.metadata ?? {}), ...(metadata ?? {}) });
      extraClients.push(c);
      return c;
    },
    async kill9() {
      await terminate('SIGKILL');
    },
    async restart(extraEnv?: Record<string, string | undefined>) {
      await terminate('SIGTERM');
      await spawnAndWait(extraEnv);
    },
    async stop() {
      await terminate('SIGTERM');
      killJobProcesses(path.join(root, '.app', 'job_runs'));
      client?.close();
      for (const c of extraClients) c.close();
      await hub?.close();
      if (ownsRoot && process.env.FTS_KEEP_TMP !== '1') fs.rmSync(base, { recursive: true, force: true });
    },
  };
  return handle;
}

/**
 * Jobs started by the local runner run detached in their own process group
 * and outlive the server on purpose; a test project's jobs must not. Each
 * run folder's pid.json names the group.
 */
function killJobProcesses(jobRuns: string): void {
  if (!fs.existsSync(jobRuns)) return;
  for (const dir of fs.readdirSync(jobRuns)) {
    try {
      const rec = JSON.parse(fs.readFileSync(path.join(jobRuns, dir, 'pid.json'), 'utf8')) as { pgid?: number; pid?: number };
      const pgid = rec.pgid ?? rec.pid;
      if (!pgid || pgid <= 1) continue;
      // Only a group whose leader is still this run's wrapper (never a reused pid).
      const cmdline = fs.readFileSync(`/proc/${pgid}/cmdline`, 'utf8');
      if (cmdline.includes(path.join(jobRuns, dir))) process.kill(-pgid, 'SIGKILL');
    } catch {
      /* no record, or already gone */
    }
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node apps/api/dist/cli/fts.js <args>` with the given environment (bounded by timeoutMs). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliResult> {
  if (!fs.existsSync(CLI_JS)) {
    return Promise.resolve({ code: null, signal: null, stdout: '', stderr: `${CLI_JS} is missing (the CLI has not landed yet)` });
  }
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI_JS, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(c);
    let stdout = '';
    let stderr = '';
    c.stdout!.on('data', (b) => (stdout += b));
    c.stderr!.on('data', (b) => (stderr += b));
    const timer = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    c.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(c);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
