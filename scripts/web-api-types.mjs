#!/usr/bin/env node
/**
 * The console's API types, generated from the contract: starts the built
 * server (apps/api/dist, `npm run build` first) in a throw-away project,
 * reads /api/openapi.json and writes its TypeScript types with
 * openapi-typescript (a devDependency of apps/web) to
 * apps/web/src/app/core/api.generated.ts.
 *
 *   node scripts/web-api-types.mjs                 write the file (npm run generate:web-types)
 *   node scripts/web-api-types.mjs --check         exit 1 when the committed file is not what the contract gives
 *   ... --doc openapi.json                         from this document instead of a server
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = path.join(ROOT, 'apps/web/src/app/core/api.generated.ts');
const HEADER = '// Generated from /api/openapi.json by scripts/web-api-types.mjs (npm run generate:web-types). Do not edit.\n\n';

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Starts apps/api/dist/main.js on free ports in a temporary root; returns its document. */
async function documentFromServer() {
  const main = path.join(ROOT, 'apps/api/dist/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-openapi-'));
  const [grpc, http] = [await freePort(), await freePort()];
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(FTS_|FINE_TUNING_|HF_|HUGGINGFACE_|CDSW_)/.test(k) && k !== 'NODE_OPTIONS'));
  Object.assign(env, {
    FTS_PROJECT_ROOT: root,
    FTS_GRPC_HOST: '127.0.0.1',
    FTS_GRPC_PORT: String(grpc),
    FTS_HTTP_HOST: '127.0.0.1',
    FTS_HTTP_PORT: String(http),
    FTS_SEED: '0',
    FTS_WEB_DIR: path.join(root, 'no-console'),
  });
  let output = '';
  const child = spawn(process.execPath, [main], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    const end = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
      try {
        const res = await fetch(`http://127.0.0.1:${http}/api/openapi.json`);
        if (res.ok) return await res.json();
      } catch {
        /* not listening yet */
      }
      if (Date.now() > end) throw new Error(`the server did not answer within 90 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The TypeScript of a document, as committed. */
export async function typesOf(document) {
  const req = path.join(ROOT, 'apps/web/node_modules/openapi-typescript/dist/index.mjs');
  if (!fs.existsSync(req)) throw new Error('openapi-typescript is missing: npm ci --prefix apps/web');
  const { default: openapiTS, astToString } = await import(pathToFileURL(req).href);
  const ast = await openapiTS(document, { alphabetize: true, silent: true });
  return HEADER + astToString(ast);
}

async function main(argv) {
  const check = argv.includes('--check');
  const docAt = argv.indexOf('--doc');
  const document = docAt >= 0 ? JSON.parse(fs.readFileSync(argv[docAt + 1], 'utf8')) : await documentFromServer();
  const fresh = await typesOf(document);
  const rel = path.relative(ROOT, OUT);
  if (!check) {
    fs.writeFileSync(OUT, fresh);
    console.log(`wrote ${rel}`);
    return 0;
  }
  const committed = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (committed === fresh) {
    console.log(`${rel} is current`);
    return 0;
  }
  console.error(`${rel} is not what /api/openapi.json gives: run npm run build && npm run generate:web-types, and commit it`);
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(2);
    },
  );
}
