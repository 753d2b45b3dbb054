import { Injectable, Inject } from '@nestjs/common';
import { Observable, type Subscription } from 'rxjs';
import { projectEvent, type RecordedEvent, type Row, type CatalogReader, type JobRow } from '@fts/domain';
import type { JobMetricPoint, JobUpdate } from '@fts/proto';
import type { Statement } from 'better-sqlite3';
import { EventBus } from '../platform/event-bus.js';
import { EventStore } from '../platform/event-store/event-store.js';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { endOnShutdown, followLog } from '../platform/event-store/follow-log.js';
import { UNLIMITED, type Demand } from '../platform/transport/flow.js';
import { findJob, isLive, requireJobId, type FoundJob } from './job-lookup.js';
import { toJobMetricPoint } from './job-messages.js';

/** Metric points read per query while sending a watcher the points so far. */
const METRICS_PAGE = 500;

/** What a job looked like at one point of the log. */
interface JobSnapshot {
  row: JobRow;
  /** The last metric point's seq: later points come from the stream after `position`. */
  lastSeq: number;
  /** Position of the last event of the job's stream included in the snapshot. */
  position: number;
}

/**
 * WatchJob and GetJobMetrics. Both read the projections only (the job's row
 * and job_metrics); WatchJob then follows the job's stream on the bus and
 * turns each event into updates with the same projection the tables use, so
 * a live update looks exactly like one read back later.
 */
@Injectable()
export class JobWatchHandlers {
  private readonly metricsOf: Statement;
  private readonly lastPositionOf: Statement;
  private readonly metricsPage: Statement;
  private readonly lastSeqOf: Statement;

  constructor(
    @Inject(CATALOG_READER) private readonly reader: CatalogReader,
    private readonly store: EventStore,
    private readonly bus: EventBus,
  ) {
    this.metricsOf = store.db.prepare('SELECT * FROM job_metrics WHERE job_id = ? ORDER BY seq');
    this.metricsPage = store.db.prepare('SELECT * FROM job_metrics WHERE job_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?');
    this.lastSeqOf = store.db.prepare('SELECT COALESCE(MAX(seq), 0) FROM job_metrics WHERE job_id = ?').pluck();
    this.lastPositionOf = store.db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events WHERE stream_id = ?').pluck();
  }

  /** Every recorded metric point of a job, in order. */
  metrics(jobId: string): JobMetricPoint[] {
    const job = findJob(this.reader, requireJobId(jobId, 'job_id', 'GetJobMetricsRequest'));
    return (this.metricsOf.all(job.ref.id) as Row[]).map(toJobMetricPoint);
  }

  /**
   * The job's current status, every metric point so far, then live status
   * changes and points until the job reaches a status it cannot leave
   * (succeeded, failed, cancelled) or is removed. The snapshot (row, metric
   * count, stream position) is read in one transaction; its points are then
   * sent in pages and the job's stream is followed from the snapshot's
   * position (followLog): no gaps, no duplicates, and at the pace `demand`
   * allows, so a watcher that stops reading holds one page at most.
   */
  watch(jobId: string, demand: Demand = UNLIMITED): Observable<JobUpdate> {
    const job = findJob(this.reader, requireJobId(jobId, 'job_id', 'WatchJobRequest'));
    const id = job.ref.id;
    return new Observable<JobUpdate>((sub) => {
      let closed = false;
      let follow: Subscription | undefined;
      let status = '';
      // Completes after the current publication, so events committed together with the final status still go out.
      let ending = false;
      const end = () => {
        if (ending) return;
        ending = true;
        setImmediate(() => sub.complete());
      };
      // Synchronous while the consumer keeps up; a promise to wait for when its buffer is full.
      const send = (u: JobUpdate): Promise<void> | undefined => {
        sub.next(u);
        return demand.ready() ? undefined : demand.drained();
      };
      const run = async () => {
        const snap = this.snapshot(job);
        if (!snap) {
          sub.next(removedUpdate(id, 0, ''));
          return end();
        }
        status = snap.row.status ?? '';
        const at = snap.row.updated_at ?? snap.row.created_at ?? '';
        const point = (m: Row): JobUpdate => ({ job_id: id, kind: 'metric', status: '', status_message: '', metric: toJobMetricPoint(m), position: snap.position, recorded_at: at });
        const first = send({ job_id: id, kind: 'status', status, status_message: snap.row.status_message ?? '', metric: undefined, position: snap.position, recorded_at: at });
        if (first) await first;
        for (let after = 0; after < snap.lastSeq && !closed; ) {
          const page = this.metricsPage.all(id, after, snap.lastSeq, METRICS_PAGE) as Row[];
          if (page.length === 0) break;
          for (const m of page) {
            if (closed) return;
            const full = send(point(m));
            if (full) await full;
          }
          after = Number(page[page.length - 1].seq);
        }
        if (closed) return;
        if (!isLive(status)) return end();
        follow = followLog(this.store, this.bus, { streamId: job.streamId, afterPosition: snap.position }, demand).subscribe({
          next: (e) => {
            for (const u of updatesOf(e, job, status)) {
              sub.next(u);
              if (u.kind !== 'status') continue;
              status = u.status;
              if (!isLive(status)) end();
            }
          },
          error: (err: unknown) => sub.error(err),
        });
      };
      const stopOnShutdown = endOnShutdown(this.bus, sub);
      run().catch((err: unknown) => {
        if (!closed) sub.error(err);
      });
      return () => {
        closed = true;
        follow?.unsubscribe();
        stopOnShutdown();
      };
    });
  }

  /** The row, its metric count and the stream's last position, read in one transaction (one consistent view). */
  private snapshot(job: FoundJob): JobSnapshot | undefined {
    return this.store.db.transaction((): JobSnapshot | undefined => {
      const row = this.reader.get(job.table, job.ref.id);
      if (!row) return undefined;
      return { row, lastSeq: Number(this.lastSeqOf.get(job.ref.id)), position: Number(this.lastPositionOf.get(job.streamId)) };
    })();
  }
}

const removedUpdate = (jobId: string, position: number, at: string): JobUpdate => ({
  job_id: jobId,
  kind: 'status',
  status: 'removed',
  status_message: 'The job was removed.',
  metric: undefined,
  position,
  recorded_at: at,
});

/**
 * What one event of the job's stream means to a watcher, read off the
 * event's projection: a new job_metrics row is a `metric` update; a change
 * of the job row's status (or of its status message alone, with `status`
 * the status it is in) a `status` update; the row's deletion `removed`.
 */
export function updatesOf(e: RecordedEvent, job: Pick<FoundJob, 'table' | 'ref'>, status: string): JobUpdate[] {
  const id = job.ref.id;
  const out: JobUpdate[] = [];
  const base = { job_id: id, position: e.position, recorded_at: e.recordedAt };
  for (const m of projectEvent(e)) {
    if (m.op === 'insert' && m.table === 'job_metrics' && m.row.job_id === id) {
      out.push({ ...base, kind: 'metric', status: '', status_message: '', metric: toJobMetricPoint(m.row) });
    } else if (m.table === job.table && m.op === 'update' && m.id === id && ('status' in m.set || 'status_message' in m.set)) {
      if (typeof m.set.status === 'string') status = m.set.status;
      const message = m.set.status_message;
      out.push({ ...base, kind: 'status', status, status_message: typeof message === 'string' ? message : '', metric: undefined });
    } else if (m.table === job.table && m.op === 'delete' && m.id === id) {
      out.push(removedUpdate(id, e.position, e.recordedAt));
    }
  }
  return out;
}
