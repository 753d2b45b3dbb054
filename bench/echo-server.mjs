// The baseline for bench/run.mjs: a bare grpc-js server with the same .proto,
// the same loader options and the same message limits as the real server,
// answering GetDataset with a fixed row (no Nest, no database). Prints
// "port <n>" once it listens on 127.0.0.1.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const [protoPath] = process.argv.slice(2);
const def = protoLoader.loadSync(protoPath, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
const pkg = grpc.loadPackageDefinition(def);
const server = new grpc.Server({
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
});
const row = {
  type: 'project_csv',
  name: 'Bench tickets',
  description: 'data/bench/tickets.csv',
  huggingface_name: '',
  location: 'data/bench/tickets.csv',
  features: '["instruction", "intent"]',
  created_at: '2026-01-01T00:00:00.000Z',
};
// For a diagnostic row only: ListPrompts answering 100 prompts shaped like the
// benchmark's, so the cost of the response itself (protobuf encoding of 100
// messages) can be told apart from the server's own overhead.
const prompts = Array.from({ length: 100 }, (_, i) => {
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return {
    id,
    type: 'in_place',
    name: `bench-${id}`,
    dataset_id: '11111111-1111-4111-8111-111111111111',
    prompt_template: 'Instruction: {instruction}\nIntent: {intent}\n',
    input_template: 'Instruction: {instruction}\nIntent: ',
    completion_template: '{intent}\n',
    created_at: '2026-01-01T00:00:00.000Z',
    description: '',
  };
});
server.addService(pkg.fine_tuning_studio.FineTuningStudio.service, {
  GetDataset: (call, cb) => cb(null, { dataset: { id: call.request.id, ...row } }),
  ListPrompts: (_call, cb) => cb(null, { prompts, next_page_token: '' }),
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log(`port ${port}`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
