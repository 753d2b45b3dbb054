// Shared pieces of the end-to-end suites (e2e/run.mjs and every e2e/*.e2e.mjs):
// a studio process on free ports in a fresh project root, headless Debian Chromium, and a step counter
// that prints "N passed, N failed" last.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIR = path.join(ROOT, 'apps/web/dist/web/browser');
export const CHROME = process.env.CHROME_BIN || '/usr/bin/chromium';
/** Screenshots go to a scratch folder unless UPDATE_SCREENSHOTS=1 (then docs/screenshots/, which the README shows). */
export const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/screenshots') : path.join(os.tmpdir(), 'fts-e2e-screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const assert = (c, m) => { if (!c) throw new Error(m); };
export const freePort = () => new Promise((res, rej) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }).on('error', rej);
});

/** Counts steps; `finish()` prints the closing line and exits non-zero on any failure. */
export function createSteps() {
  let passed = 0, failed = 0;
  return {
    async step(name, fn) {
      const t0 = Date.now();
      try { await fn(); passed++; console.log(`ok   ${name} (${Date.now() - t0} ms)`); }
      catch (e) { failed++; console.log(`FAIL ${name}: ${e?.stack ?? e}`); }
    },
    fail(name, e) { failed++; console.log(`FAIL ${name}: ${e?.stack ?? e}`); },
    get failed() { return failed; },
    finish() { console.log(`${passed} passed, ${failed} failed`); process.exit(failed ? 1 : 0); },
  };
}

/** Exits with a failing closing line when the console is not built or Chromium is missing. */
export function requireBuiltConsoleAndChromium() {
  if (!fs.existsSync(path.join(WEB_DIR, 'index.html'))) { console.log('apps/web is not built: run npm run build:web'); console.log('0 passed, 1 failed'); process.exit(1); }
  if (!fs.existsSync(CHROME)) { console.log(`${CHROME} missing: apt-get install -y chromium`); console.log('0 passed, 1 failed'); process.exit(1); }
}

/**
 * Starts the built studio (apps/api/dist/main.js) in `project` (a fresh temp folder by default) on free ports,
 * with the progress-only job template, and waits for /api/health. `env` is added to the process environment.
 * `restart()` starts it again on the same root and ports.
 */
export async function startStudio({ project, env = {}, template = { steps: 30, interval_s: 0.3 } } = {}) {
  const root = project ?? fs.mkdtempSync(path.join(os.tmpdir(), 'fts-e2e-'));
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${httpPort}`;
  const studio = { project: root, httpPort, grpcPort, base, log: '', proc: null };
  const launch = async () => {
    const proc = spawn(process.execPath, [path.join(ROOT, 'apps/api/dist/main.js')], {
      cwd: root,
      env: {
        ...process.env, FTS_PROJECT_ROOT: root, FTS_HTTP_PORT: String(httpPort), FTS_GRPC_PORT: String(grpcPort),
        FTS_JOB_TEMPLATE: path.join(ROOT, 'job-templates/testing/progress_only.py'),
        FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify(template), FTS_WEB_DIR: WEB_DIR, ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    studio.proc = proc;
    proc.stdout.on('data', (d) => (studio.log += d));
    proc.stderr.on('data', (d) => (studio.log += d));
    for (let i = 0; i < 150; i++) {
      if (proc.exitCode !== null) throw new Error('server exited:\n' + studio.log.slice(-3000));
      try { if ((await fetch(base + '/api/health')).status < 500) return; } catch { /* not yet */ }
      await sleep(200);
    }
    throw new Error('server did not answer /api/health in 30 s:\n' + studio.log.slice(-3000));
  };
  /** Resolves with the exit code once the process has ended. */
  // A process ended by a signal has exitCode null and signalCode set.
  const ended = () => studio.proc.exitCode !== null || studio.proc.signalCode !== null;
  studio.exited = () => new Promise((res) => (ended() ? res(studio.proc.exitCode ?? studio.proc.signalCode) : studio.proc.once('exit', (c, s) => res(c ?? s))));
  studio.stop = async (signal = 'SIGTERM') => { if (studio.proc && !ended()) { studio.proc.kill(signal); await studio.exited(); } };
  studio.restart = async () => { await studio.stop(); await launch(); };
  studio.cleanup = async () => { await studio.stop('SIGKILL').catch(() => {}); if (!project) fs.rmSync(root, { recursive: true, force: true }); };
  /** JSON call to the HTTP API; throws with the status and body on a non-2xx answer. */
  studio.api = async (method, p, body, headers = {}) => {
    const r = await fetch(base + '/api' + p, { method, headers: { 'content-type': 'application/json', ...headers }, body: body ? JSON.stringify(body) : undefined });
    const j = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(`${method} ${p} → ${r.status} ${JSON.stringify(j)}`);
    return j;
  };
  await launch();
  return studio;
}

/** Headless Debian Chromium through playwright-core (installed with apps/web). Never downloads a browser. */
export async function launchBrowser() {
  const require = createRequire(path.join(ROOT, 'apps/web/package.json'));
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: CHROME, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
