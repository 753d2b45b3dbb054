import { InMemoryCatalog } from '../../src/shared/in-memory-catalog.js';
import type { DecideContext, Decision } from '../../src/shared/decider.js';
import type { NewEvent, RecordedEvent } from '../../src/shared/event.js';
import type { Mutation } from '../../src/shared/catalog.js';
import { DomainError } from '../../src/shared/domain-error.js';

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
 * The DomainError `fn` throws. Fails the test when `fn` returns, and
 * rethrows anything that is not a DomainError (a bug, not a refusal).
 */
export function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

/** What a decider did, to assert with `then(events)` or `thenThrows(code)`. */
export interface Outcome<T> {
  /**
   * Asserts the decider accepted and decided these events, in order (each
   * compared as toMatchObject does: the fields given must match); returns
   * its answer.
   */
  then(expected: Array<Partial<NewEvent>>): T;
  /**
   * Asserts the decider refused with a DomainError of this code (any code
   * when omitted); returns the error for further checks (kind, message).
   */
  thenThrows(code?: string): DomainError;
}

/**
 * given(events already in the log) → a context whose reader sees their
 * projection; run a decider against it:
 *
 *   given(projectEvent, history).attempt((ctx) => addPrompt(cmd, ctx)).then([{ type: 'PromptAdded' }]);
 *   given(projectEvent, history).attempt((ctx) => addPrompt(cmd, ctx)).thenThrows('PROMPT.NAME_TAKEN');
 *
 * (`when` gives the answer itself and throws what the decider throws; `run`
 * also applies the decided events.) An Outcome has a `then` method, so never
 * `await` it or return it from an async test.
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
    /** Decide against the history without applying, and assert the outcome with `then` / `thenThrows`. */
    attempt<T>(decide: (ctx: DecideContext) => T): Outcome<T> {
      let answer: { ok: true; value: T } | { ok: false; error: unknown };
      try {
        answer = { ok: true, value: decide(ctx) };
      } catch (error) {
        answer = { ok: false, error };
      }
      const decided = (value: T) => JSON.stringify((value as Partial<Decision>)?.events?.map((e) => e.type) ?? value);
      return {
        then(expected) {
          if (!answer.ok) throw answer.error;
          const events = (answer.value as Partial<Decision>)?.events;
          if (!Array.isArray(events)) throw new Error(`expected a decision with events, got ${JSON.stringify(answer.value)}`);
          expect(events).toMatchObject(expected);
          return answer.value;
        },
        thenThrows(code) {
          if (answer.ok) throw new Error(`expected a refusal${code ? ` with ${code}` : ''}, but the decider accepted: ${decided(answer.value)}`);
          if (!(answer.error instanceof DomainError)) throw answer.error;
          if (code !== undefined) expect(answer.error.code).toBe(code);
          return answer.error;
        },
      };
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
