/**
 * A promise-based grpc-js client for the FineTuningStudio service, loaded
 * from the project's .proto with the same loader options as the server
 * (keepCase, defaults, longs as Number).
 *
 *   const c = createClient('127.0.0.1:50051');
 *   const res = await c.call('ListPrompts', {});             // resolves with the response
 *   const r = await c.attempt('GetPrompt', { id: 'nope' });   // { ok: false, code: 5, codeName: 'NOT_FOUND', details }
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const PROTO_PATH = path.join(REPO_ROOT, 'libs/proto/fine_tuning_studio.proto');
export const SERVICE_PATH = '/fine_tuning_studio.FineTuningStudio';

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** Every RPC of the original service (wire.md), in the contract's order. */
export const ORIGINAL_RPCS = [
  'ListDatasets',
  'GetDataset',
  'AddDataset',
  'RemoveDataset',
  'GetDatasetSplitByAdapter',
  'ListModels',
  'GetModel',
  'AddModel',
  'ExportModel',
  'RemoveModel',
  'ListAdapters',
  'GetAdapter',
  'AddAdapter',
  'RemoveAdapter',
  'ListPrompts',
  'GetPrompt',
  'AddPrompt',
  'RemovePrompt',
  'ListFineTuningJobs',
  'GetFineTuningJob',
  'StartFineTuningJob',
  'RemoveFineTuningJob',
  'ListEvaluationJobs',
  'GetEvaluationJob',
  'StartEvaluationJob',
  'RemoveEvaluationJob',
  'ListConfigs',
  'GetConfig',
  'AddConfig',
  'RemoveConfig',
  'ExportDatabase',
  'ImportDatabase',
] as const;

export type Rpc = (typeof ORIGINAL_RPCS)[number] | 'ListEvents' | 'WatchEvents';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Msg = Record<string, any>;

/** grpc status number → name (0 → 'OK', 5 → 'NOT_FOUND', ...). */
export const codeName = (code: number): string =>
  (Object.entries(grpc.status).find(([, v]) => v === code)?.[0] as string | undefined) ?? `CODE_${code}`;

/** A failed call, as an Error carrying the status. */
export class RpcFailure extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`${method} failed: ${codeName(code)} ${details}`);
  }
  get codeName(): string {
    return codeName(this.code);
  }
}

export type Attempt<T = Msg> =
  | { ok: true; code: 0; codeName: 'OK'; response: T; details?: undefined }
  | { ok: false; code: number; codeName: string; details: string; response?: undefined };

let cachedDefinition: protoLoader.PackageDefinition | undefined;
export function packageDefinition(): protoLoader.PackageDefinition {
  cachedDefinition ??= protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS);
  return cachedDefinition;
}

/** The service's RPC names as the project's .proto declares them. */
export function protoRpcNames(): string[] {
  const svc = packageDefinition()['fine_tuning_studio.FineTuningStudio'] as protoLoader.ServiceDefinition;
  return Object.keys(svc);
}

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_send_message_length': 64 * 1024 * 1024,
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  // Each client gets its own connection (grpc-js shares subchannels between
  // clients of the same target by default), so "N concurrent clients" really
  // are N connections, and one wedged connection does not hang the others.
  'grpc.use_local_subchannel_pool': 1,
};

export interface CallOptions {
  metadata?: Record<string, string> | grpc.Metadata;
  /** Per-call deadline in ms (default 30 s). */
  timeoutMs?: number;
}

export class FtsClient {
  readonly raw: grpc.Client;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly stub: any;

  constructor(
    readonly address: string,
    private readonly defaultMetadata: Record<string, string> = {},
  ) {
    const pkg = grpc.loadPackageDefinition(packageDefinition()) as unknown as {
      fine_tuning_studio: { FineTuningStudio: grpc.ServiceClientConstructor };
    };
    this.stub = new pkg.fine_tuning_studio.FineTuningStudio(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
    this.raw = this.stub as grpc.Client;
  }

  private metadataOf(md?: Record<string, string> | grpc.Metadata): grpc.Metadata {
    if (md instanceof grpc.Metadata) return md;
    const out = new grpc.Metadata();
    for (const [k, v] of Object.entries({ ...this.defaultMetadata, ...(md ?? {}) })) out.set(k, v);
    return out;
  }

  /** Unary call: resolves with the response, rejects with an RpcFailure. */
  call<T = Msg>(method: Rpc | string, req: Msg = {}, opts: CallOptions | Record<string, string> = {}): Promise<T> {
    const o: CallOptions = 'metadata' in opts || 'timeoutMs' in opts ? (opts as CallOptions) : { metadata: opts as Record<string, string> };
    const fn = this.stub[method];
    if (typeof fn !== 'function') return Promise.reject(new Error(`no RPC ${method} in ${PROTO_PATH}`));
    return new Promise<T>((resolve, reject) => {
      fn.call(
        this.stub,
        req,
        this.metadataOf(o.metadata),
        { deadline: Date.now() + (o.timeoutMs ?? 30_000) },
        (err: grpc.ServiceError | null, res: T) => {
          if (err) reject(new RpcFailure(method, err.code ?? grpc.status.UNKNOWN, err.details ?? err.message));
          else resolve(res);
        },
      );
    });
  }

  /** Unary call that never rejects on a status: { ok, code, codeName, details | response }. */
  async attempt<T = Msg>(method: Rpc | string, req: Msg = {}, opts: CallOptions | Record<string, string> = {}): Promise<Attempt<T>> {
    try {
      const response = await this.call<T>(method, req, opts);
      return { ok: true, code: 0, codeName: 'OK', response };
    } catch (e) {
      if (e instanceof RpcFailure) return { ok: false, code: e.code, codeName: e.codeName, details: e.details };
      throw e;
    }
  }

  /** Server-streaming call (WatchEvents). */
  stream(method: 'WatchEvents' | string, req: Msg = {}, md?: Record<string, string>): grpc.ClientReadableStream<Msg> {
    return this.stub[method].call(this.stub, req, this.metadataOf(md));
  }

  /**
   * Sends raw bytes as the request of `method` (no serialisation), e.g. a
   * buffer that is not a valid protobuf message. Resolves with the status.
   */
  rawUnary(method: string, body: Buffer, timeoutMs = 15_000): Promise<{ code: number; codeName: string; details: string }> {
    return new Promise((resolve) => {
      this.raw.makeUnaryRequest<Buffer, Buffer>(
        `${SERVICE_PATH}/${method}`,
        (b: Buffer) => b,
        (b: Buffer) => b,
        body,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (err) => {
          const code = err ? (err.code ?? grpc.status.UNKNOWN) : grpc.status.OK;
          resolve({ code, codeName: codeName(code), details: err?.details ?? '' });
        },
      );
    });
  }

  /** Resolves once the channel is connected (or rejects after timeoutMs). */
  waitForReady(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) =>
      this.raw.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve())),
    );
  }

  close(): void {
    this.raw.close();
  }
}

export function createClient(address: string, defaultMetadata?: Record<string, string>): FtsClient {
  return new FtsClient(address, defaultMetadata);
}

export { grpc };
