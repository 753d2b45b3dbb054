/**
 * Uniqueness under contention: 8 clients (each its own channel) race to
 * create the same 500 prompt names, each attempt with its own id. Exactly
 * one attempt per name wins; every other gets ALREADY_EXISTS; the table
 * ends with exactly 500 rows, one per name, each the winner's.
 */
import { randomUUID } from 'node:crypto';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import type { Attempt, FtsClient, Msg } from './support/grpc-client.js';
import { addTicketsDataset, listAllEvents, pool, ticketPrompt } from './support/fixtures.js';

jest.setTimeout(300_000);

const CLIENTS = 8;
const NAMES = 500;
const IN_FLIGHT_PER_CLIENT = 4;

let srv: ServerHandle;
let datasetId: string;

beforeAll(async () => {
  srv = await startServer({ seed: false });
  datasetId = (await addTicketsDataset(srv.client, srv.root, 'race-tickets')).id;
});
afterAll(async () => {
  await srv?.stop();
});

/** A deterministic shuffle per client, so the clients collide in different orders. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed * 2654435761;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('8 clients racing for the same 500 prompt names', () => {
  const outcomes = new Map<string, { id: string; a: Attempt }[]>();

  beforeAll(async () => {
    const names = Array.from({ length: NAMES }, (_, i) => `race-${String(i).padStart(3, '0')}`);
    const clients: FtsClient[] = Array.from({ length: CLIENTS }, () => srv.newClient());
    await Promise.all(
      clients.map((client, ci) =>
        pool(ci % 2 ? shuffled(names, ci + 1) : ci % 4 ? [...names].reverse() : names, IN_FLIGHT_PER_CLIENT, async (name) => {
          const id = randomUUID();
          const a = await client.attempt('AddPrompt', { prompt: ticketPrompt(datasetId, name, id) }, { timeoutMs: 60_000 });
          const list = outcomes.get(name) ?? [];
          list.push({ id, a });
          outcomes.set(name, list);
        }),
      ),
    );
  });

  it('every attempt ends OK or ALREADY_EXISTS (nothing else: no ABORTED, UNKNOWN, INTERNAL)', () => {
    const codes = new Map<string, number>();
    for (const list of outcomes.values()) for (const { a } of list) codes.set(a.codeName, (codes.get(a.codeName) ?? 0) + 1);
    expect(Object.fromEntries(codes)).toEqual({ OK: NAMES, ALREADY_EXISTS: NAMES * (CLIENTS - 1) });
  });

  it('each name has exactly one winner, and the losers were told the name exists', () => {
    expect(outcomes.size).toBe(NAMES);
    for (const [name, list] of outcomes) {
      expect(list).toHaveLength(CLIENTS);
      expect(list.filter((o) => o.a.ok).length).toBe(1);
      for (const o of list) if (!o.a.ok) expect(o.a.details).toBe(`Prompt name '${name}' already exists.`);
    }
  });

  it('ListPrompts has exactly 500 rows with unique names, each with the winning id', async () => {
    const { prompts } = await srv.client.call('ListPrompts', {});
    expect(prompts).toHaveLength(NAMES);
    expect(new Set(prompts.map((p: Msg) => p.name)).size).toBe(NAMES);
    const winner = new Map([...outcomes].map(([name, list]) => [name, list.find((o) => o.a.ok)!.id]));
    for (const p of prompts as Msg[]) expect(p.id).toBe(winner.get(p.name));
  });

  it('the log holds exactly 500 PromptAdded events', async () => {
    const events = await listAllEvents(srv.client, { types: ['PromptAdded'] });
    expect(events).toHaveLength(NAMES);
    expect(new Set(events.map((e: Msg) => e.stream_id)).size).toBe(NAMES);
  });
});
