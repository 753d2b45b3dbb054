import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { EventMetadata } from '@fts/domain';
import { openDatabase, type Sqlite } from '../database/open-database.js';
import { EventStore } from '../event-store/event-store.js';
import { verify } from './replay.js';

const meta: EventMetadata = { correlation_id: 'c', actor: 'test', transport: 'system' };

/**
 * `replay --verify` must see every difference between a live projection and
 * its rebuild, whatever the column type: JSON.stringify turned ±Infinity into
 * null (so Infinity in the table matched NULL in the rebuild) and rounded
 * integers past 2^53.
 */
describe('replay --verify compares column values exactly', () => {
  let dir: string;
  let ds: DataSource;
  let db: Sqlite;
  let store: EventStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-verify-'));
    ({ dataSource: ds, db } = await openDatabase(path.join(dir, 'state.db')));
    store = new EventStore(db);
    store.append(
      [
        {
          type: 'FineTuningJobQueued',
          streamId: 'fine_tuning_job-j1',
          streamType: 'fine_tuning_job',
          data: {
            row: {
              id: 'j1',
              adapter_name: 'a',
              num_epochs: 9007199254740992,
              learning_rate: null,
              dataset_fraction: 0.5,
              training_arguments_config: '{"x": 1}',
              status: 'queued',
            },
          },
          expectedVersion: 0,
        },
      ],
      meta,
    );
  });
  afterEach(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds nothing when nothing was touched', () => {
    expect(verify(db, store).differences).toEqual([]);
  });

  const corruptions: [string, string][] = [
    ['DOUBLE: NULL → Infinity', 'learning_rate = 9e999'],
    ['DOUBLE: NULL → -Infinity', 'learning_rate = -9e999'],
    ['DOUBLE: 0.5 → the next double', 'dataset_fraction = 0.5000000000000001'],
    ['DOUBLE: 0.5 → a text', "dataset_fraction = 'half'"],
    ['INTEGER: 2^53 → 2^53 + 1', 'num_epochs = 9007199254740993'],
    ['INTEGER: → a text', "num_epochs = 'nine'"],
    ['INTEGER: → a blob', "num_epochs = x'01'"],
    ['VARCHAR: a → b', "adapter_name = 'b'"],
    ['VARCHAR: a → NULL', 'adapter_name = NULL'],
    ['TEXT: one more space', `training_arguments_config = '{"x":  1}'`],
    ['TEXT → blob of the same bytes', "training_arguments_config = CAST('{\"x\": 1}' AS BLOB)"],
  ];

  it.each(corruptions)('finds a hand-corrupted %s', (_what, set) => {
    db.prepare(`UPDATE fine_tuning_jobs SET ${set} WHERE id = 'j1'`).run();
    expect(verify(db, store).differences).toEqual([expect.objectContaining({ table: 'fine_tuning_jobs', rows: ['j1'] })]);
  });
});
