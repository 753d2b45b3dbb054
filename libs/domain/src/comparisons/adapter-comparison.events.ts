import type { AdapterComparisonRow, NewRow } from '../catalog/tables.js';
import type { EventOf } from '../shared/event.js';
import type { JobLifecycleEvent } from '../lifecycle/job-lifecycle.events.js';

/** A comparison's first event: its row, status `queued`. */
export type AdapterComparisonQueued = EventOf<'AdapterComparisonQueued', { row: NewRow<AdapterComparisonRow> }>;

/** Every event of an adapter_comparison stream. */
export type AdapterComparisonEvent = AdapterComparisonQueued | JobLifecycleEvent;
