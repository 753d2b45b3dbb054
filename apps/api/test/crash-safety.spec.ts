/**
 * Crash safety: 4 clients write a burst of 300 AddPrompt; the server is
 * killed with SIGKILL mid-burst. After a restart every acknowledged write is
 * there, nothing half-written is, the database passes SQLite's integrity
 * check, and `fts replay --verify` finds the projections equal to a rebuild
 * from the log.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { runCli, startServer, type ServerHandle } from './support/server.js';
import type { Msg } from './support/grpc-client.js';
import { addTicketsDataset, listAllEvents, ticketPrompt } from './support/fixtures.js';

jest.setTimeout(300_000);

const require = createRequire(import.meta.url);
type SqliteDb = { pragma(s: string, o?: { simple: boolean }): unknown; prepare(s: string): { get(...a: unknown[]): unknown }; close(): void };
const Database = require('better-sqlite3') as new (file: string, opts?: { readonly?: boolean }) => SqliteDb;

const TOTAL = 300;
const CLIENTS = 4;
const KILL_AFTER_ACKS = 120;

let srv: ServerHandle;
let datasetId: string;
const sent = new Map<string, Msg>(); // id → request
const acked = new Map<string, Msg>(); // id → response
const failed: { id: string; code: string }[] = [];

beforeAll(async () => {
  srv = await startServer({ seed: false });
  datasetId = (await addTicketsDataset(srv.client, srv.root, 'crash-tickets')).id;
});
afterAll(async () => {
  await srv?.stop();
});

describe('kill -9 in the middle of a write burst', () => {
  let killedAt = -1;

  beforeAll(async () => {
    const perClient = TOTAL / CLIENTS;
    let killing: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, ci) => {
        const client = srv.newClient();
        for (let i = 0; i < perClient; i++) {
          const id = randomUUID();
          const req = ticketPrompt(datasetId, `crash-${ci}-${i}`, id);
          sent.set(id, req);
          const a = await client.attempt('AddPrompt', { prompt: req }, { timeoutMs: 20_000 });
          if (a.ok) acked.set(id, a.response.prompt);
          else failed.push({ id, code: a.codeName });
          if (acked.size >= KILL_AFTER_ACKS && !killing) {
            killedAt = acked.size;
            killing = srv.kill9();
          }
          if (!a.ok && killing) break; // this client saw the crash
        }
      }),
    );
    await killing;
  });

  it('the burst was really cut: some writes acknowledged, some not', () => {
    expect(killedAt).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acked.size).toBeLessThan(TOTAL);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(['UNAVAILABLE', 'CANCELLED', 'INTERNAL', 'DEADLINE_EXCEEDED', 'UNKNOWN']).toContain(f.code);
  });

  it('the database file passes PRAGMA integrity_check after the crash', () => {
    const db = new Database(srv.dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('after a restart every acknowledged write is present, exactly as acknowledged', async () => {
    await srv.restart();
    const c = srv.client;
    for (const [id, ack] of acked) {
      const r = await c.attempt('GetPrompt', { id });
      expect(r.ok ? r.response.prompt : { id, missing: r.codeName }).toEqual(ack);
    }
  });

  it('nothing else is there but whole rows of requests that were sent', async () => {
    const { prompts } = await srv.client.call('ListPrompts', {});
    expect(prompts.length).toBeGreaterThanOrEqual(acked.size);
    for (const p of prompts as Msg[]) {
      const req = sent.get(p.id);
      expect(req).toBeDefined();
      expect(p).toMatchObject(req!);
    }
    // Each row has exactly one PromptAdded event, and no event lacks its row.
    const events = await listAllEvents(srv.client, { types: ['PromptAdded'] });
    expect(events.length).toBe(prompts.length);
  });

  it('the server takes writes again after the restart', async () => {
    const id = randomUUID();
    const { prompt } = await srv.client.call('AddPrompt', { prompt: ticketPrompt(datasetId, 'after-restart', id) });
    expect(prompt.id).toBe(id);
  });

  it('`fts replay --verify` finds no difference between the projections and the log', async () => {
    await srv.kill9(); // a second crash, then verify the file as it was left
    const r = await runCli(['replay', '--verify'], { ...srv.env, FINE_TUNING_STUDIO_SQLITE_DB: srv.dbPath });
    expect({ code: r.code, out: (r.stdout + r.stderr).slice(-2000) }).toEqual({ code: 0, out: expect.any(String) });
  });

  it('and --verify is not vacuous: a projection row changed behind the log is reported (non-zero exit)', async () => {
    const db = new Database(srv.dbPath);
    try {
      const [id] = acked.keys();
      (db as unknown as { prepare(s: string): { run(...a: unknown[]): unknown } }).prepare('UPDATE prompts SET name = ? WHERE id = ?').run('tampered', id);
    } finally {
      db.close();
    }
    const r = await runCli(['replay', '--verify'], { ...srv.env, FINE_TUNING_STUDIO_SQLITE_DB: srv.dbPath });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stdout + r.stderr).toMatch(/prompts/);
  });
});
