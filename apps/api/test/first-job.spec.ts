/**
 * A new user's first training job, through the HTTP API the console uses, in
 * a fresh project root: the form's default Output Location (`data/adapters/`,
 * which no fresh project has) is accepted and the folder created for it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { REPO_ROOT } from './support/grpc-client.js';
import { SEED } from './support/fixtures.js';
import { startServer, type ServerHandle } from './support/server.js';

jest.setTimeout(120_000);

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The training form's default Output Location, read from the form so the two cannot drift apart. */
const FORM = path.join(REPO_ROOT, 'apps/web/src/app/features/jobs/pages/train-adapter.ts');
const FORM_OUTPUT_DIR = /\boutputDir = '([^']*)'/.exec(fs.readFileSync(FORM, 'utf8'))?.[1];

describe('the first training job in a fresh project', () => {
  let srv: ServerHandle;
  /** The seeded model, dataset and prompt a new user picks. */
  let seeded: { model: string; dataset: string; prompt: string };
  beforeAll(async () => {
    srv = await startServer({
      env: {
        FTS_JOB_TEMPLATE: path.join(REPO_ROOT, 'job-templates/testing/progress_only.py'),
        FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({ steps: 2, interval_s: 0.1 }),
      },
    });
    const idOf = async (rpc: string, list: string, prefix: string) =>
      ((await srv.client.call(rpc, {}))[list] as J[]).find((r) => String(r.id).startsWith(prefix))!.id as string;
    seeded = {
      model: await idOf('ListModels', 'models', SEED.models.bloom),
      dataset: await idOf('ListDatasets', 'datasets', SEED.datasets.sql),
      prompt: await idOf('ListPrompts', 'prompts', SEED.prompts.sql),
    };
  });
  afterAll(() => srv?.stop());

  async function post(url: string, body: unknown): Promise<{ status: number; json: J }> {
    const res = await fetch(`${srv.httpUrl}/api${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as J };
  }

  const job = (over: J = {}) => ({
    adapter_name: 'first-adapter',
    base_model_id: seeded.model,
    dataset_id: seeded.dataset,
    prompt_id: seeded.prompt,
    num_workers: 1,
    auto_add_adapter: true,
    num_epochs: 1,
    learning_rate: 2e-4,
    cpu: 2,
    gpu: 0,
    memory: 8,
    train_test_split: 0.9,
    dataset_fraction: 1,
    output_dir: FORM_OUTPUT_DIR,
    framework_type: 'legacy',
    ...over,
  });

  it("starts with the form's default output location, which the studio creates", async () => {
    expect(FORM_OUTPUT_DIR).toBe('data/adapters/'); // if the form's default moves, the server's (STUDIO_ADAPTERS_DIR) must move with it
    expect(fs.existsSync(path.join(srv.root, 'data/adapters'))).toBe(false);
    const r = await post('/fine-tuning-jobs', job());
    expect(r.status).toBe(201);
    expect(r.json.fine_tuning_job).toMatchObject({ adapter_name: 'first-adapter', out_dir: 'data/adapters' });
    expect(fs.statSync(path.join(srv.root, 'data/adapters')).isDirectory()).toBe(true);
  });

  it('still refuses any other output folder that does not exist, with the original sentence', async () => {
    const r = await post('/fine-tuning-jobs', job({ adapter_name: 'second-adapter', output_dir: 'data/elsewhere/' }));
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json)).toContain('Output Location must be a valid folder directory.');
    expect(fs.existsSync(path.join(srv.root, 'data/elsewhere'))).toBe(false);
  });
});
