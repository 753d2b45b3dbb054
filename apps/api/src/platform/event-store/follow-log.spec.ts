import { EventEmitter } from 'node:events';
import { jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { EventMetadata, NewEvent, RecordedEvent } from '@fts/domain';
import { openDatabase } from '../database/open-database.js';
import { EventBus } from '../event-bus.js';
import { writableDemand, type Demand } from '../transport/flow.js';
import { EventStore } from './event-store.js';
import { FOLLOW_BATCH, followLog } from './follow-log.js';

const meta: EventMetadata = { correlation_id: 'c', actor: 'test', transport: 'system' };
const added = (i: number): NewEvent => ({ type: 'PromptAdded', streamId: `prompt-${i}`, streamType: 'prompt', data: { row: { id: `p${i}`, name: `n${i}` } } });
const tick = () => new Promise((r) => setImmediate(r));

/** A consumer with room for `room` more events; `take(n)` reads n of them out (a drain). */
class FakeConsumer implements Demand {
  received: RecordedEvent[] = [];
  private waiters: (() => void)[] = [];
  constructor(public room: number) {}
  ready = () => this.room > 0;
  drained = () => (this.room > 0 ? Promise.resolve() : new Promise<void>((r) => this.waiters.push(r)));
  push(e: RecordedEvent) {
    this.received.push(e);
    this.room--;
  }
  take(n: number) {
    this.room += n;
    for (const w of this.waiters.splice(0)) w();
  }
}

describe('followLog', () => {
  let dir: string;
  let ds: DataSource;
  let store: EventStore;
  let bus: EventBus;
  const append = (from: number, n: number) => {
    const recorded = store.append(Array.from({ length: n }, (_, i) => added(from + i)), meta);
    bus.publish(recorded);
    return recorded;
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-follow-'));
    let db;
    ({ dataSource: ds, db } = await openDatabase(path.join(dir, 'state.db')));
    store = new EventStore(db);
    bus = new EventBus();
  });
  afterEach(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops reading the log while the consumer is full, resumes on drain, and delivers the log exactly once, in order', async () => {
    append(1, 3 * FOLLOW_BATCH);
    const reads = jest.spyOn(store, 'read');
    const consumer = new FakeConsumer(10);
    const sub = followLog(store, bus, {}, consumer).subscribe((e) => consumer.push(e));
    await tick();
    expect(consumer.received).toHaveLength(10);
    expect(reads).toHaveBeenCalledTimes(1);

    // Live events while it is full are not queued for it: they are read back from the log later.
    append(1000, 50);
    await tick();
    expect(consumer.received).toHaveLength(10);
    expect(reads).toHaveBeenCalledTimes(1);

    for (let i = 0; i < 100 && consumer.received.length < 3 * FOLLOW_BATCH + 50; i++) {
      consumer.take(25);
      await tick();
      await tick();
    }
    expect(consumer.received.map((e) => e.position)).toEqual(Array.from({ length: 3 * FOLLOW_BATCH + 50 }, (_, i) => i + 1));

    // Caught up and with room: live events arrive with their publication.
    consumer.take(10);
    await tick();
    const [live] = append(2000, 1);
    expect(consumer.received.at(-1)?.position).toBe(live.position);
    sub.unsubscribe();
  });

  it('falls behind when a live event fills the consumer, then reads the rest from the log', async () => {
    const consumer = new FakeConsumer(2);
    const sub = followLog(store, bus, { streamType: 'prompt' }, consumer).subscribe((e) => consumer.push(e));
    append(1, 5); // one publication of 5: 2 fit, the rest wait in the log
    expect(consumer.received).toHaveLength(2);
    consumer.take(10);
    await tick();
    await tick();
    expect(consumer.received.map((e) => e.position)).toEqual([1, 2, 3, 4, 5]);
    sub.unsubscribe();
  });

  it('ends with UNAVAILABLE when the bus closes (shutdown)', async () => {
    append(1, 2);
    const errors: unknown[] = [];
    followLog(store, bus, {}).subscribe({ error: (e) => errors.push(e) });
    bus.close();
    expect(errors).toMatchObject([{ kind: 'unavailable', code: 'SERVER.SHUTTING_DOWN' }]);
  });
});

describe('writableDemand', () => {
  const sink = () => Object.assign(new EventEmitter(), { writableNeedDrain: false, destroyed: false });

  it('is ready until the sink needs a drain, and resolves on drain', async () => {
    const s = sink();
    const drop = jest.fn();
    const d = writableDemand('a test stream', s, drop, 1000);
    expect(d.ready()).toBe(true);
    s.writableNeedDrain = true;
    expect(d.ready()).toBe(false);
    let drained = false;
    void d.drained().then(() => (drained = true));
    await tick();
    expect(drained).toBe(false);
    s.writableNeedDrain = false;
    s.emit('drain');
    await tick();
    expect(drained).toBe(true);
    expect(drop).not.toHaveBeenCalled();
  });

  it('drops a consumer that stays full past the stall limit', async () => {
    jest.useFakeTimers();
    try {
      const s = Object.assign(sink(), { writableNeedDrain: true });
      const drop = jest.fn();
      const d = writableDemand('a test stream', s, drop, 5000);
      const waited = d.drained();
      jest.advanceTimersByTime(4999);
      expect(drop).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(drop).toHaveBeenCalledTimes(1);
      await waited;
    } finally {
      jest.useRealTimers();
    }
  });
});
