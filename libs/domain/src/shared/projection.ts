import type { Mutation } from './catalog.js';
import type { RecordedEvent } from './event.js';

/**
 * Event type → projection. Each area contributes its handlers, and
 * projections.ts merges them; the type lives here so the areas do not
 * import the module that imports them.
 */
export type ProjectionHandlers = Record<string, (e: RecordedEvent) => Mutation[]>;
