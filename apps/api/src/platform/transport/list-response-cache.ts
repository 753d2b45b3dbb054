import loader, { type PackageDefinition } from '@grpc/proto-loader';
import { PROTO_PACKAGE, PROTO_PATH, SERVICE_NAME } from '@fts/proto';
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../database/open-database.js';
import type { EventStore } from '../event-store/event-store.js';
import { GRPC_LOADER_OPTIONS } from './grpc-loader-options.js';

/** A response already encoded to protobuf bytes: the gRPC server sends it as is. */
export class EncodedResponse {
  constructor(readonly bytes: Buffer) {}
}

type Serializer = (value: unknown) => Buffer;
type MethodDefinitions = Record<string, { responseSerialize: Serializer }>;

const SERVICE_KEY = `${PROTO_PACKAGE}.${SERVICE_NAME}`;

/** Lets every method of the service send an EncodedResponse without encoding it again. */
export function acceptEncodedResponses(definition: PackageDefinition): void {
  const methods = definition[SERVICE_KEY] as unknown as MethodDefinitions;
  for (const name of Object.keys(methods)) {
    const encode = methods[name].responseSerialize;
    methods[name].responseSerialize = (value: unknown) => (value instanceof EncodedResponse ? value.bytes : encode(value));
  }
}

const MAX_ENTRIES = 256;

/**
 * The projection tables each cached list is built from. A write to another
 * table leaves its answer valid; a method not named here is rebuilt after
 * any write of this process.
 */
const TABLES_READ: Record<string, string[]> = {
  ListDatasets: ['datasets'],
  ListPrompts: ['prompts'],
  ListConfigs: ['configs', 'models'],
};

/**
 * List responses, encoded once per state of the tables they read. The key of
 * an answer holds the write versions of its tables in this process
 * (EventStore.tableVersion; any write for a method not in TABLES_READ) and
 * SQLite's `data_version` (which moves when another process, such as the
 * CLI, commits), so a cached answer is never older than the last committed
 * write to what it shows, and writes elsewhere do not throw it away.
 */
export class ListResponseCache {
  private readonly serializers: Record<string, Serializer>;
  private readonly dataVersion: Statement;
  private readonly entries = new Map<string, { version: string; response: EncodedResponse }>();

  constructor(
    db: Sqlite,
    private readonly store: EventStore,
  ) {
    const definition = loader.loadSync(PROTO_PATH, GRPC_LOADER_OPTIONS);
    const methods = definition[SERVICE_KEY] as unknown as MethodDefinitions;
    this.serializers = Object.fromEntries(Object.entries(methods).map(([name, m]) => [name, m.responseSerialize]));
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  get(method: string, request: unknown, build: () => unknown): EncodedResponse {
    const version = `${this.writeVersion(method)}:${String(this.dataVersion.get())}`;
    const key = `${method}:${JSON.stringify(request)}`;
    const hit = this.entries.get(key);
    if (hit?.version === version) return hit.response;
    const serialize = this.serializers[method];
    if (!serialize) throw new Error(`no such method ${method}`);
    const response = new EncodedResponse(serialize(build()));
    if (!hit && this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { version, response });
    return response;
  }

  private writeVersion(method: string): string {
    const tables = TABLES_READ[method];
    if (!tables) return `c${this.store.writes}`;
    return tables.map((t) => this.store.tableVersion(t)).join('.');
  }
}
