/** Test data and small builders shared by the integration specs. */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type Attempt, type FtsClient, type Msg } from './grpc-client.js';

export const FIXTURES_DIR = path.join(REPO_ROOT, 'tests/fixtures');
/** The original's own ExportDatabase output (a copy of the spec's fixture, kept here so no test needs a folder outside the repo). */
export const ORIGINAL_EXPORT = path.join(FIXTURES_DIR, 'original-export.json');

/** The features of tests/fixtures/datasets/tickets.* */
export const TICKET_FEATURES = ['instruction', 'intent'];

/**
 * Id prefixes of the project defaults (behaviour.md §4), as the original
 * shipped them. This project seeds the Hugging Face dataset, the 3 models,
 * the SQL prompt and the 4 configs with these ids; the original's
 * "Ticketing Actions" CSV, its prompt and the 3 adapters point at files a
 * fresh project does not have and are not seeded. Instead, when
 * data/samples/support-tickets.csv is in the project, a sample dataset and
 * prompt are (SAMPLE below).
 */
export const SEED = {
  datasets: { sql: '8ba6f0d8' },
  models: { bloom: 'f1c3d635', llama: 'dcefe975', mistral: '804e3cf5' },
  prompts: { sql: '6dd9fb67' },
  configs: { lora: '2838f446', bnb: '8a994665', training: '6b60dc9c', generation: 'eb80976a' },
} as const;
export const SAMPLE_DATASET_LOCATION = 'data/samples/support-tickets.csv';
export const SAMPLE = { dataset: 'Support tickets', prompt: 'Support ticket intent' } as const;

/** Copies a fixture file into the project root (creating folders); returns the relative path. */
export function copyFixture(root: string, fixture: string, rel: string = fixture): string {
  const dest = path.join(root, rel);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(path.join(FIXTURES_DIR, fixture), dest);
  return rel;
}

export const uid = (prefix = '') => `${prefix}${randomUUID()}`;

/** Registers tests/fixtures/datasets/tickets.csv (copied into the root) as a project_csv dataset. */
export async function addTicketsDataset(client: FtsClient, root: string, name = uid('tickets-')): Promise<Msg> {
  const rel = copyFixture(root, 'datasets/tickets.csv', `data/${name}.csv`);
  const res = await client.call('AddDataset', { type: 'project_csv', location: rel, name });
  return res.dataset;
}

/** A valid PromptMetadata for a dataset with the tickets features. */
export function ticketPrompt(datasetId: string, name = uid('prompt-'), id = randomUUID()): Msg {
  return {
    id,
    type: 'in_place',
    name,
    dataset_id: datasetId,
    prompt_template: 'Instruction: {instruction}\nIntent: {intent}\n',
    input_template: 'Instruction: {instruction}\nIntent: ',
    completion_template: '{intent}\n',
  };
}

/** Statuses a malformed/unknown-input request may get (never UNKNOWN or INTERNAL). */
export const CLEAN_REFUSALS = ['INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'FAILED_PRECONDITION', 'UNAVAILABLE'];

export function describeAttempt(a: Attempt): string {
  return a.ok ? 'OK' : `${a.codeName}: ${a.details}`;
}

/** Runs `fn` over `items` with at most `n` in flight. */
export async function pool<T, R>(items: T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/** Every event matching `filter`, paging through ListEvents (a page is capped by the server). */
export async function listAllEvents(client: FtsClient, filter: Msg = {}): Promise<Msg[]> {
  const out: Msg[] = [];
  let after = Number(filter.after_position ?? 0);
  for (let page = 0; page < 10_000; page++) {
    const { events, last_position } = await client.call('ListEvents', { ...filter, after_position: after, limit: 1000 });
    if (events.length === 0) break;
    out.push(...events);
    after = last_position;
  }
  return out;
}
