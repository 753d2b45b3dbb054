import Database from 'better-sqlite3';
import type { Sqlite } from '../database/open-database.js';
import { compareTables, sameTable } from './table-compare.js';

/**
 * sameTable decides whether `replay` rewrites a table, compareTables what
 * `replay --verify` lists: both must agree on what "the same" is, whichever
 * path (the join on rowid, or the walk in rowid order) decides it.
 */
describe('comparing a live table with its rebuild', () => {
  let db: Sqlite;
  const ddl = (name: string, types = true) =>
    `CREATE TABLE ${name} (id VARCHAR NOT NULL, n ${types ? 'INTEGER' : ''}, x ${types ? 'DOUBLE' : ''}, PRIMARY KEY (id))`;
  const fill = (table: string, rows: [number, string, unknown, unknown][]) => {
    const ins = db.prepare(`INSERT INTO ${table} (rowid, id, n, x) VALUES (?, ?, ?, ?)`);
    for (const r of rows) ins.run(...r);
  };
  const rows = (n: number, rowid = (i: number) => i + 1): [number, string, unknown, unknown][] =>
    Array.from({ length: n }, (_, i) => [rowid(i), `r${i}`, i, i / 3]);

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec("ATTACH ':memory:' AS other");
  });
  afterEach(() => db.close());

  const agree = (live: string, rebuilt: string, same: boolean) => {
    expect(sameTable(db, live, rebuilt)).toBe(same);
    expect(compareTables(db, live, rebuilt) === undefined).toBe(same);
  };

  it('finds the same rows the same, across schemas, and one changed value or a missing row different', () => {
    db.exec(ddl('t'));
    db.exec(ddl('other.t'));
    fill('t', rows(500));
    fill('other.t', rows(500));
    agree('t', 'other.t', true);
    db.exec("UPDATE other.t SET x = 0.1 WHERE id = 'r499'");
    agree('t', 'other.t', false);
    expect(compareTables(db, 't', 'other.t')).toEqual({ table: 't', rows: ['r499'], liveCount: 500, rebuiltCount: 500 });
    db.exec("UPDATE other.t SET x = 499.0 / 3 WHERE id = 'r499'");
    agree('t', 'other.t', true);
    db.exec("DELETE FROM other.t WHERE id = 'r250'");
    agree('t', 'other.t', false);
  });

  it('takes the same rows in the same order under other rowid numbers as the same (the set-based rebuild numbers rows by position)', () => {
    db.exec(ddl('t'));
    db.exec(ddl('other.t'));
    fill('t', rows(300));
    fill('other.t', rows(300, (i) => 1000 + i * 7));
    agree('t', 'other.t', true);
  });

  it('tells the same rows in another order apart', () => {
    db.exec(ddl('t'));
    db.exec(ddl('other.t'));
    fill('t', rows(3));
    fill('other.t', rows(3, (i) => 3 - i));
    agree('t', 'other.t', false);
  });

  it('tells storage types and -0.0 apart where = would not', () => {
    db.exec(ddl('t'));
    db.exec(ddl('other.t'));
    fill('t', [[1, 'a', 1, 2.5]]);
    fill('other.t', [[1, 'a', 1, 2.5]]);
    agree('t', 'other.t', true);
    db.exec('DELETE FROM other.t');
    fill('other.t', [[1, 'a', 1, '2.5x']]);
    agree('t', 'other.t', false);
    // Untyped columns keep -0.0: only the walk in JavaScript tells it from 0.0.
    db.exec(ddl('u', false));
    db.exec(ddl('other.u', false));
    fill('u', [[1, 'a', 1, 0]]);
    fill('other.u', [[1, 'a', 1, -0]]);
    agree('u', 'other.u', false);
  });

  it('finds tables of other columns different', () => {
    db.exec(ddl('t'));
    db.exec('CREATE TABLE other.t (id VARCHAR NOT NULL, n INTEGER, y DOUBLE, PRIMARY KEY (id))');
    fill('t', rows(2));
    db.exec("INSERT INTO other.t VALUES ('r0', 0, 0), ('r1', 1, 0.3333333333333333)");
    agree('t', 'other.t', false);
  });
});
