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

/** Turns an old event shape into the current one on read; events are never rewritten. */
export type Upcaster = (data: unknown, schemaVersion: number) => { data: unknown; schemaVersion: number };
