/** An event a decider produces: not yet stored. */
export interface NewEvent<T extends string = string, D = unknown> {
  type: T;
  streamId: string;
  streamType: string;
  data: D;
  /** Optimistic concurrency: the version the stream must be at before this event (0: new stream). */
  expectedVersion?: number;
  schemaVersion?: number;
}

export interface EventMetadata {
  correlation_id: string;
  causation_id?: string;
  idempotency_key?: string;
  actor: string;
  transport: 'grpc' | 'http' | 'cli' | 'system';
  client?: string;
}

/** An event as stored in the log. */
export interface RecordedEvent<T extends string = string, D = unknown> {
  position: number;
  streamId: string;
  streamType: string;
  streamVersion: number;
  type: T;
  schemaVersion: number;
  data: D;
  metadata: EventMetadata;
  recordedAt: string;
}

/** One member of an area's event union: its type and its payload (the stored `data`, as is). */
export interface EventOf<T extends string, D> {
  type: T;
  data: D;
}

/** The new (not yet stored) events of a union: `type` and `data` go together, member by member. */
export type NewEventOf<E extends EventOf<string, unknown>> = E extends EventOf<infer T, infer D> ? NewEvent<T, D> : never;
/** The stored events of a union: a switch on `type` narrows `data`. */
export type RecordedEventOf<E extends EventOf<string, unknown>> = E extends EventOf<infer T, infer D> ? RecordedEvent<T, D> : never;

/** Turns an old event shape into the current one on read; events are never rewritten. */
export type Upcaster = (data: unknown, schemaVersion: number) => { data: unknown; schemaVersion: number };
