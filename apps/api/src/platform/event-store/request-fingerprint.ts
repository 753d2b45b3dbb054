import { createHash } from 'node:crypto';

/**
 * A fingerprint of a request, stored with its idempotency key: the same key
 * with a different fingerprint is a different request. Object keys are
 * sorted so the order a client wrote its fields in does not matter.
 */
export function requestFingerprint(transport: string, request: unknown): string {
  return `${transport}:${createHash('sha256').update(stableJson(request)).digest('hex')}`;
}

function stableJson(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('base64'));
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

/**
 * Whether a stored fingerprint and a new one are the same request. Keys
 * recorded before fingerprints existed, or by the other transport (whose
 * request shape differs), cannot be compared and replay as before.
 */
export function sameRequest(stored: string | null | undefined, current: string | undefined): boolean {
  if (!stored || !current) return true;
  const transport = (f: string) => f.slice(0, f.indexOf(':'));
  if (transport(stored) !== transport(current)) return true;
  return stored === current;
}
