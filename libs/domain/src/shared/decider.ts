import type { CatalogReader } from './catalog.js';
import type { NewEvent } from './event.js';

/** Everything a decider may depend on besides the command: reads, time and ids come in, never from globals. */
export interface DecideContext {
  read: CatalogReader;
  /** ISO-8601 time of the command. */
  now: string;
  newId(): string;
}

/** The outcome of a command: events to append, and the value the caller gets back. */
export interface Decision<R = unknown, E extends NewEvent = NewEvent> {
  events: E[];
  result: R;
}
