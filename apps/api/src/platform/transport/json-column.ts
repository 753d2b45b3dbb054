/** Parses a JSON text column; undefined when it is empty or not JSON. */
export function parseJsonColumn(v: unknown): unknown {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}
