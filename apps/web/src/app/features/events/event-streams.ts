import type { NamedKind } from '../../core/entity-names';
import { EventRecord, entityIdOf } from '../../core/models';

const NAME_FIELDS = ['name', 'adapter_name', 'model_name', 'description'] as const;

function nameIn(v: unknown): string | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  for (const k of NAME_FIELDS) if (typeof o[k] === 'string' && (o[k] as string).trim()) return (o[k] as string).trim();
  return undefined;
}

/** stream_id → the entity's name, from whatever events carry one (so removed entities keep their names). */
export function streamNames(events: readonly EventRecord[]): Map<string, string> {
  const m = new Map<string, string>();
  // Oldest first, so a later rename wins.
  for (const e of [...events].sort((a, b) => a.position - b.position)) {
    const row = e.data?.['row'] as Record<string, unknown> | undefined;
    // A config has no name: its description, else its type (lora_config…) tells it apart better than an id.
    const n = nameIn(row) ?? nameIn(e.data) ?? (e.stream_type === 'config' && typeof row?.['type'] === 'string' ? (row['type'] as string) : undefined);
    if (n) m.set(e.stream_id, n);
  }
  return m;
}

export interface StreamLabel { kind: string; name: string; id: string }

/** What the Stream column shows: the kind of entity, its name (else a short id), and its full id to copy. */
export function streamLabel(e: EventRecord, names: Map<string, string>, nameOf: (id: string) => string): StreamLabel {
  const id = entityIdOf(e);
  const known = nameOf(id);
  const name = names.get(e.stream_id) ?? (known && known !== id ? known : id.slice(0, 8));
  return { kind: e.stream_type.replace(/_/g, ' '), name, id };
}

/** A stream filter matches the full stream id, the entity id, or a part of either. */
export function matchesStream(e: EventRecord, filter: string): boolean {
  const f = filter.trim();
  return !f || e.stream_id.includes(f) || entityIdOf(e) === f;
}

/** The kind EntityNames reads for each stream type that has one. */
export const NAMED_BY_ID: Readonly<Record<string, NamedKind>> = { dataset: 'datasets', model: 'models', adapter: 'adapters', prompt: 'prompts' };

/**
 * The entities whose names the shown events do not carry and that can be read by id:
 * one per stream, skipping those already asked for (`asked`, by entity id) and those
 * whose newest shown event removed them (there is nothing left to read).
 */
export function namesToFetch(events: readonly EventRecord[], names: Map<string, string>, asked: ReadonlySet<string>): { kind: string; id: string }[] {
  const newest = new Map<string, EventRecord>();
  for (const e of events) {
    const n = newest.get(e.stream_id);
    if (!n || e.position > n.position) newest.set(e.stream_id, e);
  }
  const out: { kind: string; id: string }[] = [];
  for (const e of newest.values()) {
    if (!NAMED_BY_ID[e.stream_type] || names.has(e.stream_id) || e.type.endsWith('Removed')) continue;
    const id = entityIdOf(e);
    if (!asked.has(id)) out.push({ kind: e.stream_type, id });
  }
  return out;
}
