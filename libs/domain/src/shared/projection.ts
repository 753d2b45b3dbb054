import type { Mutation } from './catalog.js';
import type { EventOf, RecordedEvent, RecordedEventOf } from './event.js';

/**
 * Event type → projection. Each area contributes its handlers, and
 * projections.ts merges them; the type lives here so the areas do not
 * import the module that imports them.
 */
export type ProjectionHandlers = Record<string, (e: RecordedEvent) => Mutation[]>;

/**
 * A projection of an area's event union: one handler per event type, each
 * given that event's payload. Leaving a type out is a compile error.
 */
export type ProjectionOf<E extends EventOf<string, unknown>> = {
  [K in E['type']]: (e: RecordedEventOf<Extract<E, { type: K }>>) => Mutation[];
};

/** A typed projection as entries of the merged event type → handler map (projectEvent dispatches on the stored type). */
export const projectionHandlers = <E extends EventOf<string, unknown>>(p: ProjectionOf<E>): ProjectionHandlers => p as unknown as ProjectionHandlers;
