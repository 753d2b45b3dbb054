/**
 * Start-up refuses what it must not serve: a second server on the same state
 * (the holder's PID named; the OS lock is gone after kill -9), and a database
 * that is truncated, not a database, read-only or from a newer build. Each
 * refusal is one sentence naming the file, a non-zero exit and no stack.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { freePort, MAIN_JS, runCli, startServer, type ServerHandle } from './support/server.js';

interface Exit {
  code: number | null;
  output: string;
  ms: number;
}

const ROOT_USER = process.getuid?.() === 0;
const NOBODY = 65534;

/** Whether a user without privileges can reach `file`: every folder above it searchable by others, the file readable. */
function othersCanReach(file: string): boolean {
  const real = fs.realpathSync(file);
  const dirs: string[] = [];
  for (let d = path.dirname(real); ; d = path.dirname(d)) {
    dirs.push(d);
    if (d === path.dirname(d)) break;
  }
  return dirs.every((d) => (fs.statSync(d).mode & 0o001) !== 0) && (fs.statSync(real).mode & 0o004) !== 0;
}
/** root writes through file modes, so its read-only case runs the server as nobody, which needs to reach node and the build. */
const READ_ONLY_TESTABLE = !ROOT_USER || [process.execPath, MAIN_JS].every(othersCanReach);

/** Starts the built server on fresh ports and waits for it to exit on its own (killed, and a failure, after 30 s). */
async function startExpectingExit(env: NodeJS.ProcessEnv, asNobody = false): Promise<Exit> {
  const started = Date.now();
  const runEnv: NodeJS.ProcessEnv = { ...process.env, FTS_GRPC_PORT: String(await freePort()), FTS_HTTP_PORT: String(await freePort()), ...env };
  delete runEnv.NODE_OPTIONS;
  const c = spawn(process.execPath, [MAIN_JS], {
    cwd: env.FTS_PROJECT_ROOT,
    env: runEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let output = '';
  c.stdout.on('data', (b) => (output += b));
  c.stderr.on('data', (b) => (output += b));
  const timer = setTimeout(() => c.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => c.once('close', (code) => resolve(code)));
  clearTimeout(timer);
  return { code, output, ms: Date.now() - started };
}

/** One sentence naming `file`, exit 1, and none of a stack trace's lines. */
function expectRefusal(r: Exit, file: string, ...phrases: string[]) {
  expect(r.code).toBe(1);
  const lines = r.output.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Cannot start: /);
  expect(lines[0]).toContain(file);
  for (const p of phrases) expect(lines[0]).toContain(p);
  expect(r.output).not.toMatch(/\n\s+at /);
}

describe('one server per state folder', () => {
  let srv: ServerHandle;
  beforeAll(async () => {
    srv = await startServer({ seed: false });
  });
  afterAll(() => srv?.stop());

  it('refuses a second server on the same database at once, naming the PID that holds it', async () => {
    const second = await startExpectingExit({ ...srv.env, FTS_GRPC_PORT: undefined, FTS_HTTP_PORT: undefined });
    expectRefusal(second, path.join(srv.root, '.app'), `(PID ${srv.pid()})`, 'stop that server first');
    expect(second.ms).toBeLessThan(10_000);
    // The first server is untouched.
    await expect(srv.client.call('ListDatasets', {})).resolves.toBeDefined();
  });

  it('also when only the database is shared (another state folder, same FINE_TUNING_STUDIO_SQLITE_DB)', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-state-'));
    try {
      const second = await startExpectingExit({ ...srv.env, FTS_STATE_DIR: elsewhere, FINE_TUNING_STUDIO_SQLITE_DB: srv.dbPath });
      expectRefusal(second, `the database ${srv.dbPath}`, `(PID ${srv.pid()})`);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('after kill -9 of the holder, the lock is gone and a new server starts', async () => {
    const before = srv.pid();
    await srv.kill9();
    await srv.restart();
    expect(srv.pid()).not.toBe(before);
    await expect(srv.client.call('ListDatasets', {})).resolves.toBeDefined();
    expect(fs.readFileSync(path.join(srv.root, '.app/server.pid'), 'utf8').trim()).toBe(String(srv.pid()));
  });
});

describe('a bad database stops start-up with one sentence', () => {
  let base: string;
  let good: string;

  beforeAll(async () => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-baddb-')));
    fs.chmodSync(base, 0o755);
    // A real database of this build: created and migrated by the CLI's import.
    const env = { ...process.env, FTS_PROJECT_ROOT: base, FINE_TUNING_STUDIO_SQLITE_DB: path.join(base, 'good.db') };
    const r = await runCli(['import', path.resolve('tests/fixtures/original-export.json')], env);
    expect(r.code).toBe(0);
    good = path.join(base, 'good.db');
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  /** A project root whose .app/state.db is `prepare`'s file. */
  function projectWith(name: string, prepare: (db: string) => void): { env: NodeJS.ProcessEnv; db: string } {
    const root = path.join(base, name);
    fs.mkdirSync(path.join(root, '.app'), { recursive: true });
    const db = path.join(root, '.app/state.db');
    prepare(db);
    return { env: { FTS_PROJECT_ROOT: root, FTS_SEED: '0' }, db };
  }

  it('a truncated file', async () => {
    const { env, db } = projectWith('truncated', (db) => {
      fs.copyFileSync(good, db);
      fs.truncateSync(db, Math.floor(fs.statSync(db).size / 2));
    });
    expectRefusal(await startExpectingExit(env), db, 'is damaged', 'restore it from a backup');
  });

  it('a file that is not a database', async () => {
    const { env, db } = projectWith('not-a-db', (db) => fs.writeFileSync(db, 'id,name\n1,tickets\n'.repeat(500)));
    expectRefusal(await startExpectingExit(env), db, 'is not a SQLite database');
  });

  it('a database from a newer build (a migration this build does not know)', async () => {
    const { env, db } = projectWith('newer', (db) => {
      fs.copyFileSync(good, db);
      const d = new Database(db);
      d.prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)').run(4102444800000, 'FromTheFuture4102444800000');
      d.close();
    });
    const before = fs.readFileSync(db);
    expectRefusal(await startExpectingExit(env), db, 'newer build', 'FromTheFuture4102444800000');
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  });

  (READ_ONLY_TESTABLE ? it : it.skip)('a read-only database', async () => {
    const { env, db } = projectWith('read-only', (db) => fs.copyFileSync(good, db));
    fs.chmodSync(db, 0o444);
    // As root, the server runs as nobody, who may write the folder but not the file.
    if (ROOT_USER) {
      for (const dir of [path.dirname(db), path.dirname(path.dirname(db))]) fs.chownSync(dir, NOBODY, NOBODY);
    }
    expectRefusal(await startExpectingExit(env, ROOT_USER), db, 'is read-only', 'chmod u+w');
  });

  it('the CLI gives the same sentences', async () => {
    const { env, db } = projectWith('cli-newer', (db) => {
      fs.copyFileSync(good, db);
      const d = new Database(db);
      d.prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)').run(4102444800000, 'FromTheFuture4102444800000');
      d.close();
    });
    const r = await runCli(['events'], { ...process.env, ...env });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(r.stderr.trim().split('\n')[0]);
    expect(r.stderr).toContain(`fts events: the database ${db} was written by a newer build`);
  });
});
