import type { Mutation } from './shared/catalog.js';
import type { RecordedEvent, Upcaster } from './shared/event.js';
import type { ProjectionHandlers } from './shared/projection.js';
import { catalogProjection } from './catalog/catalog.projection.js';
import { jobProjection } from './jobs/job.projection.js';
import { modelExportProjection } from './exports/model-export.projection.js';
import { jobLifecycleProjection } from './lifecycle/job-lifecycle.projection.js';
import { adapterComparisonProjection } from './comparisons/adapter-comparison.projection.js';

export type { ProjectionHandlers };

const handlers: ProjectionHandlers = {
  ...catalogProjection,
  ...jobProjection,
  ...modelExportProjection,
  ...jobLifecycleProjection,
  ...adapterComparisonProjection,
};

/** The inline projection: what every stored event does to the tables. Unknown types change nothing. */
export function projectEvent(e: RecordedEvent): Mutation[] {
  const h = handlers[e.type];
  return h ? h(e) : [];
}

/**
 * The handler the inline projection runs for an event type (undefined: the type changes nothing).
 * Read-only: replay compares it with the generic row handlers (insertRow, removeRow) to rebuild
 * those events' tables with set-based SQL.
 */
export const projectionHandlerOf = (type: string): ((e: RecordedEvent) => Mutation[]) | undefined =>
  Object.hasOwn(handlers, type) ? handlers[type] : undefined;

/** Event type → upcaster, applied on read to events stored with an older schema version. */
export const upcasters: Record<string, Upcaster> = {};
