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
 * List responses, encoded once per state of the database. The key includes
 * this process's commit count and SQLite's `data_version` (which moves when
 * another process, such as the CLI, commits), so a cached answer is never
 * older than the last committed write.
 */
export class ListResponseCache {
  private readonly serializers: Record<string, Serializer>;
  private readonly dataVersion: Statement;
  private version = '';
  private readonly entries = new Map<string, EncodedResponse>();

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
    const version = `${this.store.commits}:${String(this.dataVersion.get())}`;
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    const key = `${method}:${JSON.stringify(request)}`;
    let hit = this.entries.get(key);
    if (!hit) {
      const serialize = this.serializers[method];
      if (!serialize) throw new Error(`no such method ${method}`);
      hit = new EncodedResponse(serialize(build()));
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, hit);
    }
    return hit;
  }
}
