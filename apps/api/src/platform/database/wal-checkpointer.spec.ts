import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { openDatabase, type Sqlite } from './open-database.js';
import {
  FALLBACK_AUTOCHECKPOINT_PAGES,
  INLINE_AUTOCHECKPOINT_PAGES,
  RESTART_AFTER_FRAMES,
  WalCheckpointer,
  afterPassive,
} from './wal-checkpointer.js';

// Jest runs the sources; the process the server forks is the compiled one (the test command builds first).
const SCRIPT = path.resolve('apps/api/dist/platform/database/wal-checkpointer-process.js');
const PAGE = 4096;
const FRAME = PAGE + 24;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await sleep(20)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

describe('afterPassive (when the checkpointer looks again, and whether it restarts the WAL)', () => {
  const r = (log: number, checkpointed: number, busy = 0) => ({ busy, log, checkpointed });
  it('looks again every 100 ms while the WAL moves and less often while it rests', () => {
    expect(afterPassive(r(10, 10), r(30, 30))).toEqual({ restart: false, delayMs: 100 });
    expect(afterPassive(r(30, 30), r(50, 40))).toEqual({ restart: false, delayMs: 100 });
    expect(afterPassive(undefined, r(0, 0))).toEqual({ restart: false, delayMs: 100 });
    expect(afterPassive(r(30, 30), r(30, 30))).toEqual({ restart: false, delayMs: 250 });
  });
  it('asks for a RESTART once the WAL holds RESTART_AFTER_FRAMES frames, copied or not', () => {
    expect(afterPassive(r(10, 10), r(RESTART_AFTER_FRAMES, RESTART_AFTER_FRAMES))).toEqual({ restart: true, delayMs: 100 });
    expect(afterPassive(r(10, 10), r(RESTART_AFTER_FRAMES + 5, 100)).restart).toBe(true);
    expect(afterPassive(r(10, 10), r(RESTART_AFTER_FRAMES - 1, 100)).restart).toBe(false);
  });
});

describe('WalCheckpointer (the process)', () => {
  let dir: string;
  let dbPath: string;
  let ds: DataSource;
  let db: Sqlite;
  let cp: WalCheckpointer | undefined;

  beforeAll(() => {
    if (!fs.existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run \`npm run build\` first`);
  });
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fts-ckpt-'));
    dbPath = path.join(dir, 'state.db');
    ({ dataSource: ds, db } = await openDatabase(dbPath, 'NORMAL'));
    db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB)');
  });
  afterEach(async () => {
    await cp?.stop();
    cp = undefined;
    if (ds?.isInitialized) await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** `n` commits of one page-sized row each (a frame or two apiece), as the server's groups would make them. */
  const writePages = (n: number) => {
    const insert = db.prepare('INSERT INTO blobs (b) VALUES (?)');
    for (let i = 0; i < n; i++) insert.run(Buffer.alloc(PAGE - 200, i % 256));
  };
  const walBytes = () => fs.statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  const dbBytes = () => fs.statSync(dbPath).size;

  /** The WAL header's salt-1: SQLite changes it each time the WAL starts over. */
  const walSalt = () => {
    const fd = fs.openSync(`${dbPath}-wal`, 'r');
    try {
      const header = Buffer.alloc(32);
      fs.readSync(fd, header, 0, 32, 0);
      return header.readUInt32BE(16);
    } finally {
      fs.closeSync(fd);
    }
  };

  it('copies the WAL into the database file and starts it over, while the server connection checkpoints only past the fallback', async () => {
    cp = WalCheckpointer.start(db, { dbPath, synchronous: 'NORMAL' }, () => undefined, SCRIPT);
    expect(cp?.pid).toBeGreaterThan(0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
    // Past RESTART_AFTER_FRAMES (two frames a row: its page and the root's), far short of the fallback.
    const rows = RESTART_AFTER_FRAMES;
    for (let done = 0; done < rows; done += 256) {
      writePages(256);
      await sleep(10); // the server's turns leave the checkpointer gaps like these
    }
    const salt = walSalt();
    // Only the checkpointer can have copied the rows: the server's connection would not before FALLBACK_AUTOCHECKPOINT_PAGES.
    await until('the rows to reach the database file', () => dbBytes() > rows * PAGE * 0.9);
    // The next write after a RESTART starts the WAL over (a new salt), however loaded the machine is.
    let extra = 0;
    await until('the WAL to start over', () => {
      writePages(1);
      extra++;
      return walSalt() !== salt;
    });
    expect(walBytes()).toBeLessThan(FALLBACK_AUTOCHECKPOINT_PAGES * FRAME);
    expect((db.prepare('SELECT COUNT(*) AS n FROM blobs').get() as { n: number }).n).toBe(rows + extra);
  });

  it('falls back to inline checkpoints, with a warning, when the process exits unasked; stop() ends it', async () => {
    const warnings: string[] = [];
    cp = WalCheckpointer.start(db, { dbPath, synchronous: 'NORMAL' }, (m) => warnings.push(m), SCRIPT);
    process.kill(cp!.pid!, 'SIGKILL');
    await until('the warning', () => warnings.length > 0);
    expect(warnings[0]).toMatch(/checkpointer process exited \(SIGKILL\); checkpoints run inline/);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(INLINE_AUTOCHECKPOINT_PAGES);

    const second = WalCheckpointer.start(db, { dbPath, synchronous: 'NORMAL' }, (m) => warnings.push(m), SCRIPT)!;
    const pid = second.pid!;
    await second.stop();
    expect(() => process.kill(pid, 0)).toThrow(); // gone
    expect(warnings).toHaveLength(1); // an asked-for exit is not a fallback
  });

  it('leaves inline checkpoints alone where there is no process to start (an in-memory database, or no build)', () => {
    expect(WalCheckpointer.start(db, { dbPath: ':memory:', synchronous: 'NORMAL' }, () => undefined, SCRIPT)).toBeUndefined();
    expect(WalCheckpointer.start(db, { dbPath, synchronous: 'NORMAL' }, () => undefined, path.join(dir, 'missing.js'))).toBeUndefined();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(INLINE_AUTOCHECKPOINT_PAGES);
  });
});
