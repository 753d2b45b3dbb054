// The in-memory reference for bench/run.mjs's mix: a bare grpc-js server with
// the same .proto, loader options and message limits as the studio, answering
// the mix's RPCs (ListDatasets, GetDataset, AddDataset, ListPrompts,
// AddPrompt, RemovePrompt, ListConfigs, AddConfig, ExportDatabase) from plain
// Maps. No framework, no database, no durability: what grpc-js itself costs
// for the same messages. Prints "port <n>" once it listens on 127.0.0.1.
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const [protoPath] = process.argv.slice(2);
const def = protoLoader.loadSync(protoPath, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
const pkg = grpc.loadPackageDefinition(def);
const server = new grpc.Server({
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
});

const datasets = new Map();
const prompts = new Map();
const configs = new Map();
/** AddConfig is content-addressed, as in the studio: the same type and content answers the existing config. */
const configByContent = new Map();
const now = () => new Date().toISOString();
const fail = (cb, code, details) => cb({ code, details });

/** The export document's shape (table -> { schema, data }), written with JSON.stringify(indent 2). */
function exportJson() {
  const table = (m) => ({ schema: 'CREATE TABLE IF NOT EXISTS ...', data: [...m.values()] });
  return JSON.stringify({ models: table(new Map()), datasets: table(datasets), configs: table(configs), prompts: table(prompts) }, null, 2);
}

server.addService(pkg.fine_tuning_studio.FineTuningStudio.service, {
  ListDatasets: (_call, cb) => cb(null, { datasets: [...datasets.values()], next_page_token: '' }),
  GetDataset: (call, cb) => {
    const d = datasets.get(call.request.id);
    if (!d) return fail(cb, grpc.status.NOT_FOUND, `Dataset with ID '${call.request.id}' does not exist.`);
    cb(null, { dataset: d });
  },
  AddDataset: (call, cb) => {
    const r = call.request;
    const d = { id: randomUUID(), type: r.type, name: r.name, description: r.location, huggingface_name: r.huggingface_name, location: r.location, features: '["instruction", "intent"]', created_at: now() };
    datasets.set(d.id, d);
    cb(null, { dataset: d });
  },
  ListPrompts: (_call, cb) => cb(null, { prompts: [...prompts.values()], next_page_token: '' }),
  AddPrompt: (call, cb) => {
    const p = { ...call.request.prompt, created_at: now() };
    if (!p.id) p.id = randomUUID();
    if (prompts.has(p.id)) return fail(cb, grpc.status.ALREADY_EXISTS, `Prompt with ID '${p.id}' already exists.`);
    if (!datasets.has(p.dataset_id)) return fail(cb, grpc.status.NOT_FOUND, `Dataset with ID '${p.dataset_id}' does not exist.`);
    prompts.set(p.id, p);
    cb(null, { prompt: p });
  },
  RemovePrompt: (call, cb) => {
    if (!prompts.delete(call.request.id)) return fail(cb, grpc.status.NOT_FOUND, `Prompt with ID '${call.request.id}' does not exist.`);
    cb(null, {});
  },
  ListConfigs: (call, cb) => {
    const type = call.request.type;
    cb(null, { configs: [...configs.values()].filter((c) => !type || c.type === type), next_page_token: '' });
  },
  AddConfig: (call, cb) => {
    const r = call.request;
    let content;
    try {
      content = JSON.stringify(JSON.parse(r.config));
    } catch {
      return fail(cb, grpc.status.INVALID_ARGUMENT, 'config is not JSON');
    }
    const key = `${r.type}\u0000${content}`;
    let c = configByContent.get(key);
    if (!c) {
      c = { id: randomUUID(), description: r.description, type: r.type, config: content, model_family: '', is_default: 0, created_at: now() };
      configs.set(c.id, c);
      configByContent.set(key, c);
    }
    cb(null, { config: c });
  },
  ExportDatabase: (_call, cb) => cb(null, { exported_json: exportJson() }),
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log(`port ${port}`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
