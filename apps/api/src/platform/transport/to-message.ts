import type { Row } from '@fts/domain';

/** A projection row as a proto message object: NULL columns are left unset (they read as '' / 0). */
export function toMessage<T>(row: Row): T {
  const out: Record<string, unknown> = {};
  for (const k in row) if (row[k] !== null) out[k] = row[k];
  return out as T;
}
