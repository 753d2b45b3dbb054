import type { CatalogEventOf } from '../catalog/catalog.events.js';
import type { ModelExportRow, NewRow } from '../catalog/tables.js';
import type { EventOf } from '../shared/event.js';
import type { JobLifecycleEvent } from '../lifecycle/job-lifecycle.events.js';

/** An export request's first event: its row, status `queued`. */
export type ModelExportRequested = EventOf<'ModelExportRequested', { row: NewRow<ModelExportRow> }>;

/** Every event of a model_export stream. */
export type ModelExportEvent = ModelExportRequested | CatalogEventOf<'ModelExport', ModelExportRow> | JobLifecycleEvent;
