import Database from 'better-sqlite3';
import type { Mutation } from '@fts/domain';
import { SqliteProjector } from './sqlite-projector.js';

/**
 * The replay's projector holds and merges a row's updates (coalesce): the
 * tables it leaves must be the ones applying every mutation in order leaves.
 */
describe('SqliteProjector coalescing updates (replay)', () => {
  const mutations: Mutation[] = [
    { op: 'insert', table: 'runs', row: { id: 'a', n: 1, at: 't0', note: 'x' } },
    { op: 'insert', table: 'runs', row: { id: 'b', n: 1, at: 't0', note: 'y' } },
    { op: 'update', table: 'runs', id: 'a', set: { n: 2, at: 't1' } },
    { op: 'insert', table: 'metrics', row: { id: 'a:1', run: 'a' } },
    { op: 'update', table: 'runs', id: 'a', set: { n: 3 } },
    { op: 'update', table: 'runs', id: 'b', set: { note: null, at: 't2' } },
    { op: 'update', table: 'runs', id: 'c', set: { n: 9 } }, // no such row yet: changes nothing
    { op: 'insert', table: 'runs', row: { id: 'c', n: 1, at: 't3', note: 'z' } },
    { op: 'update', table: 'runs', id: 'a', set: { at: 't4', note: 'w' } },
    { op: 'update', table: 'runs', id: 'b', set: { n: 5 } },
    { op: 'delete', table: 'runs', id: 'b' },
    { op: 'update', table: 'runs', id: 'b', set: { n: 6 } }, // deleted: changes nothing
    { op: 'update', table: 'runs', id: 'c', set: { n: 7 } },
    { op: 'update', table: 'runs', id: 'c', set: { n: 8, note: null } },
  ];

  function run(coalesce: boolean): unknown[] {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE runs (id VARCHAR NOT NULL, n INTEGER, at VARCHAR, note VARCHAR, PRIMARY KEY (id))');
    db.exec('CREATE TABLE metrics (id VARCHAR NOT NULL, run VARCHAR, PRIMARY KEY (id))');
    const p = new SqliteProjector(db, '', coalesce);
    for (const m of mutations) p.apply([m]);
    p.flush();
    const rows = [db.prepare('SELECT rowid, * FROM runs ORDER BY rowid').all(), db.prepare('SELECT rowid, * FROM metrics ORDER BY rowid').all()];
    db.close();
    return rows;
  }

  it('leaves the same rows as applying each mutation in order', () => {
    const plain = run(false);
    expect(plain[0]).toEqual([
      { rowid: 1, id: 'a', n: 3, at: 't4', note: 'w' },
      { rowid: 3, id: 'c', n: 8, at: 't3', note: null },
    ]);
    expect(run(true)).toEqual(plain);
  });

  it('writes held updates only at flush or at the next insert or delete on the table', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE runs (id VARCHAR NOT NULL, n INTEGER, PRIMARY KEY (id))');
    db.exec("INSERT INTO runs VALUES ('a', 1)");
    const p = new SqliteProjector(db, '', true);
    p.apply([{ op: 'update', table: 'runs', id: 'a', set: { n: 2 } }]);
    expect(db.prepare('SELECT n FROM runs').get()).toEqual({ n: 1 });
    p.apply([{ op: 'insert', table: 'runs', row: { id: 'b', n: 1 } }]);
    expect(db.prepare("SELECT n FROM runs WHERE id = 'a'").get()).toEqual({ n: 2 });
    p.apply([{ op: 'update', table: 'runs', id: 'b', set: { n: 3 } }]);
    p.flush();
    expect(db.prepare("SELECT n FROM runs WHERE id = 'b'").get()).toEqual({ n: 3 });
    db.close();
  });
});
