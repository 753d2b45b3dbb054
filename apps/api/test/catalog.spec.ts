/**
 * Catalog walk: every RPC of the service, from the outside, against one
 * seeded server. Happy paths first, then each validation rule of the
 * original (spec/behaviour.md §1) with its status code (design.md "Errors")
 * and, where the original had one, its message text, because the original
 * Python client shows `details` to its users.
 */
import fs from 'node:fs';
import path from 'node:path';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import type { FtsClient, Msg } from './support/grpc-client.js';
import { expectOk, expectStatus } from './support/expect-status.js';
import { copyFixture, listAllEvents, ORIGINAL_EXPORT, SAMPLE, SAMPLE_DATASET_LOCATION, SEED, ticketPrompt, TICKET_FEATURES, uid } from './support/fixtures.js';

jest.setTimeout(120_000);

const f32 = Math.fround;
const JOB_STATES = ['queued', 'dispatching', 'scheduling', 'running', 'cancelling', 'succeeded', 'failed', 'cancelled'];
const TABLES = ['datasets', 'models', 'prompts', 'adapters', 'fine_tuning_jobs', 'evaluation_jobs', 'configs'];
/** Missing rows that a request refers to: NOT_FOUND (design.md), FAILED_PRECONDITION tolerated for references. */
const MISSING_REF = ['NOT_FOUND', 'FAILED_PRECONDITION'];

let srv: ServerHandle;
let c: FtsClient;

/** Memoised async fixture: computed on first use, so one missing slice fails only the tests that need it. */
function lazy<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

const csvDataset = lazy(async () => {
  const name = 'Walk tickets';
  const location = copyFixture(srv.root, 'datasets/tickets.csv', 'data/walk/tickets.csv');
  return expectOk(await c.attempt('AddDataset', { type: 'project_csv', location, name })).dataset as Msg;
});
const hfModel = lazy(async () => expectOk(await c.attempt('AddModel', { type: 'huggingface', huggingface_name: 'test-org/tiny-llama' })).model as Msg);
const walkPrompt = lazy(async () => {
  const ds = await csvDataset();
  return expectOk(await c.attempt('AddPrompt', { prompt: ticketPrompt(ds.id, 'Walk prompt') })).prompt as Msg;
});
const outputDir = () => {
  fs.mkdirSync(path.join(srv.root, 'outputs'), { recursive: true });
  return 'outputs';
};

const walkAdapter = lazy(async () => {
  const [m, p] = [await hfModel(), await walkPrompt()];
  fs.mkdirSync(path.join(srv.root, 'adapters/walk-adapter'), { recursive: true });
  const req = { type: 'project', name: 'walk-adapter', model_id: m.id, location: 'adapters/walk-adapter', prompt_id: p.id };
  return { req, adapter: expectOk(await c.attempt('AddAdapter', req)).adapter as Msg };
});

beforeAll(async () => {
  // The sample CSV is in the project, so the sample dataset and prompt are seeded too.
  srv = await startServer({ seed: true, prepareRoot: (root) => copyFixture(root, 'datasets/tickets.csv', SAMPLE_DATASET_LOCATION) });
  c = srv.client;
});
afterAll(async () => {
  await srv?.stop();
});

// ---------------------------------------------------------------- seeded defaults

describe('project defaults (seed on)', () => {
  const byPrefix = (rows: Msg[], prefix: string) => rows.find((r) => String(r.id).startsWith(prefix));

  it('ListDatasets returns the default Hugging Face dataset and the sample CSV, in creation order', async () => {
    const { datasets } = await c.call('ListDatasets', {});
    const sql = byPrefix(datasets, SEED.datasets.sql);
    const sample = datasets.find((d: Msg) => d.name === SAMPLE.dataset);
    expect(sql).toMatchObject({ type: 'huggingface', name: 'philschmid/sql-create-context-copy', huggingface_name: 'philschmid/sql-create-context-copy' });
    expect(sql!.features).toBe('["question", "answer", "context"]');
    expect(sample).toMatchObject({ type: 'project_csv', location: SAMPLE_DATASET_LOCATION });
    expect(JSON.parse(sample!.features)).toEqual(TICKET_FEATURES);
    expect(datasets.indexOf(sql)).toBeLessThan(datasets.indexOf(sample));
  });

  it('ListModels returns the 3 default Hugging Face models', async () => {
    const { models } = await c.call('ListModels', {});
    for (const [prefix, name] of [
      [SEED.models.bloom, 'bigscience/bloom-1b1'],
      [SEED.models.llama, 'NousResearch/Llama-2-7b-hf'],
      [SEED.models.mistral, 'unsloth/mistral-7b-instruct-v0.3'],
    ]) {
      expect(byPrefix(models, prefix)).toMatchObject({ type: 'huggingface', name, huggingface_model_name: name });
    }
  });

  it('ListPrompts returns the default SQL prompt and the sample prompt on their datasets', async () => {
    const { prompts, } = await c.call('ListPrompts', {});
    const { datasets } = await c.call('ListDatasets', {});
    expect(byPrefix(prompts, SEED.prompts.sql)).toMatchObject({ name: 'SQL Creation', type: 'in_place', completion_template: '{answer}' });
    expect(byPrefix(prompts, SEED.prompts.sql)!.dataset_id.startsWith(SEED.datasets.sql)).toBe(true);
    const sample = prompts.find((p: Msg) => p.name === SAMPLE.prompt);
    expect(sample).toMatchObject({ type: 'in_place', completion_template: '{intent}' });
    expect(sample.dataset_id).toBe(datasets.find((d: Msg) => d.name === SAMPLE.dataset).id);
  });

  it('ListAdapters answers (the original defaults adapters have no folders here and are not seeded)', async () => {
    const { adapters } = await c.call('ListAdapters', {});
    expect(Array.isArray(adapters)).toBe(true);
  });

  it('ListConfigs returns the 4 default configs, normalised, is_default 1', async () => {
    const { configs } = await c.call('ListConfigs', {});
    const lora = byPrefix(configs, SEED.configs.lora);
    expect(lora).toMatchObject({ type: 'lora_config', is_default: 1 });
    expect(lora!.config).toBe('{"r": 16, "lora_alpha": 32, "lora_dropout": 0.05, "bias": "none", "task_type": "CAUSAL_LM"}');
    expect(byPrefix(configs, SEED.configs.bnb)).toMatchObject({ type: 'bitsandbytes_config', is_default: 1 });
    expect(byPrefix(configs, SEED.configs.training)).toMatchObject({ type: 'training_arguments', is_default: 1 });
    expect(byPrefix(configs, SEED.configs.generation)).toMatchObject({ type: 'generation_config', is_default: 1 });
  });

  it('starts with no jobs', async () => {
    expect((await c.call('ListFineTuningJobs', {})).fine_tuning_jobs).toEqual([]);
    expect((await c.call('ListEvaluationJobs', {})).evaluation_jobs).toEqual([]);
  });
});

// ---------------------------------------------------------------- datasets

describe('datasets', () => {
  it('AddDataset project_csv reads the quoted CSV header as features', async () => {
    const ds = await csvDataset();
    expect(ds).toMatchObject({ type: 'project_csv', name: 'Walk tickets', location: 'data/walk/tickets.csv', description: 'data/walk/tickets.csv' });
    expect(ds.features).toBe('["instruction", "intent"]');
    expect(ds.id).toMatch(/\S/);
  });

  it('GetDataset returns what AddDataset returned; ListDatasets lists it last', async () => {
    const ds = await csvDataset();
    expect((await c.call('GetDataset', { id: ds.id })).dataset).toEqual(ds);
    const { datasets } = await c.call('ListDatasets', {});
    expect(datasets.map((d: Msg) => d.id)).toContain(ds.id);
  });

  it.each([
    ['project_json', 'datasets/tickets.json', 'data/walk/tickets.json'],
    ['project_jsonl', 'datasets/tickets.jsonl', 'data/walk/tickets.jsonl'],
  ])('AddDataset %s reads the first record keys as features', async (type, fixture, rel) => {
    copyFixture(srv.root, fixture, rel);
    const { dataset } = await c.call('AddDataset', { type, location: rel, name: `Walk ${type}` });
    expect(dataset).toMatchObject({ type, location: rel });
    expect(JSON.parse(dataset.features)).toEqual(TICKET_FEATURES);
  });

  it('AddDataset huggingface asks the Hub for the features and stores the stripped name', async () => {
    const { dataset } = await c.call('AddDataset', { type: 'huggingface', huggingface_name: '  test-org/tiny-instructions ' });
    expect(dataset).toMatchObject({ type: 'huggingface', name: 'test-org/tiny-instructions', huggingface_name: 'test-org/tiny-instructions' });
    expect(dataset.features).toBe('["instruction", "response"]');
    expect(srv.hub!.requests.some((r) => r.startsWith('GET /api/datasets/test-org/tiny-instructions'))).toBe(true);
  });

  describe('AddDataset refusals (original messages)', () => {
    it.each<[string, Msg, string, string | RegExp]>([
      ['no type', { type: '', huggingface_name: 'a/b' }, 'INVALID_ARGUMENT', "Field 'type' is required in AddDatasetRequest."],
      ['huggingface without a name', { type: 'huggingface' }, 'INVALID_ARGUMENT', "Field 'huggingface_name' is required in AddDatasetRequest."],
      ['huggingface blank name', { type: 'huggingface', huggingface_name: '   ' }, 'INVALID_ARGUMENT', 'Dataset name cannot be an empty string or only spaces.'],
      ['huggingface duplicate', { type: 'huggingface', huggingface_name: 'philschmid/sql-create-context-copy' }, 'ALREADY_EXISTS', "Dataset with name 'philschmid/sql-create-context-copy' of type huggingface already exists."],
      ['huggingface unknown on the Hub', { type: 'huggingface', huggingface_name: 'nobody/no-such-dataset' }, 'NOT_FOUND', /^Failed to add dataset\./],
      ['csv without the suffix', { type: 'project_csv', location: 'data/x.txt', name: 'x' }, 'INVALID_ARGUMENT', 'Dataset data/x.txt does not end with .csv'],
      ['json without the suffix', { type: 'project_json', location: 'data/x.csv', name: 'x' }, 'INVALID_ARGUMENT', 'Dataset data/x.csv does not end with .json'],
      ['jsonl without the suffix', { type: 'project_jsonl', location: 'data/x.json', name: 'x' }, 'INVALID_ARGUMENT', 'Dataset data/x.json does not end with .jsonl'],
      ['csv blank name', { type: 'project_csv', location: 'data/walk/tickets.csv', name: '  ' }, 'INVALID_ARGUMENT', 'Dataset name cannot be an empty string or only spaces.'],
      ['csv duplicate name', { type: 'project_csv', location: 'data/walk/tickets.csv', name: 'Walk tickets' }, 'ALREADY_EXISTS', "Dataset with name 'Walk tickets' of type project_csv already exists."],
      ['unsupported type', { type: 'parquet', location: 'x.parquet', name: 'x' }, 'INVALID_ARGUMENT', "Dataset of type 'parquet' is not supported."],
      ['a file that does not exist', { type: 'project_csv', location: 'data/missing.csv', name: 'missing' }, 'NOT_FOUND', /data\/missing\.csv/],
      ['a path outside the project', { type: 'project_csv', location: '../outside.csv', name: 'outside' }, 'INVALID_ARGUMENT', /outside/],
      ['an absolute path outside the project', { type: 'project_csv', location: '/etc/passwd.csv', name: 'passwd' }, 'INVALID_ARGUMENT', /outside/],
    ])('%s', async (_label, req, code, details) => {
      if (req.location === 'data/walk/tickets.csv') await csvDataset();
      expectStatus(await c.attempt('AddDataset', req), code, details);
    });
  });

  it('GetDataset of an unknown id is NOT_FOUND', async () => {
    expectStatus(await c.attempt('GetDataset', { id: 'no-such-dataset' }), 'NOT_FOUND', "Dataset with ID 'no-such-dataset' does not exist.");
  });

  it('RemoveDataset keeps its prompts unless remove_prompts is set', async () => {
    const mk = async (name: string) => {
      const location = copyFixture(srv.root, 'datasets/tickets.csv', `data/rm/${name}.csv`);
      return (await c.call('AddDataset', { type: 'project_csv', location, name })).dataset as Msg;
    };
    const keep = await mk('rm-keep');
    const drop = await mk('rm-drop');
    const p1 = (await c.call('AddPrompt', { prompt: ticketPrompt(keep.id, uid('rm-keep-')) })).prompt;
    const p2 = (await c.call('AddPrompt', { prompt: ticketPrompt(drop.id, uid('rm-drop-')) })).prompt;

    await c.call('RemoveDataset', { id: keep.id, remove_prompts: false });
    expectStatus(await c.attempt('GetDataset', { id: keep.id }), 'NOT_FOUND');
    expect((await c.call('GetPrompt', { id: p1.id })).prompt.id).toBe(p1.id);

    await c.call('RemoveDataset', { id: drop.id, remove_prompts: true });
    expectStatus(await c.attempt('GetDataset', { id: drop.id }), 'NOT_FOUND');
    expectStatus(await c.attempt('GetPrompt', { id: p2.id }), 'NOT_FOUND');
  });

  it('GetDatasetSplitByAdapter falls back to {1.0, 0.9} for an adapter no job made', async () => {
    const { adapter } = await walkAdapter();
    const { response } = await c.call('GetDatasetSplitByAdapter', { adapter_id: adapter.id });
    expect(response).toEqual({ dataset_fraction: 1, train_test_split: f32(0.9) });
    // An id that names no adapter at all: the defaults (as the original) or NOT_FOUND (design.md).
    const r = await c.attempt('GetDatasetSplitByAdapter', { adapter_id: 'no-such-adapter' });
    if (r.ok) expect(r.response.response).toEqual({ dataset_fraction: 1, train_test_split: f32(0.9) });
    else expectStatus(r, 'NOT_FOUND', "Adapter with ID 'no-such-adapter' does not exist.");
  });
});

// ---------------------------------------------------------------- models

describe('models', () => {
  it('AddModel huggingface checks the Hub and records the architecture', async () => {
    const m = await hfModel();
    expect(m).toMatchObject({ type: 'huggingface', name: 'test-org/tiny-llama', huggingface_model_name: 'test-org/tiny-llama' });
    expect(m.model_family).toBe('LlamaForCausalLM');
    expect((await c.call('GetModel', { id: m.id })).model).toEqual(m);
    expect((await c.call('ListModels', {})).models.map((x: Msg) => x.id)).toContain(m.id);
  });

  it('AddModel project registers a model folder inside the project', async () => {
    const dir = path.join(srv.root, 'models/tiny-gpt2');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ architectures: ['GPT2LMHeadModel'], model_type: 'gpt2' }));
    const { model } = await c.call('AddModel', { type: 'project', location: 'models/tiny-gpt2', name: 'tiny-gpt2' });
    expect(model).toMatchObject({ type: 'project', name: 'tiny-gpt2', location: 'models/tiny-gpt2', model_family: 'GPT2LMHeadModel' });
  });

  it.each<[string, Msg, string | string[], string | RegExp]>([
    ['no type', { huggingface_name: 'a/b' }, 'INVALID_ARGUMENT', "Field 'type' is required in AddModelRequest."],
    ['blank name', { type: 'huggingface', huggingface_name: '  ' }, 'INVALID_ARGUMENT', 'Hugging Face model name cannot be an empty string or only spaces.'],
    ['duplicate', { type: 'huggingface', huggingface_name: ' bigscience/bloom-1b1 ' }, 'ALREADY_EXISTS', "Model with name 'bigscience/bloom-1b1' already exists."],
    ['unknown on the Hub', { type: 'huggingface', huggingface_name: 'nobody/no-such-model' }, 'NOT_FOUND', /^ERROR: Failed to load Hugging Face model\./],
    ['unknown type', { type: 'onnx-zoo', huggingface_name: 'a/b' }, 'INVALID_ARGUMENT', 'ERROR: Cannot import model of this type.'],
    ['model_registry without CML', { type: 'model_registry', huggingface_name: 'x', model_registry_id: 'reg-1' }, ['FAILED_PRECONDITION', 'UNAVAILABLE', 'NOT_FOUND'], /\S/],
    ['project folder outside the root', { type: 'project', location: '../elsewhere', name: 'x' }, 'INVALID_ARGUMENT', /outside/],
  ])('AddModel refuses: %s', async (_l, req, code, details) => {
    expectStatus(await c.attempt('AddModel', req), code, details);
  });

  it('GetModel / RemoveModel', async () => {
    expectStatus(await c.attempt('GetModel', { id: 'no-such-model' }), 'NOT_FOUND', "Model with ID 'no-such-model' does not exist.");
    const { model } = await c.call('AddModel', { type: 'huggingface', huggingface_name: 'unsloth/mistral-7b-instruct-v0.3-copy' }).catch(async () => {
      srv.hub!.models.set('test-org/to-remove', { architectures: ['MistralForCausalLM'] });
      return c.call('AddModel', { type: 'huggingface', huggingface_name: 'test-org/to-remove' });
    });
    await c.call('RemoveModel', { id: model.id });
    expectStatus(await c.attempt('GetModel', { id: model.id }), 'NOT_FOUND');
  });

  describe('ExportModel', () => {
    const base = async () => {
      const m = await hfModel();
      const { adapter } = await walkAdapter();
      return { type: 'model_registry', base_model_id: m.id, adapter_id: adapter.id, model_name: 'walk-export' };
    };
    it('refuses an unsupported type with the original message', async () => {
      expectStatus(await c.attempt('ExportModel', { ...(await base()), type: 'tarball' }), 'INVALID_ARGUMENT', "Model export of type 'tarball' is not supported.");
    });
    it.each(['base_model_id', 'adapter_id', 'model_name'])('requires %s', async (field) => {
      expectStatus(await c.attempt('ExportModel', { ...(await base()), [field]: '' }), 'INVALID_ARGUMENT', new RegExp(`^Field '${field}' is required in \\w+Request\\.$`));
    });
    it('refuses blank fields', async () => {
      expectStatus(await c.attempt('ExportModel', { ...(await base()), model_name: '   ' }), 'INVALID_ARGUMENT', "Field 'model_name' cannot be an empty string or only spaces.");
    });
    it('refuses an unknown model or adapter', async () => {
      expectStatus(await c.attempt('ExportModel', { ...(await base()), base_model_id: 'no-model' }), MISSING_REF, "Model with ID 'no-model' does not exist.");
      expectStatus(await c.attempt('ExportModel', { ...(await base()), adapter_id: 'no-adapter' }), MISSING_REF, "Adapter with ID 'no-adapter' does not exist.");
    });
    it('answers a valid cml_model export with OK or a clean refusal (no CML configured)', async () => {
      const r = await c.attempt('ExportModel', { ...(await base()), type: 'cml_model' });
      if (r.ok) expect(r.response).toMatchObject({ base_model_id: (await base()).base_model_id });
      else expectStatus(r, ['FAILED_PRECONDITION', 'UNAVAILABLE']);
    });
  });
});

// ---------------------------------------------------------------- adapters

describe('adapters', () => {
  const adapterDir = (name: string) => {
    fs.mkdirSync(path.join(srv.root, 'adapters', name), { recursive: true });
    return `adapters/${name}`;
  };

  it('AddAdapter registers a project folder; Get/List return it', async () => {
    const { req, adapter } = await walkAdapter();
    expect(adapter).toMatchObject({ ...req, huggingface_name: '', fine_tuning_job_id: '' });
    expect((await c.call('GetAdapter', { id: adapter.id })).adapter).toEqual(adapter);
    expect((await c.call('ListAdapters', {})).adapters.map((a: Msg) => a.id)).toContain(adapter.id);
  });

  it.each<[string, (m: Msg) => Msg, string | string[], string | RegExp]>([
    ['no name', (m) => ({ model_id: m.id, location: 'adapters/x' }), 'INVALID_ARGUMENT', "Field 'name' is required in AddAdapterRequest."],
    ['no model_id', () => ({ name: 'x', location: 'adapters/x' }), 'INVALID_ARGUMENT', "Field 'model_id' is required in AddAdapterRequest."],
    ['no location', (m) => ({ name: 'x', model_id: m.id }), 'INVALID_ARGUMENT', "Field 'location' is required in AddAdapterRequest."],
    ['blank name', (m) => ({ name: '  ', model_id: m.id, location: 'adapters/x' }), 'INVALID_ARGUMENT', "Field 'name' cannot be an empty string or only spaces."],
    ['location not a folder', (m) => ({ name: 'x', model_id: m.id, location: 'adapters/not-there' }), ['INVALID_ARGUMENT', 'NOT_FOUND'], "Location 'adapters/not-there' must be a valid directory."],
    ['location outside the project', (m) => ({ name: 'x', model_id: m.id, location: '/etc' }), 'INVALID_ARGUMENT', /outside|valid directory/],
    ['unknown model', () => ({ name: 'x', model_id: 'no-model', location: 'adapters/ok-dir' }), MISSING_REF, "Model with ID 'no-model' does not exist."],
    ['duplicate name', (m) => ({ name: 'walk-adapter', model_id: m.id, location: 'adapters/ok-dir' }), 'ALREADY_EXISTS', "An adapter with the name 'walk-adapter' already exists."],
    ['unknown job', (m) => ({ name: 'x', model_id: m.id, location: 'adapters/ok-dir', fine_tuning_job_id: 'no-job' }), MISSING_REF, "Fine Tuning Job with ID 'no-job' does not exist."],
    ['unknown prompt', (m) => ({ name: 'x', model_id: m.id, location: 'adapters/ok-dir', prompt_id: 'no-prompt' }), MISSING_REF, "Prompt with ID 'no-prompt' does not exist."],
  ])('AddAdapter refuses: %s', async (_l, req, code, details) => {
    adapterDir('ok-dir');
    const m = await hfModel();
    expectStatus(await c.attempt('AddAdapter', { type: 'project', ...req(m) }), code, details);
  });

  it('GetAdapter unknown / RemoveAdapter', async () => {
    expectStatus(await c.attempt('GetAdapter', { id: 'no-adapter' }), 'NOT_FOUND', "Adapter with ID 'no-adapter' does not exist.");
    const m = await hfModel();
    const { adapter } = await c.call('AddAdapter', { type: 'project', name: 'to-remove', model_id: m.id, location: adapterDir('to-remove') });
    await c.call('RemoveAdapter', { id: adapter.id });
    expectStatus(await c.attempt('GetAdapter', { id: adapter.id }), 'NOT_FOUND');
    expect(fs.existsSync(path.join(srv.root, 'adapters/to-remove'))).toBe(true); // files stay
  });
});

// ---------------------------------------------------------------- prompts

describe('prompts', () => {
  it('AddPrompt returns the prompt as sent; Get/List return it', async () => {
    const ds = await csvDataset();
    const req = ticketPrompt(ds.id, 'Walk prompt 2');
    const { prompt } = await c.call('AddPrompt', { prompt: req });
    expect(prompt).toMatchObject(req);
    expect((await c.call('GetPrompt', { id: req.id })).prompt).toEqual(prompt);
    const { prompts } = await c.call('ListPrompts', {});
    expect(prompts[prompts.length - 1].id).toBe(req.id);
  });

  it.each(['id', 'name', 'dataset_id', 'prompt_template', 'input_template', 'completion_template'])(
    'AddPrompt requires %s',
    async (field) => {
      const ds = await csvDataset();
      const req = { ...ticketPrompt(ds.id), [field]: '' };
      expectStatus(await c.attempt('AddPrompt', { prompt: req }), 'INVALID_ARGUMENT', `Field '${field}' is required in PromptMetadata.`);
    },
  );

  it('AddPrompt refuses a blank name, a duplicate name (stripped) and a duplicate id', async () => {
    const ds = await csvDataset();
    const p = await walkPrompt();
    expectStatus(await c.attempt('AddPrompt', { prompt: ticketPrompt(ds.id, '   ') }), 'INVALID_ARGUMENT', 'Prompt name cannot be an empty string or only spaces.');
    expectStatus(await c.attempt('AddPrompt', { prompt: ticketPrompt(ds.id, '  Walk prompt ') }), 'ALREADY_EXISTS', "Prompt name 'Walk prompt' already exists.");
    expectStatus(await c.attempt('AddPrompt', { prompt: ticketPrompt(ds.id, uid('other-'), p.id) }), 'ALREADY_EXISTS');
    expectStatus(await c.attempt('AddPrompt', {}), 'INVALID_ARGUMENT');
  });

  it('GetPrompt unknown / RemovePrompt', async () => {
    expectStatus(await c.attempt('GetPrompt', { id: 'no-prompt' }), 'NOT_FOUND', "Prompt with ID 'no-prompt' does not exist.");
    const ds = await csvDataset();
    const { prompt } = await c.call('AddPrompt', { prompt: ticketPrompt(ds.id) });
    await c.call('RemovePrompt', { id: prompt.id });
    expectStatus(await c.attempt('GetPrompt', { id: prompt.id }), 'NOT_FOUND');
  });
});

// ---------------------------------------------------------------- configs

describe('configs', () => {
  it('ListConfigs filters on type', async () => {
    const { configs } = await c.call('ListConfigs', { type: 'lora_config' });
    expect(configs.length).toBeGreaterThan(0);
    expect(configs.every((x: Msg) => x.type === 'lora_config')).toBe(true);
  });

  it('AddConfig normalises JSON like Python json.dumps and is a content-addressed cache', async () => {
    const first = (await c.call('AddConfig', { type: 'lora_config', config: '{"r":8,"lora_alpha":16,"lora_dropout":0.00001,"name":"é"}' })).config;
    expect(first).toMatchObject({ type: 'lora_config', is_default: 0 });
    expect(first.config).toBe('{"r": 8, "lora_alpha": 16, "lora_dropout": 1e-05, "name": "\\u00e9"}');
    const before = (await c.call('ListConfigs', {})).configs.length;
    const again = (await c.call('AddConfig', { type: 'lora_config', config: '{ "r": 8, "lora_alpha": 16, "lora_dropout": 1e-5, "name": "\\u00e9" }' })).config;
    expect(again.id).toBe(first.id);
    expect((await c.call('ListConfigs', {})).configs.length).toBe(before);
    expect((await c.call('GetConfig', { id: first.id })).config).toEqual(first);
  });

  it('AddConfig with the content of a default returns the default', async () => {
    const { config } = await c.call('AddConfig', {
      type: 'lora_config',
      config: '{"r": 16, "lora_alpha": 32, "lora_dropout": 0.05, "bias": "none", "task_type": "CAUSAL_LM"}',
    });
    expect(config.id.startsWith(SEED.configs.lora)).toBe(true);
  });

  it('AddConfig axolotl stores sorted block YAML with None as empty', async () => {
    const { config } = await c.call('AddConfig', { type: 'axolotl', config: 'flash_attention:\nbase_model: tinyllama\n' });
    expect(config.config).toBe('base_model: tinyllama\nflash_attention:\n');
  });

  it('AddConfig with a model name as description records its family', async () => {
    const { config } = await c.call('AddConfig', { type: 'generation_config', config: '{"temperature": 0.1}', description: 'NousResearch/Llama-2-7b-hf' });
    expect(config).toMatchObject({ model_family: 'LlamaForCausalLM', is_default: 0 });
  });

  it.each<[string, Msg, string]>([
    ['invalid JSON', { type: 'lora_config', config: '{not json' }, 'INVALID_ARGUMENT'],
    ['invalid YAML', { type: 'axolotl', config: 'a: [1, 2' }, 'INVALID_ARGUMENT'],
    ['no type', { config: '{}' }, 'INVALID_ARGUMENT'],
  ])('AddConfig refuses %s', async (_l, req, code) => {
    expectStatus(await c.attempt('AddConfig', req), code);
  });

  it('ListConfigs(model_id) falls back to every config when no family default matches', async () => {
    const m = await hfModel();
    const all = (await c.call('ListConfigs', {})).configs.length;
    expect((await c.call('ListConfigs', { model_id: m.id })).configs.length).toBe(all);
    expectStatus(await c.attempt('ListConfigs', { model_id: 'no-model' }), 'NOT_FOUND');
  });

  it('GetConfig unknown / RemoveConfig', async () => {
    expectStatus(await c.attempt('GetConfig', { id: 'no-config' }), 'NOT_FOUND');
    const { config } = await c.call('AddConfig', { type: 'custom', config: `{"k": "${uid()}"}` });
    await c.call('RemoveConfig', { id: config.id });
    expectStatus(await c.attempt('GetConfig', { id: config.id }), 'NOT_FOUND');
  });
});

// ---------------------------------------------------------------- fine-tuning jobs

describe('fine-tuning jobs', () => {
  const validJob = async (over: Msg = {}): Promise<Msg> => {
    const [ds, m, p] = [await csvDataset(), await hfModel(), await walkPrompt()];
    return {
      adapter_name: uid('walk-ft-').slice(0, 24),
      base_model_id: m.id,
      dataset_id: ds.id,
      prompt_id: p.id,
      num_workers: 1,
      auto_add_adapter: true,
      num_epochs: 2,
      learning_rate: 0.0002,
      cpu: 2,
      gpu: 0,
      memory: 8,
      train_test_split: 0.8,
      model_bnb_config: '{"load_in_4bit":true}',
      adapter_bnb_config: '{"load_in_8bit":false}',
      training_arguments_config: '{"num_train_epochs":2,"per_device_train_batch_size":1}',
      lora_config: '{"r":8,"lora_alpha":16}',
      output_dir: outputDir(),
      dataset_fraction: 0.5,
      framework_type: 'legacy',
      gpu_label_id: 3,
      ...over,
    };
  };

  let started: Msg | undefined;
  const startedJob = lazy(async () => {
    const req = await validJob();
    const { fine_tuning_job } = await c.call('StartFineTuningJob', req);
    started = fine_tuning_job;
    return { req, job: fine_tuning_job as Msg };
  });

  it('StartFineTuningJob returns every request field on the job, plus a status', async () => {
    const { req, job } = await startedJob();
    expect(job).toMatchObject({
      adapter_name: req.adapter_name,
      base_model_id: req.base_model_id,
      dataset_id: req.dataset_id,
      prompt_id: req.prompt_id,
      num_workers: 1,
      num_epochs: 2,
      num_cpu: 2,
      num_gpu: 0,
      num_memory: 8,
      out_dir: 'outputs',
      framework_type: 'legacy',
      gpu_label_id: 3,
      adapter_id: '',
      model_bnb_config: '{"load_in_4bit": true}',
      adapter_bnb_config: '{"load_in_8bit": false}',
      training_arguments_config: '{"num_train_epochs": 2, "per_device_train_batch_size": 1}',
      lora_config: '{"r": 8, "lora_alpha": 16}',
      auto_add_adapter: true,
    });
    expect(job.learning_rate).toBe(f32(0.0002));
    expect(job.train_test_split).toBe(f32(0.8));
    expect(job.dataset_fraction).toBe(f32(0.5));
    expect(job.id).toMatch(/\S/);
    expect(JOB_STATES).toContain(job.status);
    expect((await c.call('GetFineTuningJob', { id: job.id })).fine_tuning_job).toMatchObject({ id: job.id, adapter_name: req.adapter_name });
    expect((await c.call('ListFineTuningJobs', {})).fine_tuning_jobs.map((j: Msg) => j.id)).toContain(job.id);
  });

  it('an empty framework_type means legacy', async () => {
    const { fine_tuning_job } = await c.call('StartFineTuningJob', await validJob({ framework_type: '' }));
    expect(fine_tuning_job.framework_type).toBe('legacy');
  });

  it.each<[string, Msg, string | string[], string | RegExp]>([
    ['an unknown framework', { framework_type: 'deepspeed' }, 'INVALID_ARGUMENT', 'Invalid framework type provided.'],
    ['an adapter name with a space', { adapter_name: 'bad name' }, 'INVALID_ARGUMENT', 'Adapter Name should only contain alphanumeric characters and hyphens, and no spaces.'],
    ['an adapter name with an underscore', { adapter_name: 'bad_name' }, 'INVALID_ARGUMENT', 'Adapter Name should only contain alphanumeric characters and hyphens, and no spaces.'],
    ['an output dir that is not a folder', { output_dir: 'no/such/dir' }, 'INVALID_ARGUMENT', 'Output Location must be a valid folder directory.'],
    ['cpu 0', { cpu: 0 }, 'INVALID_ARGUMENT', 'CPU allocation must be greater than 0.'],
    ['gpu -1', { gpu: -1 }, 'INVALID_ARGUMENT', 'GPU allocation must be 0 or greater.'],
    ['memory 0', { memory: 0 }, 'INVALID_ARGUMENT', 'Memory allocation must be greater than 0.'],
    ['num_workers 0', { num_workers: 0 }, 'INVALID_ARGUMENT', 'Number of workers must be greater than 0.'],
    ['num_epochs 0', { num_epochs: 0 }, 'INVALID_ARGUMENT', 'Number of epochs must be greater than 0.'],
    ['learning_rate 0', { learning_rate: 0 }, 'INVALID_ARGUMENT', 'Learning rate must be greater than 0.'],
    ['dataset_fraction 0', { dataset_fraction: 0 }, 'INVALID_ARGUMENT', 'Dataset fraction must be between 0 and 1.'],
    ['dataset_fraction 1.5', { dataset_fraction: 1.5 }, 'INVALID_ARGUMENT', 'Dataset fraction must be between 0 and 1.'],
    ['train_test_split 0', { train_test_split: 0 }, 'INVALID_ARGUMENT', 'Train-test split must be between 0 and 1.'],
    ['axolotl without a config id', { framework_type: 'axolotl', axolotl_config_id: '' }, 'INVALID_ARGUMENT', 'Axolotl Config ID is required for AXOLOTL framework type.'],
    ['an unknown base model', { base_model_id: 'no-model' }, MISSING_REF, "Model with ID 'no-model' does not exist."],
    ['an unknown dataset', { dataset_id: 'no-dataset' }, MISSING_REF, "Dataset with ID 'no-dataset' does not exist."],
    ['an unknown prompt', { prompt_id: 'no-prompt' }, MISSING_REF, "Prompt with ID 'no-prompt' does not exist."],
    ['an unknown axolotl config', { framework_type: 'axolotl', axolotl_config_id: 'no-config' }, MISSING_REF, "Axolotl Config with ID 'no-config' does not exist."],
    ['an output dir outside the project', { output_dir: '/tmp' }, 'INVALID_ARGUMENT', /outside|valid folder/],
  ])('StartFineTuningJob refuses %s', async (_l, over, code, details) => {
    expectStatus(await c.attempt('StartFineTuningJob', await validJob(over)), code, details);
  });

  it('StartFineTuningJob refuses an adapter name another job already uses', async () => {
    const { req } = await startedJob();
    expectStatus(await c.attempt('StartFineTuningJob', await validJob({ adapter_name: req.adapter_name })), 'ALREADY_EXISTS', `An adapter with the name '${req.adapter_name}' already exists.`);
  });

  it("GetDatasetSplitByAdapter returns the job's split for the adapter named like the job's adapter", async () => {
    const { req, job } = await startedJob();
    fs.mkdirSync(path.join(srv.root, 'adapters', req.adapter_name), { recursive: true });
    const { adapter } = await c.call('AddAdapter', {
      type: 'project',
      name: req.adapter_name,
      model_id: req.base_model_id,
      location: `adapters/${req.adapter_name}`,
      fine_tuning_job_id: job.id,
      prompt_id: req.prompt_id,
    });
    const { response } = await c.call('GetDatasetSplitByAdapter', { adapter_id: adapter.id });
    expect(response).toEqual({ dataset_fraction: f32(0.5), train_test_split: f32(0.8) });
  });

  it('GetFineTuningJob unknown / RemoveFineTuningJob', async () => {
    expectStatus(await c.attempt('GetFineTuningJob', { id: 'no-job' }), 'NOT_FOUND');
    await startedJob();
    const r = await c.attempt('RemoveFineTuningJob', { id: started!.id });
    if (r.ok) expectStatus(await c.attempt('GetFineTuningJob', { id: started!.id }), 'NOT_FOUND');
    else expectStatus(r, 'FAILED_PRECONDITION'); // a job that is still running may not be removed
  });
});

// ---------------------------------------------------------------- evaluation jobs

describe('evaluation jobs', () => {
  const validEval = async (over: Msg = {}): Promise<Msg> => {
    const [ds, m, p] = [await csvDataset(), await hfModel(), await walkPrompt()];
    return {
      type: 'mlflow',
      model_adapter_combinations: [{ base_model_id: m.id, adapter_id: '' }],
      dataset_id: ds.id,
      prompt_id: p.id,
      cpu: 2,
      gpu: 1,
      memory: 8,
      generation_config: '{"max_new_tokens":10}',
      selected_features: ['instruction'],
      eval_dataset_fraction: 0.1,
      ...over,
    };
  };

  it.each<[string, Msg, string | string[], string]>([
    ['no combinations', { model_adapter_combinations: [] }, 'INVALID_ARGUMENT', "Field 'model_adapter_combinations' is required in StartEvaluationJobRequest."],
    ['no dataset_id', { dataset_id: '' }, 'INVALID_ARGUMENT', "Field 'dataset_id' is required in StartEvaluationJobRequest."],
    ['no prompt_id', { prompt_id: '' }, 'INVALID_ARGUMENT', "Field 'prompt_id' is required in StartEvaluationJobRequest."],
    ['cpu 0', { cpu: 0 }, 'INVALID_ARGUMENT', "Field 'cpu' is required in StartEvaluationJobRequest."],
    ['memory 0', { memory: 0 }, 'INVALID_ARGUMENT', "Field 'memory' is required in StartEvaluationJobRequest."],
    ['a blank dataset_id', { dataset_id: '   ' }, 'INVALID_ARGUMENT', "Field 'dataset_id' cannot be an empty string or only spaces."],
    ['an unknown dataset', { dataset_id: 'no-dataset' }, MISSING_REF, "Dataset with ID 'no-dataset' does not exist."],
    ['an unknown model', { model_adapter_combinations: [{ base_model_id: 'no-model' }] }, MISSING_REF, "Model with ID 'no-model' does not exist."],
    ['an unknown prompt', { prompt_id: 'no-prompt' }, MISSING_REF, "Prompt with ID 'no-prompt' does not exist."],
  ])('StartEvaluationJob refuses %s', async (_l, over, code, details) => {
    expectStatus(await c.attempt('StartEvaluationJob', await validEval(over)), code, details);
  });

  it('StartEvaluationJob makes one job per combination under one parent; Get/List/Remove', async () => {
    const m = await hfModel();
    const { adapters } = await c.call('ListAdapters', {});
    const withAdapter = adapters.find((a: Msg) => a.name === 'walk-adapter') ?? adapters[0];
    const req = await validEval({
      model_adapter_combinations: [
        { base_model_id: m.id, adapter_id: withAdapter.id },
        { base_model_id: m.id, adapter_id: '' },
      ],
    });
    const res = await c.call('StartEvaluationJob', req);
    const jobs: Msg[] = res.evaluation_jobs;
    expect(jobs).toHaveLength(2);
    expect(res.evaluation_job).toEqual(jobs[1]); // the original returned the last one
    expect(new Set(jobs.map((j) => j.parent_job_id)).size).toBe(1);
    expect(jobs[0].parent_job_id).toMatch(/\S/);
    for (const j of jobs) {
      expect(j).toMatchObject({ type: 'mlflow', num_workers: 1, base_model_id: m.id, dataset_id: req.dataset_id, prompt_id: req.prompt_id, num_cpu: 2, num_gpu: 1, num_memory: 8 });
      expect(j.generation_config).toBe('{"max_new_tokens": 10}');
      expect(j.evaluation_dir).toMatch(/^mlflow_results\/\S+/);
      expect(JOB_STATES).toContain(j.status);
    }
    expect(jobs[0].adapter_id).toBe(withAdapter.id);
    expect(jobs[1].adapter_id).toBe('');
    expect((await c.call('GetEvaluationJob', { id: jobs[0].id })).evaluation_job.id).toBe(jobs[0].id);
    expect((await c.call('ListEvaluationJobs', {})).evaluation_jobs.map((j: Msg) => j.id)).toEqual(expect.arrayContaining(jobs.map((j) => j.id)));
    expectStatus(await c.attempt('GetEvaluationJob', { id: 'no-eval' }), 'NOT_FOUND');
    const r = await c.attempt('RemoveEvaluationJob', { id: jobs[1].id });
    if (r.ok) expectStatus(await c.attempt('GetEvaluationJob', { id: jobs[1].id }), 'NOT_FOUND');
    else expectStatus(r, 'FAILED_PRECONDITION');
  });
});

// ---------------------------------------------------------------- database

describe('database export and import', () => {
  it('ExportDatabase returns the 7 original tables with schema and data (original shape)', async () => {
    const { exported_json } = await c.call('ExportDatabase', {});
    const dump = JSON.parse(exported_json);
    for (const t of TABLES) {
      expect(dump[t]).toEqual({ schema: expect.stringMatching(new RegExp(`^CREATE TABLE IF NOT EXISTS "?${t}"?`)), data: expect.any(Array) });
    }
    for (const internal of ['events', 'idempotency_keys', 'migrations', 'typeorm_metadata']) expect(dump[internal]).toBeUndefined();
    const original = JSON.parse(fs.readFileSync(ORIGINAL_EXPORT, 'utf8'));
    for (const t of TABLES) {
      const row = dump[t].data[0];
      if (row) expect(Object.keys(row).sort()).toEqual(Object.keys(original[t].data[0] ?? row).sort());
    }
    expect(exported_json).toContain('\n  "'); // json.dumps(indent=2)
  });

  it('ImportDatabase takes the original export: new rows in, existing ids reported, dangling files warned', async () => {
    const rel = 'imports/original-export.json';
    fs.mkdirSync(path.join(srv.root, 'imports'), { recursive: true });
    fs.copyFileSync(ORIGINAL_EXPORT, path.join(srv.root, rel));
    // What the file holds vs what exists already decides what is imported and what conflicts.
    const file = JSON.parse(fs.readFileSync(ORIGINAL_EXPORT, 'utf8'));
    const existing: Record<string, Set<string>> = {};
    for (const [t, rpc, key] of [
      ['datasets', 'ListDatasets', 'datasets'],
      ['models', 'ListModels', 'models'],
      ['prompts', 'ListPrompts', 'prompts'],
      ['adapters', 'ListAdapters', 'adapters'],
      ['configs', 'ListConfigs', 'configs'],
    ]) {
      existing[t] = new Set((await c.call(rpc, {}))[key].map((r: Msg) => r.id));
    }
    const { report } = await c.call('ImportDatabase', { imported_json_path: rel });
    const byTable = Object.fromEntries((report.tables as Msg[]).map((t) => [t.table, t]));
    for (const t of Object.keys(existing)) {
      const ids: string[] = file[t].data.map((r: Msg) => r.id);
      const clash = ids.filter((id) => existing[t].has(id));
      expect({ table: t, imported: byTable[t]?.imported }).toEqual({ table: t, imported: ids.length - clash.length });
      // A clashing row identical to the one present is unchanged (HTTP reports it), not a conflict.
      expect(byTable[t]?.conflicts?.length ?? 0).toBeLessThanOrEqual(clash.length);
    }
    expect(existing.models.size).toBeGreaterThanOrEqual(3);
    expect(report.warnings.join('\n')).toMatch(/data\/samples\/tickets\.csv/);
    expect(report.warnings.join('\n')).toMatch(/data\/adapters\/llama-2-sql/);
    const { dataset } = await c.call('GetDataset', { id: 'a36ecb9e-2d0c-4fcb-a9bd-383b1061bf1f' });
    expect(dataset.name).toBe('Sample tickets');
    expect((await c.call('GetPrompt', { id: 'aa5a6c56-f3c6-4c1d-8642-a57a547c1302' })).prompt.name).toBe('Sample tickets prompt');
  });

  it('ImportDatabase of its own export imports nothing new', async () => {
    const { exported_json } = await c.call('ExportDatabase', {});
    const { report } = await c.call('ImportDatabase', { imported_json: exported_json });
    for (const t of report.tables as Msg[]) expect(t.imported).toBe(0);
  });

  it.each<[string, string | null, string, string | RegExp]>([
    ['a missing file', null, 'NOT_FOUND', /^JSON file not found: /],
    ['invalid JSON', '{"datasets": ', 'INVALID_ARGUMENT', /\S/],
    ['a root that is not an object', '[1, 2]', 'INVALID_ARGUMENT', 'Invalid JSON structure: root must be an object'],
    ['a table that is not an object', '{"datasets": 5}', 'INVALID_ARGUMENT', 'Invalid table information for table datasets'],
    ['a table without data', '{"datasets": {"schema": "CREATE TABLE IF NOT EXISTS datasets (id VARCHAR)"}}', 'INVALID_ARGUMENT', 'Missing schema or data for table datasets'],
    ['an unknown table', '{"evil": {"schema": "CREATE TABLE evil (id VARCHAR)", "data": []}}', 'INVALID_ARGUMENT', /evil/],
    ['an unknown column', '{"datasets": {"schema": "x", "data": [{"id": "z1", "owner": "me"}]}}', 'INVALID_ARGUMENT', /owner/],
  ])('ImportDatabase refuses %s', async (label, content, code, details) => {
    const rel = `imports/${label.replace(/\W+/g, '-')}.json`;
    if (content !== null) {
      fs.mkdirSync(path.join(srv.root, 'imports'), { recursive: true });
      fs.writeFileSync(path.join(srv.root, rel), content);
    }
    expectStatus(await c.attempt('ImportDatabase', { imported_json_path: rel }), code, details);
  });

  it('ImportDatabase refuses paths outside the project and never runs SQL from the file', async () => {
    expectStatus(await c.attempt('ImportDatabase', { imported_json_path: '/etc/passwd' }), 'INVALID_ARGUMENT');
    expectStatus(await c.attempt('ImportDatabase', { imported_json_path: '../x.json' }), 'INVALID_ARGUMENT');
    const evil = { datasets: { schema: 'CREATE TABLE IF NOT EXISTS datasets (id VARCHAR); DROP TABLE prompts;', data: [] } };
    await c.attempt('ImportDatabase', { imported_json: JSON.stringify(evil) });
    expect((await c.call('ListPrompts', {})).prompts.length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- audit log

describe('audit log', () => {
  it('ListEvents pages by position and filters by stream type and event type', async () => {
    const all: Msg[] = await listAllEvents(c);
    expect(all.length).toBeGreaterThan(10);
    const positions = all.map((e) => e.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(positions.length);

    const page1 = await c.call('ListEvents', { limit: 5 });
    expect(page1.events).toHaveLength(5);
    const page2 = await c.call('ListEvents', { limit: 5, after_position: page1.last_position });
    expect(page2.events[0].position).toBeGreaterThan(page1.last_position);
    expect([...page1.events, ...page2.events].map((e: Msg) => e.position)).toEqual(positions.slice(0, 10));

    const prompts: Msg[] = await listAllEvents(c, { stream_type: 'prompt' });
    expect(prompts.length).toBeGreaterThan(0);
    expect(prompts.every((e) => e.stream_type === 'prompt')).toBe(true);
    const added: Msg[] = await listAllEvents(c, { types: ['PromptAdded'] });
    expect(added.every((e) => e.type === 'PromptAdded')).toBe(true);
    const e = added[added.length - 1];
    expect(JSON.parse(e.data)).toBeTruthy();
    expect(JSON.parse(e.metadata)).toMatchObject({ transport: 'grpc' });
    expect(Number.isNaN(Date.parse(e.recorded_at))).toBe(false);
  });
});
