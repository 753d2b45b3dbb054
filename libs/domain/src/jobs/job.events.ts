import type { CatalogEventOf } from '../catalog/catalog.events.js';
import type { EvaluationJobRow, FineTuningJobRow, NewRow } from '../catalog/tables.js';
import type { EventOf } from '../shared/event.js';
import type { JobLifecycleEvent } from '../lifecycle/job-lifecycle.events.js';

/** A fine-tuning job's first event: the row as requested, status `queued`. */
export type FineTuningJobQueued = EventOf<'FineTuningJobQueued', { row: NewRow<FineTuningJobRow> }>;
/** One evaluation job (one model/adapter combination) queued. */
export type EvaluationJobQueued = EventOf<'EvaluationJobQueued', { row: NewRow<EvaluationJobRow> }>;

/** Every event of a fine_tuning_job stream: queued (or imported), then the lifecycle, then removed. */
export type FineTuningJobEvent = FineTuningJobQueued | CatalogEventOf<'FineTuningJob', FineTuningJobRow> | JobLifecycleEvent;
/** Every event of an evaluation_job stream. */
export type EvaluationJobEvent = EvaluationJobQueued | CatalogEventOf<'EvaluationJob', EvaluationJobRow> | JobLifecycleEvent;
