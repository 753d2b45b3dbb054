/**
 * A typed, promise-based client of the Fine Tuning Studio gRPC service.
 *
 *   const fts = new FineTuningStudioClient();          // FINE_TUNING_SERVICE_IP / _PORT, else 127.0.0.1:50051
 *   const { datasets } = await fts.listDatasets();
 *   const { dataset } = await fts.call('GetDataset', { id: datasets[0].id });
 *   for await (const u of fts.watchJob(jobId)) console.log(u.kind, u.status, u.metric?.values);
 *
 * Every RPC is a camelCase method (`listDatasets`, `startFineTuningJob`, …) and can be called by
 * its .proto name through `call` (unary) or `stream` (server streaming); requests and responses
 * are the generated types of @fts/proto. A failed call rejects with an `FtsError`.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_PATH, PROTO_PACKAGE, SERVICE_NAME } from '@fts/proto';
import type { CancelEvaluationJobResponse, CancelFineTuningJobResponse, EvaluationJobMetadata, FineTuningJobMetadata, JobUpdate } from '@fts/proto';
import { FtsError, JobWaitTimeoutError } from './errors.js';
import {
  TERMINAL_JOB_STATUSES,
  type AnyJob,
  type RequestInit,
  type ResponseOf,
  type RpcName,
  type ServerStream,
  type StreamingRpc,
  type UnaryRpc,
} from './types.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 50051;

/** The loader options the server uses: field names as in the .proto, int64 as number, defaults filled in. */
export const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

export interface ClientOptions {
  /** `host:port`; wins over host and port. */
  address?: string;
  /** Else env FINE_TUNING_SERVICE_IP, else 127.0.0.1. */
  host?: string;
  /** Else env FINE_TUNING_SERVICE_PORT, else 50051. */
  port?: number | string;
  /** Sent as `authorization: Bearer <token>` on every call. Else env FTS_AUTH_TOKEN; null: none. */
  token?: string | null;
  /** Default deadline of each unary call, in ms (none by default). */
  timeoutMs?: number;
  /** Channel credentials (default: insecure, as the original). */
  credentials?: grpc.ChannelCredentials;
  channelOptions?: grpc.ChannelOptions;
  /** Where the env conventions are read (default process.env). */
  env?: Record<string, string | undefined>;
}

export interface CallOptions {
  /** Deadline of this call in ms (unary: default the client's timeoutMs; streams: none). */
  timeoutMs?: number;
  /** Extra metadata for this call. */
  metadata?: Record<string, string> | grpc.Metadata;
  /** Cancels the call when aborted. */
  signal?: AbortSignal;
}

export interface WaitOptions {
  /** Give up (JobWaitTimeoutError) after this many ms; default: wait forever. */
  timeoutMs?: number;
  /** Time between polls (default 1000 ms). */
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

export interface RpcInfo {
  name: RpcName;
  requestType: string;
  responseType: string;
  responseStream: boolean;
}

let cachedDefinition: protoLoader.PackageDefinition | undefined;
function packageDefinition(): protoLoader.PackageDefinition {
  cachedDefinition ??= protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS);
  return cachedDefinition;
}

const SERVICE = `${PROTO_PACKAGE}.${SERVICE_NAME}`;

/** Every RPC of the service, in the .proto's order. */
export function rpcs(): RpcInfo[] {
  const svc = packageDefinition()[SERVICE] as protoLoader.ServiceDefinition;
  return Object.entries(svc).map(([name, d]) => ({
    name: name as RpcName,
    requestType: (d.requestType.type as { name: string }).name,
    responseType: (d.responseType.type as { name: string }).name,
    responseStream: d.responseStream,
  }));
}

/** Unset message fields come back from proto-loader as null; the generated types say undefined. */
function normalize<T>(value: T): T {
  if (value === null) return undefined as T;
  if (Array.isArray(value)) return value.map(normalize) as T;
  if (typeof value === 'object' && !Buffer.isBuffer(value)) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = normalize(o[k]);
  }
  return value;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(t);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });

/** Where a job id is looked up, in the server's own order. */
const JOB_KINDS = [
  { kind: 'fine_tuning_job', rpc: 'GetFineTuningJob', field: 'fine_tuning_job' },
  { kind: 'evaluation_job', rpc: 'GetEvaluationJob', field: 'evaluation_job' },
  { kind: 'adapter_comparison', rpc: 'GetAdapterComparison', field: 'comparison' },
  { kind: 'model_export', rpc: 'GetModelExport', field: 'export' },
] as const;

type UnaryMethods = {
  [K in UnaryRpc as Uncapitalize<K>]: (request?: RequestInit<K>, options?: CallOptions) => Promise<ResponseOf<K>>;
};
type StreamMethods = {
  [K in Exclude<StreamingRpc, 'WatchJob'> as Uncapitalize<K>]: (request?: RequestInit<K>, options?: CallOptions) => ServerStream<ResponseOf<K>>;
};

// The camelCase RPC methods are put on the prototype from the .proto (below); this declares them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface FineTuningStudioClient extends UnaryMethods, StreamMethods {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class FineTuningStudioClient {
  /** `host:port` the client talks to. */
  readonly address: string;
  /** The grpc-js client (loaded with LOADER_OPTIONS); the token interceptor applies to it too. */
  readonly raw: grpc.Client;
  private readonly timeoutMs?: number;
  private readonly jobKinds = new Map<string, (typeof JOB_KINDS)[number]>();

  constructor(options: ClientOptions = {}) {
    const env = options.env ?? process.env;
    const host = options.host || env.FINE_TUNING_SERVICE_IP || DEFAULT_HOST;
    const port = options.port || env.FINE_TUNING_SERVICE_PORT || DEFAULT_PORT;
    this.address = options.address || `${host}:${port}`;
    this.timeoutMs = options.timeoutMs;
    const token = options.token === undefined ? env.FTS_AUTH_TOKEN || undefined : options.token || undefined;
    const interceptors: grpc.Interceptor[] = token
      ? [
          (opts, nextCall) =>
            new grpc.InterceptingCall(nextCall(opts), {
              start(metadata, listener, next) {
                metadata.set('authorization', `Bearer ${token}`);
                next(metadata, listener);
              },
            }),
        ]
      : [];
    const pkg = grpc.loadPackageDefinition(packageDefinition()) as unknown as Record<string, Record<string, grpc.ServiceClientConstructor>>;
    const Ctor = pkg[PROTO_PACKAGE][SERVICE_NAME];
    this.raw = new Ctor(this.address, options.credentials ?? grpc.credentials.createInsecure(), {
      ...(options.channelOptions ?? {}),
      interceptors,
    });
  }

  // ---------------------------------------------------------------- calls by .proto name

  /** A unary RPC by its .proto name: resolves with the response, rejects with an FtsError. */
  call<K extends UnaryRpc>(method: K, request: RequestInit<K> = {} as RequestInit<K>, options: CallOptions = {}): Promise<ResponseOf<K>> {
    const fn = (this.raw as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') return Promise.reject(new FtsError(`No RPC ${method} in the service.`, grpc.status.UNIMPLEMENTED, '', method));
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise<ResponseOf<K>>((resolve, reject) => {
      if (options.signal?.aborted) return reject(new FtsError('The call was aborted.', grpc.status.CANCELLED, 'aborted', method));
      const call = (fn as (...a: unknown[]) => grpc.ClientUnaryCall).call(
        this.raw,
        request,
        this.metadataOf(options.metadata),
        timeoutMs !== undefined ? { deadline: Date.now() + timeoutMs } : {},
        (err: grpc.ServiceError | null, res: ResponseOf<K>) => {
          options.signal?.removeEventListener('abort', abort);
          if (err) reject(FtsError.from(err, method));
          else resolve(normalize(res));
        },
      );
      function abort() {
        call.cancel();
      }
      options.signal?.addEventListener('abort', abort, { once: true });
    });
  }

  /**
   * A server-streaming RPC by its .proto name, as an async iterator of its messages. A failed
   * stream throws an FtsError from the loop; `cancel()`, a `break` or an aborted signal ends the
   * call (quietly).
   */
  stream<K extends StreamingRpc>(method: K, request: RequestInit<K> = {} as RequestInit<K>, options: CallOptions = {}): ServerStream<ResponseOf<K>> {
    const fn = (this.raw as unknown as Record<string, (...a: unknown[]) => grpc.ClientReadableStream<ResponseOf<K>>>)[method];
    const call = fn.call(
      this.raw,
      request,
      this.metadataOf(options.metadata),
      options.timeoutMs !== undefined ? { deadline: Date.now() + options.timeoutMs } : {},
    );
    call.on('error', () => undefined); // surfaced through the iterator below
    let cancelled = false;
    const cancel = () => {
      cancelled = true;
      call.cancel();
    };
    if (options.signal?.aborted) cancel();
    else options.signal?.addEventListener('abort', cancel, { once: true });
    async function* iterate(): AsyncGenerator<ResponseOf<K>> {
      try {
        for await (const message of call) yield normalize(message as ResponseOf<K>);
      } catch (e) {
        if (cancelled && (e as grpc.ServiceError)?.code === grpc.status.CANCELLED) return;
        throw FtsError.from(e, method);
      } finally {
        options.signal?.removeEventListener('abort', cancel);
        cancelled = true;
        call.cancel();
      }
    }
    return Object.assign(iterate(), { cancel });
  }

  // ---------------------------------------------------------------- the original client's helpers

  /** Every dataset (ListDatasets), in insertion order. */
  async getDatasets() {
    return (await this.call('ListDatasets')).datasets;
  }
  /** Every prompt (ListPrompts). */
  async getPrompts() {
    return (await this.call('ListPrompts')).prompts;
  }
  /** Every model (ListModels). */
  async getModels() {
    return (await this.call('ListModels')).models;
  }
  /** Every adapter (ListAdapters). */
  async getAdapters() {
    return (await this.call('ListAdapters')).adapters;
  }
  /** Every fine-tuning job (ListFineTuningJobs). */
  async getFineTuningJobs() {
    return (await this.call('ListFineTuningJobs')).fine_tuning_jobs;
  }
  /** Every evaluation job (ListEvaluationJobs). */
  async getEvaluationJobs() {
    return (await this.call('ListEvaluationJobs')).evaluation_jobs;
  }
  /** Configs (ListConfigs), optionally of one type (a ConfigType) or for one model's family. */
  async getConfigs(filter: RequestInit<'ListConfigs'> = {}) {
    return (await this.call('ListConfigs', filter)).configs;
  }

  // ---------------------------------------------------------------- jobs

  /** The job with this id, whatever its kind (fine-tuning, evaluation, adapter comparison, model export). */
  async getJob(id: string, options: CallOptions = {}): Promise<AnyJob> {
    const known = this.jobKinds.get(id);
    const kinds = known ? [known] : JOB_KINDS;
    for (const k of kinds) {
      try {
        const res = (await this.call(k.rpc, { id }, options)) as unknown as Record<string, AnyJob>;
        this.jobKinds.set(id, k);
        return res[k.field];
      } catch (e) {
        if (e instanceof FtsError && e.code === grpc.status.NOT_FOUND && kinds.length > 1) continue;
        throw e;
      }
    }
    throw new FtsError(
      `Job with ID '${id}' does not exist (no fine-tuning job, evaluation job, adapter comparison or model export has it).`,
      grpc.status.NOT_FOUND,
      '',
      'getJob',
    );
  }

  /**
   * Polls the job until it reaches a terminal status (succeeded, failed, cancelled) and resolves
   * with it. Rejects with JobWaitTimeoutError when `timeoutMs` passes first.
   */
  async waitForJob(id: string, options: WaitOptions = {}): Promise<AnyJob> {
    const every = options.pollIntervalMs ?? 1000;
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    for (;;) {
      const job = await this.getJob(id, { signal: options.signal });
      if (TERMINAL_JOB_STATUSES.includes(job.status)) return job;
      if (deadline !== undefined) {
        const left = deadline - Date.now();
        if (left <= 0) throw new JobWaitTimeoutError(id, job.status, options.timeoutMs!);
        await sleep(Math.min(every, left), options.signal);
      } else {
        await sleep(every, options.signal);
      }
    }
  }

  /**
   * The job's updates (JobUpdate: kind "status" or "metric") in order: its current status and
   * metric points, then live, until the job ends (WatchJob).
   */
  watchJob(job: string | RequestInit<'WatchJob'>, options: CallOptions = {}): ServerStream<JobUpdate> {
    return this.stream('WatchJob', typeof job === 'string' ? { job_id: job } : job, options);
  }

  /** Cancels a fine-tuning or evaluation job; resolves with it as it is after the request (cancelling or cancelled). */
  async cancelJob(id: string, options: CallOptions = {}): Promise<FineTuningJobMetadata | EvaluationJobMetadata> {
    const attempts: [() => Promise<CancelFineTuningJobResponse | CancelEvaluationJobResponse>, 'fine_tuning_job' | 'evaluation_job'][] = [
      [() => this.call('CancelFineTuningJob', { id }, options), 'fine_tuning_job'],
      [() => this.call('CancelEvaluationJob', { id }, options), 'evaluation_job'],
    ];
    for (const [attempt, field] of attempts) {
      try {
        const res = (await attempt()) as unknown as Record<string, FineTuningJobMetadata | EvaluationJobMetadata>;
        return res[field];
      } catch (e) {
        if (e instanceof FtsError && e.code === grpc.status.NOT_FOUND) continue;
        throw e;
      }
    }
    throw new FtsError(`Job with ID '${id}' does not exist (no fine-tuning or evaluation job has it).`, grpc.status.NOT_FOUND, '', 'cancelJob');
  }

  /** Closes the channel. */
  close(): void {
    this.raw.close();
  }

  private metadataOf(md?: Record<string, string> | grpc.Metadata): grpc.Metadata {
    if (md instanceof grpc.Metadata) return md.clone();
    const out = new grpc.Metadata();
    for (const [k, v] of Object.entries(md ?? {})) out.set(k, v);
    return out;
  }
}

// Every RPC as a camelCase method (ListDatasets → listDatasets), from the .proto.
for (const { name, responseStream } of rpcs()) {
  const camel = name[0].toLowerCase() + name.slice(1);
  if (Object.prototype.hasOwnProperty.call(FineTuningStudioClient.prototype, camel)) continue; // watchJob takes an id
  const method = responseStream
    ? function (this: FineTuningStudioClient, request?: object, options?: CallOptions) {
        return this.stream(name as StreamingRpc, request as never, options);
      }
    : function (this: FineTuningStudioClient, request?: object, options?: CallOptions) {
        return this.call(name as UnaryRpc, request as never, options);
      };
  Object.defineProperty(method, 'name', { value: camel });
  Object.defineProperty(FineTuningStudioClient.prototype, camel, { value: method, writable: true, configurable: true });
}
