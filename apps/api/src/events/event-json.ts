import type { RecordedEvent } from '@fts/domain';
import type { EventRecord } from '@fts/proto';

/** An event in the wire's snake_case shape, data and metadata as objects (HTTP, CLI). */
export const toEventJson = (e: RecordedEvent) => ({
  position: e.position,
  stream_id: e.streamId,
  stream_type: e.streamType,
  stream_version: e.streamVersion,
  type: e.type,
  schema_version: e.schemaVersion,
  data: e.data,
  metadata: e.metadata,
  recorded_at: e.recordedAt,
});

/** The gRPC EventRecord: the same, with data and metadata as JSON text. */
export const toEventRecord = (e: RecordedEvent): EventRecord => ({
  ...toEventJson(e),
  data: JSON.stringify(e.data),
  metadata: JSON.stringify(e.metadata),
});
