import Database from 'better-sqlite3';
import { exportDatabaseChunks, type ExportOptions, type Row } from '@fts/domain';

/** Where the export is written: a ServerResponse, or any writable stream. */
export interface ExportSink {
  write(chunk: string): boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
  readonly destroyed: boolean;
}

/** The longest the export runs before letting other requests in. */
const SLICE_MS = 10;

/**
 * Writes the ExportDatabase document to `sink` row by row: memory stays that
 * of one row plus the sink's buffer, whatever the size of the database, and
 * the event loop is given back every few milliseconds and whenever the sink
 * is full (a slow reader holds nothing but its socket buffer).
 *
 * The rows come from a read-only connection of the export's own, in one read
 * transaction: a WAL snapshot, so every table shows the same moment while
 * the server's connection keeps writing, and iterating it never keeps the
 * server's connection busy. Resolves false when the reader went away first.
 */
export async function writeExport(dbPath: string, opts: ExportOptions, sink: ExportSink): Promise<boolean> {
  // The first slice counts from here: opening the connection (SQLite reads the schema) is part of it.
  let sliceStart = performance.now();
  const conn = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    conn.exec('BEGIN');
    const rowsOf = (table: string) => conn.prepare(`SELECT * FROM ${table} ORDER BY rowid`).iterate() as Iterable<Row>;
    for (const chunk of exportDatabaseChunks(rowsOf, opts)) {
      if (sink.destroyed) return false;
      if (!sink.write(chunk) && !(await drained(sink))) return false;
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    conn.exec('COMMIT');
    return true;
  } finally {
    conn.close();
  }
}

/** Waits until the sink can take more (true) or is closed (false). */
function drained(sink: ExportSink): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      sink.removeListener('drain', onDrain);
      sink.removeListener('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    sink.once('drain', onDrain);
    sink.once('close', onClose);
  });
}

/** A sink that never fills (it hands each piece to `write`), for a unary answer built in memory. */
export function memorySink(write: (text: string) => unknown): ExportSink {
  const sink: ExportSink = {
    write(chunk: string) {
      write(chunk);
      return true;
    },
    once: () => sink,
    removeListener: () => sink,
    destroyed: false,
  };
  return sink;
}
