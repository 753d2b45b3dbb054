/**
 * Malformed input, for every RPC of the service (the 32 original ones and
 * the audit-log extensions): empty requests, 2 MB strings, unknown ids,
 * path escapes (`../x`, `/etc/passwd`, a symlink in the project root that
 * points outside), NUL bytes, extreme numbers, and raw bytes that are not a
 * valid message. design.md "Errors": bad input never yields UNKNOWN or
 * INTERNAL, never kills the process, never leaves a partial write; the
 * details text is a sentence a person can act on (so it is bounded: it must
 * not echo a 2 MB field back).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest, describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startServer, type ServerHandle } from './support/server.js';
import * as grpc from '@grpc/grpc-js';
import { ORIGINAL_RPCS, protoRpcNames, type Attempt, type Msg } from './support/grpc-client.js';
import { fillRequest, isStreaming, type Fill } from './support/requests.js';
import { CLEAN_REFUSALS, listAllEvents, pool } from './support/fixtures.js';
import { expectStatus } from './support/expect-status.js';

jest.setTimeout(120_000);

const MB2 = 'a'.repeat(2 * 1024 * 1024);
const MAX_DETAILS = 4096;
/** A call that gets no status by then hung (e.g. a details trailer too large to send). */
const CALL_TIMEOUT_MS = 10_000;

let srv: ServerHandle;
let outside: string;

beforeAll(async () => {
  srv = await startServer({ seed: true });
  // A folder outside the project, reachable through a symlink inside it.
  outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fts-outside-')));
  fs.writeFileSync(path.join(outside, 'secret.csv'), 'secret_column,other\nTOP-SECRET,1\n');
  fs.writeFileSync(path.join(outside, 'secret.json'), '[{"secret_column": "TOP-SECRET"}]');
  fs.writeFileSync(path.join(outside, 'secret.jsonl'), '{"secret_column": "TOP-SECRET"}\n');
  fs.writeFileSync(path.join(outside, 'config.json'), '{"architectures": ["SecretForCausalLM"]}');
  fs.writeFileSync(path.join(outside, 'train.py'), 'print("TOP-SECRET")\n');
  fs.writeFileSync(path.join(outside, 'export.json'), '{"datasets": {"schema": "CREATE TABLE IF NOT EXISTS datasets (id VARCHAR)", "data": [{"id": "secret-row"}]}}');
  fs.symlinkSync(outside, path.join(srv.root, 'outside-link'));
  fs.mkdirSync(path.join(srv.root, 'data'), { recursive: true });
  fs.symlinkSync('/etc/passwd', path.join(srv.root, 'data', 'passwd.csv'));
});
afterAll(async () => {
  await srv?.stop();
  if (outside) fs.rmSync(outside, { recursive: true, force: true });
});

const RPCS = protoRpcNames().filter((r) => !isStreaming(r));

const FILLS: Record<string, Fill> = {
  'oversized 2 MB strings': { str: MB2, int: 1, float: 0.5, bool: true },
  'unknown ids': { str: 'no-such-id-0a1b2c', int: 1, float: 0.5, bool: false },
  'a parent-relative path': { str: '../x', int: 1, float: 0.5, bool: true },
  'an absolute path outside': { str: '/etc/passwd', int: 1, float: 0.5, bool: true },
  'a symlink pointing outside': { str: 'outside-link/secret.csv', int: 2, float: 0.9, bool: true },
  'a NUL byte': { str: 'a\u0000b', int: 1, float: 0.5, bool: true },
  'blank strings, negative numbers': { str: '   ', int: -1, float: -1, bool: false },
  'extreme numbers': { str: 'x', int: 2147483647, float: 3.4e38, bool: true },
  'NaN and -2^31': { str: 'x', int: -2147483648, float: NaN, bool: true },
  'unicode and control characters': { str: '\u202e\u0007é😀\r\n', int: 1, float: 0.5, bool: true },
};

/** What a decodable but bad request may get. OK is allowed (e.g. List with filters, Remove of an unknown id). */
const ALLOWED = ['OK', ...CLEAN_REFUSALS];
/** 2 MB in every string field is more than the method ever needs: its per-method message limit may refuse it whole. */
const allowedFor = (label: string) => (label === 'oversized 2 MB strings' ? [...ALLOWED, 'RESOURCE_EXHAUSTED'] : ALLOWED);

async function stillServing(): Promise<void> {
  const pid = srv.pid();
  expect(pid).toBeDefined();
  expect(() => process.kill(pid!, 0)).not.toThrow();
  const fresh = srv.newClient();
  const r = await fresh.attempt('ListPrompts', {}, { timeoutMs: 10_000 });
  expect(r.codeName).toBe('OK');
  fresh.close();
}

/** The log's last position (cached, so each call reads only what is new). */
let knownLast = 0;
async function lastPosition(): Promise<number> {
  const fresh = srv.newClient();
  const events = await listAllEvents(fresh, { after_position: knownLast });
  fresh.close();
  if (events.length) knownLast = events[events.length - 1].position;
  return knownLast;
}

const show = (a: Attempt) => ({ code: a.codeName, details: a.ok ? '' : a.details.slice(0, 200), detailsLength: a.ok ? 0 : a.details.length });

it('the service declares all 32 original RPCs plus ListEvents and WatchEvents', () => {
  expect(RPCS).toEqual(expect.arrayContaining([...ORIGINAL_RPCS, 'ListEvents']));
  expect(protoRpcNames()).toContain('WatchEvents');
});

describe.each(RPCS)('%s', (rpc) => {
  // Each test has its own channel, so a connection wedged by one RPC does not fail the next.
  it('an empty request gets a clean status', async () => {
    const client = srv.newClient();
    const a = await client.attempt(rpc, {}, { timeoutMs: CALL_TIMEOUT_MS });
    client.close();
    expect(show(a)).toEqual({ code: expect.stringMatching(`^(${ALLOWED.join('|')})$`), details: expect.any(String), detailsLength: expect.any(Number) });
  });

  it('every kind of bad field value gets a clean, bounded status and the server stays up', async () => {
    const before = await lastPosition();
    const client = srv.newClient();
    const results = await pool(Object.entries(FILLS), 4, async ([label, fill]) => {
      const a = await client.attempt(rpc, fillRequest(rpc, fill), { timeoutMs: CALL_TIMEOUT_MS });
      return { label, ...show(a) };
    });
    const bad = results.filter((r) => !allowedFor(r.label).includes(r.code) || r.detailsLength > MAX_DETAILS);
    expect(bad).toEqual([]);
    client.close();
    await stillServing();
    // Refused requests leave no partial write behind.
    if (results.every((r) => r.code !== 'OK')) expect(await lastPosition()).toBe(before);
  });

  it('raw bytes that are not a valid message: INVALID_ARGUMENT naming the message (never INTERNAL), or handled cleanly; the server stays up', async () => {
    let seed = rpc.length * 7919;
    const random = Buffer.from(Array.from({ length: 512 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff));
    const bodies: Record<string, Buffer> = {
      'three 0xff bytes': Buffer.from([0xff, 0xff, 0xff]),
      'a truncated length-delimited field': Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x41]),
      'a wrong wire type for field 1': Buffer.from([0x0d, 0x00, 0x00, 0x80, 0x3f]),
      'field 1 as a varint': Buffer.from([0x08, 0x96, 0x01]),
      '512 random bytes': random,
    };
    const client = srv.newClient();
    const results = await Promise.all(
      Object.entries(bodies).map(async ([label, body]) => ({ label, ...(await client.rawUnary(rpc, body, CALL_TIMEOUT_MS)) })),
    );
    client.close();
    const bad = results.filter((r) => !ALLOWED.includes(r.codeName) || r.details.length > MAX_DETAILS);
    expect(bad).toEqual([]);
    // Bytes no decoder accepts are the client's fault.
    expect(results.find((r) => r.label === 'three 0xff bytes')).toMatchObject({
      codeName: 'INVALID_ARGUMENT',
      details: expect.stringMatching(/^The request is not a valid \w+ message: its bytes could not be decoded as protobuf\.$/),
    });
    await stillServing();
  });
});

describe('server-streaming RPCs with bytes that are not a valid message', () => {
  it.each(['WatchEvents', 'WatchJob', 'GetJobLogs'])('%s: INVALID_ARGUMENT naming the message', async (rpc) => {
    const client = srv.newClient();
    const status = await new Promise<{ code: number; details: string }>((resolve) => {
      const call = client.raw.makeServerStreamRequest<Buffer, Buffer>(
        `/fine_tuning_studio.FineTuningStudio/${rpc}`,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from([0xff, 0xff, 0xff]),
        new grpc.Metadata(),
        { deadline: Date.now() + CALL_TIMEOUT_MS },
      );
      call.on('data', () => undefined);
      call.on('error', (e: grpc.ServiceError) => resolve({ code: e.code, details: e.details }));
      call.on('end', () => resolve({ code: 0, details: '' }));
    });
    client.close();
    expect(status).toEqual({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/^The request is not a valid \w+ message: its bytes could not be decoded as protobuf\.$/) });
    await stillServing();
  });
});

describe('WatchEvents with bad input', () => {
  it.each<[string, Msg]>([
    ['a negative position', { after_position: -5 }],
    ['a position past the end', { after_position: 2 ** 52 }],
    ['a 2 MB stream id', { stream_id: MB2 }],
    ['unknown types', { types: ['NoSuchEvent', MB2.slice(0, 1000)] }],
  ])('%s: streams or refuses cleanly, and the server stays up', async (_l, req) => {
    const call = srv.client.stream('WatchEvents', req);
    const outcome = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => {
        call.cancel();
      }, 1500);
      call.on('data', () => undefined);
      call.on('error', (e: { code?: number }) => {
        clearTimeout(timer);
        resolve(e.code === 1 ? 'CANCELLED' : String(e.code));
      });
      call.on('end', () => {
        clearTimeout(timer);
        resolve('END');
      });
    });
    // CANCELLED: still streaming when we hung up (fine). 3/5/9: a clean refusal.
    expect(['CANCELLED', 'END', '3', '5', '9']).toContain(outcome);
    await stillServing();
  });
});

describe('paths from requests stay inside the project root (symlinks included)', () => {
  const noSecretLeak = (a: Attempt) => expect(JSON.stringify(a)).not.toMatch(/TOP-SECRET|secret_column|SecretForCausalLM|root:x:0/);

  it.each<[string, Msg]>([
    ['a CSV through a symlinked folder', { type: 'project_csv', location: 'outside-link/secret.csv', name: 'esc-1' }],
    ['a JSON through a symlinked folder', { type: 'project_json', location: 'outside-link/secret.json', name: 'esc-2' }],
    ['a JSONL through a symlinked folder', { type: 'project_jsonl', location: 'outside-link/secret.jsonl', name: 'esc-3' }],
    ['a symlinked file to /etc/passwd', { type: 'project_csv', location: 'data/passwd.csv', name: 'esc-4' }],
    ['an absolute path outside', { type: 'project_csv', location: '<outside>/secret.csv', name: 'esc-5' }],
    ['a ../ path outside', { type: 'project_csv', location: '../../<outside-base>/secret.csv', name: 'esc-6' }],
  ])('AddDataset refuses %s', async (_l, req) => {
    const location = String(req.location)
      .replace('<outside>', outside)
      .replace('<outside-base>', path.relative(path.dirname(path.dirname(srv.root)), outside));
    const a = await srv.client.attempt('AddDataset', { ...req, location });
    expectStatus(a, 'INVALID_ARGUMENT');
    noSecretLeak(a);
    const { datasets } = await srv.client.call('ListDatasets', {});
    expect(datasets.map((d: Msg) => d.name)).not.toContain(req.name);
  });

  it('AddAdapter refuses a location through the symlink', async () => {
    const a = await srv.client.attempt('AddAdapter', { type: 'project', name: 'esc-adapter', model_id: 'no-model', location: 'outside-link' });
    expectStatus(a, 'INVALID_ARGUMENT');
    expect((await srv.client.call('ListAdapters', {})).adapters.map((x: Msg) => x.name)).not.toContain('esc-adapter');
  });

  it('AddModel project refuses a folder through the symlink', async () => {
    const a = await srv.client.attempt('AddModel', { type: 'project', location: 'outside-link', name: 'esc-model' });
    expectStatus(a, 'INVALID_ARGUMENT');
    noSecretLeak(a);
  });

  it('StartFineTuningJob refuses an output dir or a user script through the symlink', async () => {
    const base = { adapter_name: 'esc-job', num_workers: 1, num_epochs: 1, learning_rate: 0.001, cpu: 1, memory: 1, dataset_fraction: 1, train_test_split: 0.9 };
    expectStatus(await srv.client.attempt('StartFineTuningJob', { ...base, output_dir: 'outside-link' }), 'INVALID_ARGUMENT');
    const { datasets } = await srv.client.call('ListDatasets', {});
    const { models } = await srv.client.call('ListModels', {});
    const { prompts } = await srv.client.call('ListPrompts', {});
    const refs = { base_model_id: models[0]?.id ?? 'm', dataset_id: datasets[0]?.id ?? 'd', prompt_id: prompts[0]?.id ?? '' };
    const a = await srv.client.attempt('StartFineTuningJob', { ...base, ...refs, adapter_name: 'esc-job-2', user_script: 'outside-link/train.py' });
    expectStatus(a, 'INVALID_ARGUMENT');
    noSecretLeak(a);
    expect((await srv.client.call('ListFineTuningJobs', {})).fine_tuning_jobs).toEqual([]);
  });

  it.each(['outside-link/export.json', '/etc/passwd', '../../../../etc/passwd', 'data/passwd.csv'])('ImportDatabase refuses %s', async (p) => {
    const a = await srv.client.attempt('ImportDatabase', { imported_json_path: p });
    expectStatus(a, 'INVALID_ARGUMENT');
    noSecretLeak(a);
    expectStatus(await srv.client.attempt('GetDataset', { id: 'secret-row' }), 'NOT_FOUND');
  });

  it('the server is still up after all of it', stillServing);
});
