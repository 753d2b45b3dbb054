import type { Statement, Transaction } from 'better-sqlite3';
import {
  alreadyExists,
  projectEvent as defaultProject,
  upcasters as defaultUpcasters,
  type CatalogReader,
  type Decision,
  type EventMetadata,
  type Mutation,
  type NewEvent,
  type RecordedEvent,
  type Upcaster,
} from '@fts/domain';
import type { Sqlite } from '../database/open-database.js';
import { SqliteCatalogReader } from './sqlite-catalog-reader.js';
import { SqliteProjector } from './sqlite-projector.js';
import { CommitGroup } from './commit-group.js';
import { sameRequest } from './request-fingerprint.js';

/** A stream was not at the version the decider expected: the command is retried on fresh state. */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${expected}`);
  }
}

/** An idempotency key, the command it was used for, and the fingerprint of the request (request-fingerprint.ts). */
export interface IdempotencyKey {
  key: string;
  command: string;
  requestHash?: string;
}

export const idempotencyKeyReused = () =>
  alreadyExists('IDEMPOTENCY.KEY_REUSED', 'idempotency key reused with a different request');

export interface EventFilter {
  afterPosition?: number;
  toPosition?: number;
  /** Only events before this position (paging back from the newest with `newestFirst`). */
  beforePosition?: number;
  /** Newest first: with `limit`, the most recent matching events (keyset paging back with `beforePosition`). */
  newestFirst?: boolean;
  streamId?: string;
  streamType?: string;
  types?: string[];
  fromTime?: string;
  toTime?: string;
  limit?: number;
}

export interface Transacted<R> {
  result: R;
  events: RecordedEvent[];
  /** True when an idempotency key matched an earlier request: nothing was appended. */
  replayed: boolean;
}

interface EventRow {
  position: number;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
}

/**
 * The append-only log and its inline projections. One SQLite transaction
 * (BEGIN IMMEDIATE, so writers from other processes queue) holds: the
 * idempotency check, the decision on current projections, the appends with
 * their version checks, the projections, and the idempotency record. A
 * grouped write (a request's) runs as a savepoint of the turn's shared
 * transaction instead and commits with it (commit-group.ts); everything
 * else commits before `transact` returns.
 */
export class EventStore {
  readonly reader: SqliteCatalogReader;
  /** Writes of this process that appended events, committed or in the open group (read caches and durability key on it). */
  writes = 0;
  /** `writes` when the open group began. */
  private writesBeforeGroup = 0;
  /** The latest commit groups that failed: their writes (after, upTo] were rolled back. */
  private readonly failedGroups: { after: number; upTo: number; error: unknown }[] = [];
  /** Per projection table, the writes of this process that changed it (ListResponseCache keys on it). */
  private readonly tableWrites = new Map<string, number>();
  private readonly projector: SqliteProjector;
  private readonly group: CommitGroup;
  private readonly insertEvent: Statement;
  private readonly selectIdem: Statement;
  private readonly insertIdem: Statement;
  private readonly maxPosition: Statement;
  private readonly transaction: Transaction<(decide: (read: CatalogReader) => Decision<unknown>, metadata: EventMetadata, idempotency: IdempotencyKey | undefined, touched: Set<string>) => Transacted<unknown>>;
  private readonly appendTransaction: Transaction<(events: NewEvent[], metadata: EventMetadata, touched: Set<string>) => RecordedEvent[]>;

  constructor(
    readonly db: Sqlite,
    private readonly now: () => string = () => new Date().toISOString(),
    private readonly project: (e: RecordedEvent) => Mutation[] = defaultProject,
    private readonly upcast: Record<string, Upcaster> = defaultUpcasters,
  ) {
    this.reader = new SqliteCatalogReader(db);
    this.projector = new SqliteProjector(db);
    this.group = new CommitGroup(db, (e) => this.rolledBack(e));
    this.insertEvent = db.prepare(
      `INSERT INTO events (stream_id, stream_type, stream_version, type, schema_version, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectIdem = db.prepare('SELECT result, request_hash FROM idempotency_keys WHERE key = ? AND command = ?');
    this.insertIdem = db.prepare(
      'INSERT INTO idempotency_keys (key, command, result, position, recorded_at, request_hash) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.maxPosition = db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events');
    // Made once: better-sqlite3 builds a transaction wrapper (and its variants) on every db.transaction() call.
    this.transaction = db.transaction(
      (decide: (read: CatalogReader) => Decision<unknown>, metadata: EventMetadata, idempotency: IdempotencyKey | undefined, touched: Set<string>) =>
        this.decideAndAppend(decide, metadata, idempotency, touched),
    );
    this.appendTransaction = db.transaction((events: NewEvent[], metadata: EventMetadata, touched: Set<string>) =>
      this.appendInTransaction(events, metadata, touched),
    );
  }

  /**
   * Decides and appends atomically. `grouped`: the write joins the turn's
   * shared transaction and commits with it (only for a caller that waits for
   * `settled()` before acting on it); otherwise it is committed on return.
   */
  transact<R>(
    decide: (read: CatalogReader) => Decision<R>,
    metadata: EventMetadata,
    idempotency?: IdempotencyKey,
    grouped = false,
  ): Transacted<R> {
    if (grouped) {
      if (!this.group.isOpen) this.writesBeforeGroup = this.writes;
      this.group.join();
    }
    const touched = new Set<string>();
    const out = this.transaction.immediate(decide, metadata, idempotency, touched) as Transacted<R>;
    if (out.events.length) this.wrote(touched);
    if (!grouped) this.group.commitNow();
    return out;
  }

  /** Runs `fn` once every write so far is committed: at once, or when the open group commits (never if it fails). */
  afterCommit(fn: () => void): void {
    this.group.afterCommit(fn);
  }

  /** Resolves when every write so far is committed; rejects with the error of a group's failed COMMIT. */
  settled(): Promise<void> {
    return this.group.settled() ?? Promise.resolve();
  }

  /**
   * Resolves once the writes numbered (after, upTo] (see `writes`) are
   * committed; rejects with the COMMIT's error if a group holding any of
   * them failed, whether that already happened or happens next.
   */
  committed(after: number, upTo: number): Promise<void> {
    const open = this.group.settled();
    if (open && upTo > this.writesBeforeGroup) return open;
    const failed = this.failedGroups.find((f) => after < f.upTo && upTo > f.after);
    return failed ? Promise.reject(failed.error) : Promise.resolve();
  }

  /** The writes so far that are committed (all of them but the open group's). */
  get committedWrites(): number {
    return this.group.isOpen ? this.writesBeforeGroup : this.writes;
  }

  /** True while grouped writes wait for their commit. */
  get pending(): boolean {
    return this.group.isOpen;
  }

  /** Commits the open group now (shutdown, before the database closes). */
  commitPending(): void {
    this.group.commitNow();
  }

  /** transact's body, inside its transaction. */
  private decideAndAppend<R>(
    decide: (read: CatalogReader) => Decision<R>,
    metadata: EventMetadata,
    idempotency: IdempotencyKey | undefined,
    touched: Set<string>,
  ): Transacted<R> {
    if (idempotency) {
      const hit = this.selectIdem.get(idempotency.key, idempotency.command) as
        | { result: string; request_hash: string | null }
        | undefined;
      if (hit) {
        // Answering the first result to a different request would lose the second write while telling the client it was applied.
        if (!sameRequest(hit.request_hash, idempotency.requestHash)) throw idempotencyKeyReused();
        return { result: JSON.parse(hit.result) as R, events: [], replayed: true };
      }
    }
    const decision = decide(this.reader);
    const events = this.appendInTransaction(decision.events, metadata, touched);
    if (idempotency) {
      this.insertIdem.run(
        idempotency.key,
        idempotency.command,
        JSON.stringify(decision.result ?? null),
        events.length ? events[events.length - 1].position : null,
        this.now(),
        idempotency.requestHash ?? null,
      );
    }
    return { result: decision.result, events, replayed: false };
  }

  /** Appends outside any decision (seeding, import, tests). */
  append(events: NewEvent[], metadata: EventMetadata): RecordedEvent[] {
    const touched = new Set<string>();
    const out = this.appendTransaction.immediate(events, metadata, touched) as RecordedEvent[];
    this.wrote(touched);
    this.group.commitNow();
    return out;
  }

  /** How many writes of this process changed `table` (0 before the first). */
  tableVersion(table: string): number {
    return this.tableWrites.get(table) ?? 0;
  }

  private wrote(tables: Set<string>): void {
    this.writes++;
    for (const t of tables) this.tableWrites.set(t, (this.tableWrites.get(t) ?? 0) + 1);
  }

  /** A group's COMMIT failed: its writes are lost (their requests fail) and what was cached from its rows is gone. */
  private rolledBack(error: unknown): void {
    this.failedGroups.push({ after: this.writesBeforeGroup, upTo: this.writes, error });
    if (this.failedGroups.length > 64) this.failedGroups.shift();
    this.writes++;
    for (const [t, v] of this.tableWrites) this.tableWrites.set(t, v + 1);
  }

  private appendInTransaction(events: NewEvent[], metadata: EventMetadata, touched: Set<string>): RecordedEvent[] {
    const versions = new Map<string, number>();
    const recordedAt = this.now();
    const out: RecordedEvent[] = [];
    for (const e of events) {
      const current = versions.get(e.streamId) ?? this.reader.streamVersion(e.streamId);
      if (e.expectedVersion !== undefined && e.expectedVersion !== current) {
        throw new ConcurrencyError(e.streamId, e.expectedVersion, current);
      }
      const streamVersion = current + 1;
      versions.set(e.streamId, streamVersion);
      const schemaVersion = e.schemaVersion ?? 1;
      const info = this.insertEvent.run(
        e.streamId,
        e.streamType,
        streamVersion,
        e.type,
        schemaVersion,
        JSON.stringify(e.data),
        JSON.stringify(metadata),
        recordedAt,
      );
      const rec: RecordedEvent = {
        position: Number(info.lastInsertRowid),
        streamId: e.streamId,
        streamType: e.streamType,
        streamVersion,
        type: e.type,
        schemaVersion,
        data: e.data,
        metadata,
        recordedAt,
      };
      const mutations = this.project(rec);
      for (const m of mutations) touched.add(m.table);
      this.projector.apply(mutations);
      out.push(rec);
    }
    return out;
  }

  /** The last committed position (events of the open group are not, yet). */
  lastPosition(): number {
    return this.group.base ?? (this.maxPosition.get() as { p: number }).p;
  }

  /** Committed events only: a reader never sees an event of the open group, which a failed COMMIT would take back. */
  read(filter: EventFilter = {}): RecordedEvent[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const base = this.group.base;
    const to = base !== undefined ? Math.min(filter.toPosition || base, base) : filter.toPosition || undefined;
    if (filter.afterPosition) (where.push('position > ?'), args.push(filter.afterPosition));
    if (to !== undefined) (where.push('position <= ?'), args.push(to));
    if (filter.beforePosition) (where.push('position < ?'), args.push(filter.beforePosition));
    if (filter.streamId) (where.push('stream_id = ?'), args.push(filter.streamId));
    if (filter.streamType) (where.push('stream_type = ?'), args.push(filter.streamType));
    if (filter.types?.length) (where.push(`type IN (${filter.types.map(() => '?').join(', ')})`), args.push(...filter.types));
    if (filter.fromTime) (where.push('recorded_at >= ?'), args.push(filter.fromTime));
    if (filter.toTime) (where.push('recorded_at <= ?'), args.push(filter.toTime));
    const limit = filter.limit && filter.limit > 0 ? ` LIMIT ${Math.floor(filter.limit)}` : '';
    const sql = `SELECT * FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY position${filter.newestFirst ? ' DESC' : ''}${limit}`;
    return (this.db.prepare(sql).all(...args) as EventRow[]).map((r) => this.toRecorded(r));
  }

  /** Every event in position order, read in batches (replay). */
  *iterate(batchSize = 5000): Generator<RecordedEvent> {
    const stmt = this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
    let after = 0;
    for (;;) {
      const rows = stmt.all(after, batchSize) as EventRow[];
      if (rows.length === 0) return;
      for (const r of rows) yield this.toRecorded(r);
      after = rows[rows.length - 1].position;
    }
  }

  toRecorded(r: EventRow): RecordedEvent {
    let data: unknown = JSON.parse(r.data);
    let schemaVersion = r.schema_version;
    const up = this.upcast[r.type];
    if (up) ({ data, schemaVersion } = up(data, schemaVersion));
    return {
      position: r.position,
      streamId: r.stream_id,
      streamType: r.stream_type,
      streamVersion: r.stream_version,
      type: r.type,
      schemaVersion,
      data,
      metadata: JSON.parse(r.metadata) as EventMetadata,
      recordedAt: r.recorded_at,
    };
  }
}
