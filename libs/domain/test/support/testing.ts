import { InMemoryCatalog } from '../../src/shared/in-memory-catalog.js';
import type { DecideContext, Decision } from '../../src/shared/decider.js';
import type { NewEvent, RecordedEvent } from '../../src/shared/event.js';
import type { Mutation } from '../../src/shared/catalog.js';

/** Fixed clock and ids so decider tests always give the same answer. */
export const FIXED_NOW = '2026-01-01T00:00:00.000Z';

export function fixedIds(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** Wraps a new event as if stored, for projections under test. */
export function recorded(e: NewEvent, position = 1, streamVersion = 1): RecordedEvent {
  return {
    position,
    streamId: e.streamId,
    streamType: e.streamType,
    streamVersion,
    type: e.type,
    schemaVersion: e.schemaVersion ?? 1,
    data: e.data,
    metadata: { correlation_id: 'test', actor: 'test', transport: 'system' },
    recordedAt: FIXED_NOW,
  };
}

/**
 * given(events already in the log) → a context whose reader sees their
 * projection; run a decider against it.
 */
export function given(project: (e: RecordedEvent) => Mutation[], history: NewEvent[] = []) {
  const catalog = new InMemoryCatalog();
  let position = 0;
  for (const e of history) {
    catalog.apply(project(recorded(e, ++position, catalog.streamVersion(e.streamId) + 1)));
    catalog.recordStreams([e]);
  }
  const ctx: DecideContext = { read: catalog, now: FIXED_NOW, newId: fixedIds() };
  return {
    catalog,
    ctx,
    /** Decide against the history without applying: the decider's answer (a Decision, or a row for checks like assertRemovable), or what it throws. */
    when<T>(decide: (ctx: DecideContext) => T): T {
      return decide(ctx);
    },
    /** Decide, then apply the resulting events, so a test can read the projection after. */
    run<R>(decide: (ctx: DecideContext) => Decision<R>): Decision<R> {
      const d = decide(ctx);
      for (const e of d.events) {
        catalog.apply(project(recorded(e, ++position, catalog.streamVersion(e.streamId) + 1)));
        catalog.recordStreams([e]);
      }
      return d;
    },
  };
}
