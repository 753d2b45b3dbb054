/**
 * PlanFineTuningJob through the real server (gRPC and POST /api/jobs/plan):
 * the start's validation, rows and split equal to the job's own Python
 * functions over the same file, a tokenizer from a project model folder, the
 * Hub (fake) and "tokens unknown" offline, and no event written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import { REPO_ROOT, type Msg } from './support/grpc-client.js';
import { copyFixture, listAllEvents, SAMPLE_DATASET_LOCATION } from './support/fixtures.js';
import { randomUUID } from 'node:crypto';
import { tinyTokenizerJson, TINY_CONFIG, writeTinyModel } from './support/tiny-model.js';

jest.setTimeout(120_000);

const SAMPLE_DATASET_ID = '84c3322f-fdd8-415d-863e-5e17e5d66be8';
const SAMPLE_PROMPT_ID = 'b614e6ba-8f34-40a0-a49a-4f41a6e9644b';
const LLAMA_ID = 'dcefe975-b1fd-466b-9b54-6c66bc708f58';

let srv: ServerHandle;
let hfCache: string;

const request = (over: Msg = {}): Msg => ({
  base_model_id: LLAMA_ID,
  dataset_id: SAMPLE_DATASET_ID,
  prompt_id: SAMPLE_PROMPT_ID,
  num_workers: 1,
  num_epochs: 2,
  learning_rate: 0.0002,
  cpu: 2,
  gpu: 1,
  memory: 8,
  train_test_split: 0.8,
  dataset_fraction: 1,
  ...over,
});

/** What the job's own code (fts_jobs.data / split / prompting) makes of the same file. */
function pythonView(csvPath: string, fraction: number, share: number, eos: string): Msg {
  const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(REPO_ROOT, 'job-templates'))})
from fts_jobs import data, split, prompting
class P: pass
p = P()
p.prompt_template, p.input_template, p.completion_template = json.loads(sys.argv[2])
rows = data.read_csv_rows(sys.argv[1])
s = split.split_dataset({"train": rows}, float(sys.argv[3]), float(sys.argv[4]), 42)
out = []
for i in s.train_indices[:5]:
    e = prompting.format_training_example(p, rows[i], sys.argv[5], need_completion_start=True)
    at = e.completion_start if e.completion_start is not None else len(e.text)
    out.append({"index": i, "prompt": e.text[:at], "completion": e.text[at:]})
print(json.dumps({"total": len(rows), "train": len(s.train_indices), "eval": len(s.eval_indices), "sample": out}))
`;
  const prompt = srvPrompt;
  return JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', script, csvPath, JSON.stringify([prompt.prompt_template, prompt.input_template, prompt.completion_template]), String(fraction), String(share), eos], {
      encoding: 'utf8',
    }),
  ) as Msg;
}

let srvPrompt: Msg;

async function httpPlan(body: Msg) {
  const res = await fetch(`${srv.httpUrl}/api/jobs/plan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Msg };
}

beforeAll(async () => {
  hfCache = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-plan-hf-'));
  srv = await startServer({
    env: {
      HF_HUB_CACHE: hfCache,
      FTS_JOB_TEMPLATE: path.join(REPO_ROOT, 'job-templates/testing/progress_only.py'),
      FTS_JOB_TEMPLATE_OPTIONS: JSON.stringify({ steps: 2, interval_s: 0.05 }),
    },
  });
  srvPrompt = (await srv.client.call('GetPrompt', { id: SAMPLE_PROMPT_ID })).prompt;
});

afterAll(async () => {
  await srv?.stop();
  fs.rmSync(hfCache, { recursive: true, force: true });
});

describe('PlanFineTuningJob', () => {
  it('counts, splits and renders the seeded CSV as the job does, and writes no event', async () => {
    const before = (await listAllEvents(srv.client)).length;
    const plan = await srv.client.call('PlanFineTuningJob', request({ dataset_fraction: 0.75 }));
    expect((await listAllEvents(srv.client)).length).toBe(before);

    // the job's float32 fraction, as the decider stores it
    const f32 = (x: number) => Math.fround(x);
    const py = pythonView(path.join(srv.root, SAMPLE_DATASET_LOCATION), f32(0.75), f32(0.8), '');
    expect(plan.rows).toMatchObject({ known: true, total: py.total, train: py.train, eval: py.eval, eval_split: 'train' });
    expect(plan.rows.after_fraction).toBe(py.train + py.eval);
    expect(plan.sample_rows.map((r: Msg) => ({ index: r.index, prompt: r.prompt, completion: r.completion }))).toEqual(py.sample);
    // steps: no tokenizer offline, so one example per row is the upper bound: ceil(train / 8) per epoch, 2 epochs
    expect(plan.steps).toMatchObject({ known: true, exact: false, batch_size: 8, steps_per_epoch: Math.ceil(py.train / 8), total_steps: 2 * Math.ceil(py.train / 8) });
    // offline (the fake Hub has no files, the cache is empty): everything else, and why tokens are unknown
    expect(plan.tokens.known).toBe(false);
    expect(plan.tokens.unknown_reason).toMatch(/^tokens unknown: no tokenizer for 'NousResearch\/Llama-2-7b-hf' in the Hugging Face cache, and the Hub answered HTTP 404/);
    expect(plan.duration).toMatchObject({ known: false });
    // the memory estimate from the name (7B) in fp32 without quantization: does not fit a 24 GB GPU
    expect(plan.memory.known).toBe(true);
    expect(plan.memory.parameters).toBe(6_738_415_616);
    expect(plan.memory.gpus.find((g: Msg) => g.gpu === 'NVIDIA RTX 4090').fits).toBe(false);
  });

  it('answers the start validation error with the same status and text, over gRPC and HTTP', async () => {
    const bad = request({ dataset_fraction: 1.5 });
    const start = await srv.client.attempt('StartFineTuningJob', bad);
    const plan = await srv.client.attempt('PlanFineTuningJob', bad);
    expect(start.ok).toBe(false);
    expect([plan.codeName, plan.details]).toEqual([start.codeName, start.details]);
    const viaHttp = await httpPlan(bad);
    expect(viaHttp.status).toBe(400);
    expect(JSON.stringify(viaHttp.json)).toContain('Dataset fraction must be between 0 and 1.');
    const missing = await srv.client.attempt('PlanFineTuningJob', request({ base_model_id: 'nope' }));
    expect(missing.codeName).toBe('NOT_FOUND');
  });

  it('counts tokens with a project model folder tokenizer', async () => {
    writeTinyModel(path.join(srv.root, 'models/tiny'));
    const { model } = await srv.client.call('AddModel', { type: 'project', location: 'models/tiny', name: 'tiny-plan' });
    const { status, json: plan } = await httpPlan(request({ base_model_id: model.id, train_test_split: 0.9 }));
    expect(status).toBe(200);
    expect(plan.tokens).toMatchObject({ known: true, sampled: false });
    expect(plan.tokens.tokenizer).toBe("tokenizer.json from the model folder 'models/tiny'");
    // the EOS from tokenizer_config.json ends every rendered completion, as the job appends it
    for (const r of plan.sample_rows) expect(r.completion.endsWith('</s>')).toBe(true);
    const t = plan.tokens;
    expect(t.prompt.p50).toBeGreaterThan(0);
    expect(t.completion.max).toBeGreaterThanOrEqual(t.completion.p50);
    expect(t.truncated_share).toBe(0); // the tickets are short
    expect(t.trained_tokens_per_epoch).toBeGreaterThan(plan.rows.train * t.completion.p50 * 0.5);
    expect(plan.steps.exact).toBe(true); // packs counted from token lengths
    expect(plan.memory.shape_source).toBe("config.json from the model folder 'models/tiny'");
    expect(plan.memory.parameters).toBeGreaterThan(TINY_CONFIG.vocab_size * TINY_CONFIG.hidden_size);
  });

  it('fetches just the tokenizer files from the Hub once, then plans from the cache', async () => {
    const served: string[] = [];
    const files: Record<string, string> = {
      'tokenizer.json': JSON.stringify(tinyTokenizerJson()),
      'tokenizer_config.json': JSON.stringify({ eos_token: '</s>' }),
      'config.json': JSON.stringify(TINY_CONFIG),
    };
    const hub = http.createServer((req, res) => {
      served.push(req.url ?? '');
      const m = /^\/org\/tiny-hub\/resolve\/main\/(.+)$/.exec(req.url ?? '');
      const body = m && files[m[1]];
      if (req.url?.startsWith('/api/models/')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'org/tiny-hub', config: { architectures: ['LlamaForCausalLM'] } }));
      } else if (body) res.writeHead(200).end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
    const port = (hub.address() as { port: number }).port;
    await srv.restart({ HF_ENDPOINT: `http://127.0.0.1:${port}` });
    try {
      const { model } = await srv.client.call('AddModel', { type: 'huggingface', huggingface_name: 'org/tiny-hub' });
      const first = await srv.client.call('PlanFineTuningJob', request({ base_model_id: model.id }));
      expect(first.tokens.known).toBe(true);
      expect(first.tokens.tokenizer).toMatch(/^tokenizer\.json from the Hub \(http:\/\/127\.0\.0\.1:\d+\), cached in /);
      expect(first.memory.shape_source).toBe('config.json from the Hub');
      const fetched = served.filter((u) => u.includes('/resolve/')).length;
      expect(fetched).toBe(3);
      const second = await srv.client.call('PlanFineTuningJob', request({ base_model_id: model.id }));
      expect(second.tokens).toEqual(first.tokens);
      expect(served.filter((u) => u.includes('/resolve/')).length).toBe(fetched);
    } finally {
      await new Promise<void>((r) => hub.close(() => r()));
    }
  });

  describe('chat datasets (OpenAI messages JSONL)', () => {
    /** chat.py's rendering over the fixture rows, with the model's template (what the job renders). */
    function pythonChat(jsonl: string, template: string): Msg[] {
      const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(REPO_ROOT, 'job-templates'))})
from fts_jobs import chat, data, split
rows = data.read_jsonl_rows(sys.argv[1])
s = split.split_dataset({"train": rows}, 1.0, 0.8, 42)
render = lambda m, g: chat.jinja_render(sys.argv[2], m, g, eos_token="</s>", bos_token="<s>", unk_token="[UNK]")
out = []
for i in s.train_indices[:5]:
    text, spans = chat.chat_text(render, chat.messages_of(rows[i]))
    out.append({"index": i, "prompt": text[:spans[0][0]], "completion": text[spans[0][0]:]})
print(json.dumps(out))
`;
      return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, jsonl, template], { encoding: 'utf8' })) as Msg[];
    }

    it('plans with the chat template as the job renders, then trains through the normal start', async () => {
      const rel = copyFixture(srv.root, 'datasets/chat.jsonl', 'data/chat.jsonl');
      const { dataset } = await srv.client.call('AddDataset', { type: 'project_jsonl', location: rel, name: 'chat-plan' });
      expect(dataset.features).toBe('["messages"]');
      const prompt = { id: randomUUID(), type: 'chat', name: 'chat-prompt', dataset_id: dataset.id, prompt_template: '', input_template: '', completion_template: '' };
      await srv.client.call('AddPrompt', { prompt });
      const tiny = (await srv.client.call('ListModels', {})).models.find((m: Msg) => m.name === 'tiny-plan');
      const req = request({ base_model_id: tiny.id, dataset_id: dataset.id, prompt_id: prompt.id, adapter_name: 'chat-adapter', auto_add_adapter: true });

      const plan = await srv.client.call('PlanFineTuningJob', req);
      expect(plan.rows).toMatchObject({ known: true, total: 10, train: 8, eval: 2 });
      const template = JSON.parse(fs.readFileSync(path.join(srv.root, 'models/tiny/tokenizer_config.json'), 'utf8')).chat_template as string;
      const py = pythonChat(path.join(srv.root, rel), template);
      expect(plan.sample_rows.map((r: Msg) => ({ index: r.index, prompt: r.prompt, completion: r.completion }))).toEqual(py);
      expect(plan.sample_rows[0].prompt).toMatch(/^<\|/);
      expect(plan.tokens.known).toBe(true);
      expect(plan.blockers).toEqual([]);

      const { fine_tuning_job: job } = await srv.client.call('StartFineTuningJob', req);
      let status = '';
      for (let i = 0; i < 150 && !['succeeded', 'failed'].includes(status); i++) {
        await new Promise((r) => setTimeout(r, 200));
        status = (await srv.client.call('GetFineTuningJob', { id: job.id })).fine_tuning_job.status;
      }
      expect(status).toBe('succeeded');
      const spec = JSON.parse(fs.readFileSync(path.join(srv.root, '.app/job_runs', job.id, 'spec.json'), 'utf8'));
      expect(spec.prompt.type).toBe('chat');
    });

    it('refuses a chat plan for a model without a chat template, naming the fix', async () => {
      const dir = path.join(srv.root, 'models/no-chat');
      writeTinyModel(dir);
      const config = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_config.json'), 'utf8'));
      delete config.chat_template;
      fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(config));
      const { model } = await srv.client.call('AddModel', { type: 'project', location: 'models/no-chat', name: 'no-chat' });
      const dataset = (await srv.client.call('ListDatasets', {})).datasets.find((d: Msg) => d.name === 'chat-plan');
      const prompt = (await srv.client.call('ListPrompts', {})).prompts.find((p: Msg) => p.name === 'chat-prompt');
      const res = await srv.client.attempt('PlanFineTuningJob', request({ base_model_id: model.id, dataset_id: dataset.id, prompt_id: prompt.id }));
      expect(res.codeName).toBe('FAILED_PRECONDITION');
      expect(res.details).toMatch(/^The base model has no chat template \(chat_template in tokenizer_config.json, .*\): use a chat or instruct model, or a prompt with templates instead of a chat prompt\.$/);
    });
  });

  describe('PlanEvaluationJob', () => {
    const evaluation = (over: Msg = {}): Msg => ({
      model_adapter_combinations: [{ base_model_id: LLAMA_ID, adapter_id: '' }],
      dataset_id: SAMPLE_DATASET_ID,
      prompt_id: SAMPLE_PROMPT_ID,
      cpu: 2,
      gpu: 1,
      memory: 8,
      eval_dataset_fraction: 0.5,
      ...over,
    });

    it('names the held-out rows evaluate.py would evaluate, rendered as input and expected output', async () => {
      const before = (await listAllEvents(srv.client)).length;
      const plan = await srv.client.call('PlanEvaluationJob', evaluation());
      expect((await listAllEvents(srv.client)).length).toBe(before);
      const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(REPO_ROOT, 'job-templates'))})
from fts_jobs import data, split
rows = data.read_csv_rows(sys.argv[1])
s = split.split_dataset({"train": rows}, 1.0, 0.9, 42)
print(json.dumps({"held_out": len(s.eval_indices), "evaluated": list(split.subsample(s.eval_indices, 0.5))}))
`;
      const py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, path.join(srv.root, SAMPLE_DATASET_LOCATION)], { encoding: 'utf8' })) as Msg;
      expect(plan.runs).toHaveLength(1);
      const run = plan.runs[0];
      expect(run).toMatchObject({ base_model_id: LLAMA_ID, adapter_id: '', train_test_split: 0.9, evaluated: py.evaluated.length });
      expect(run.rows).toMatchObject({ known: true, total: 41, eval: py.held_out });
      expect(run.sample_rows.map((r: Msg) => r.index)).toEqual(py.evaluated.slice(0, 5));
      expect(run.sample_rows[0].input).toMatch(/### Request: .+\n### Intent: $/);
      expect(run.sample_rows[0].expected).toMatch(/^[a-z_]+$/);
    });

    it('answers the start validation error, over gRPC and HTTP', async () => {
      const bad = evaluation({ model_adapter_combinations: [] });
      const start = await srv.client.attempt('StartEvaluationJob', bad);
      const plan = await srv.client.attempt('PlanEvaluationJob', bad);
      expect(start.ok).toBe(false);
      expect([plan.codeName, plan.details]).toEqual([start.codeName, start.details]);
      const res = await fetch(`${srv.httpUrl}/api/jobs/plan-evaluation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(evaluation()) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Msg).runs[0].rows.total).toBe(41);
    });
  });
});
