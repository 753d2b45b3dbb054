/**
 * `fts replay --verify` after a mixed workload of more than 10,000 events
 * through the real server: every kind of catalog write, removals, a cascade,
 * idempotent retries, jobs and an import. The projections must equal a
 * rebuild from position 0, before and after a real replay swaps them in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, runCli, type ServerHandle } from './support/server.js';
import type { FtsClient, Msg } from './support/grpc-client.js';
import { ORIGINAL_EXPORT, uid } from './support/fixtures.js';

const TARGET_EVENTS = 10_000;

async function eventCount(c: FtsClient): Promise<number> {
  let n = 0;
  for (let after = 0; ; ) {
    const page = await c.call('ListEvents', { after_position: after, limit: 10_000 });
    if (!page.events.length) return n;
    n += page.events.length;
    after = page.last_position;
  }
}

describe('replay --verify after a mixed workload of 10,000+ events', () => {
  let srv: ServerHandle;
  beforeAll(async () => {
    srv = await startServer({ seed: true, env: { FTS_JOB_TEMPLATE: '/bin/true' } });
  }, 120_000);
  afterAll(() => srv?.stop());

  it('rebuilds projections identical to the live tables', async () => {
    const c = srv.client;
    const root = srv.root;
    fs.mkdirSync(path.join(root, 'data/mixed'), { recursive: true });
    fs.mkdirSync(path.join(root, 'adapters'), { recursive: true });
    const { models } = await c.call('ListModels', {});
    await c.call('ImportDatabase', { imported_json: fs.readFileSync(ORIGINAL_EXPORT, 'utf8') });
    let round = 0;
    while ((await eventCount(c)) < TARGET_EVENTS && round < 200) {
      round++;
      const file = `data/mixed/d${round}.csv`;
      fs.writeFileSync(path.join(root, file), `"instruction","intent"\n"q${round}","a${round}"\n`);
      const { dataset } = await c.call('AddDataset', { type: 'project_csv', name: uid('ds-'), location: file });
      const batch: Promise<Msg>[] = [];
      for (let i = 0; i < 40; i++) {
        batch.push(
          c.call(
            'AddPrompt',
            {
              prompt: {
                id: uid('p-'),
                name: uid('prompt-'),
                dataset_id: dataset.id,
                prompt_template: '{instruction} {intent}',
                input_template: '{instruction}',
                completion_template: '{intent}',
              },
            },
            { 'idempotency-key': `r${round}-p${i}` },
          ),
        );
      }
      const prompts = await Promise.all(batch);
      for (const p of prompts.slice(0, 10)) await c.call('RemovePrompt', { id: p.prompt.id });
      await c.call('AddConfig', { type: 'lora_config', config: JSON.stringify({ r: round, lora_alpha: 2 * round }), description: `round ${round}` });
      fs.mkdirSync(path.join(root, `adapters/a${round}`), { recursive: true });
      await c.call('AddAdapter', { name: `adapter-${round}`, model_id: models[0].id, location: `adapters/a${round}`, prompt_id: prompts[20].prompt.id });
      const { fine_tuning_job: job } = await c.call('StartFineTuningJob', {
        adapter_name: `job-${round}`, base_model_id: models[0].id, dataset_id: dataset.id, prompt_id: prompts[20].prompt.id,
        num_workers: 1, num_epochs: 1, learning_rate: 0.001, cpu: 1, gpu: 0, memory: 1, train_test_split: 0.9, dataset_fraction: 1,
      });
      void job;
      if (round % 3 === 0) await c.call('RemoveDataset', { id: dataset.id, remove_prompts: true });
    }
    const events = await eventCount(c);
    expect(events).toBeGreaterThanOrEqual(TARGET_EVENTS);
    await srv.kill9();
    const env = { ...srv.env, FINE_TUNING_STUDIO_SQLITE_DB: srv.dbPath };
    const verify = await runCli(['replay', '--verify'], env, 300_000);
    expect({ code: verify.code, out: verify.stdout.slice(-500) + verify.stderr.slice(-500) }).toMatchObject({ code: 0 });
    const replay = await runCli(['replay'], env, 300_000);
    expect(replay.code).toBe(0);
    console.log(`replay of ${events} mixed events: ${replay.stdout.trim().split('\n').pop()}`);
    const again = await runCli(['replay', '--verify'], env, 300_000);
    expect(again.code).toBe(0);
  }, 600_000);
});
