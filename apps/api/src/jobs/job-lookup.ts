import {
  JOB_STREAM_TYPES,
  LIVE_STATUSES,
  MAX_NAME_LENGTH,
  STREAM_TABLES,
  invalidArgument,
  notFound,
  streamIdOf,
  type CatalogReader,
  type JobRef,
  type JobRow,
  type JobTableName,
} from '@fts/domain';

/** A job of any kind, found by id: where it lives and its row. */
export interface FoundJob {
  ref: JobRef;
  table: JobTableName;
  streamId: string;
  row: JobRow;
}

/** Shape checks for a job id field: required, bounded. */
export function requireJobId(id: string | undefined, field: string, request: string): string {
  if (!id) throw invalidArgument('FIELD.REQUIRED', `Field '${field}' is required in ${request}.`);
  if (id.length > MAX_NAME_LENGTH) {
    throw invalidArgument('FIELD.TOO_LONG', `Field '${field}' is too long (${id.length} characters; at most ${MAX_NAME_LENGTH}).`);
  }
  return id;
}

/**
 * The job with this id: a fine-tuning job, an evaluation job, an adapter
 * comparison or a model export (searched in that order). NOT_FOUND otherwise.
 */
export function findJob(read: CatalogReader, id: string): FoundJob {
  for (const streamType of JOB_STREAM_TYPES) {
    const table = STREAM_TABLES[streamType];
    const row = read.get(table, id);
    if (row) return { ref: { streamType, id }, table, streamId: streamIdOf(streamType, id), row };
  }
  throw notFound('JOB.NOT_FOUND', `Job with ID '${id}' does not exist (no fine-tuning job, evaluation job, adapter comparison or model export has it).`);
}

/** A job in a status the machine can still move out of; anything else (terminal, imported, unknown) never changes again. */
export const isLive = (status: unknown) => typeof status === 'string' && (LIVE_STATUSES as readonly string[]).includes(status);
