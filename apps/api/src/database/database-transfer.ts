import fs from 'node:fs';
import {
  MAX_IMPORT_BYTES,
  EXPORT_END,
  EXPORT_START,
  EXPORT_TABLES,
  exportDatabase,
  exportTableChunks,
  importDatabase,
  invalidArgument,
  notFound,
  parseImportDocument,
  referencedLocations,
  type ImportReport,
  type LocationFact,
  type Row,
} from '@fts/domain';
import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../platform/database/open-database.js';
import type { CommandRunner, CallContext } from '../platform/command-runner.js';
import { SqliteCatalogReader } from '../platform/event-store/sqlite-catalog-reader.js';
import { memorySink, writeExport, type ExportSink } from './export-stream.js';
import { FramedFieldWriter, type FramedResponse } from '../platform/transport/large-messages.js';
import type { ProjectPaths } from '../platform/paths/project-paths.js';

/** How long ExportDatabase reads on the server's connection before it takes the sliced path instead. */
const SMALL_EXPORT_MS = 8;
const TOO_BIG = Symbol('larger than a small export');
const PAGE_ROWS = 256;
const ROWID = '__export_rowid';

/** Where an import document comes from: its text, or a file inside the project (a request path). */
export interface ImportSource {
  json?: string;
  path?: string;
}

/**
 * ExportDatabase and ImportDatabase, framework-free: the gRPC handler and the
 * `fts` CLI both construct this, so the rules live in one place (the pure
 * parts in libs/domain/src/database).
 */
export class DatabaseTransfer {
  private readonly reader: SqliteCatalogReader;
  private readonly exportStatements = new Map<string, Statement>();
  /** Per table, its part of the last small export and the versions it was read at. */
  private readonly keptTables = new Map<string, { key: string; text: string }>();
  private readonly dataVersion: () => unknown;

  constructor(
    private readonly db: Sqlite,
    private readonly runner: CommandRunner,
    private readonly paths: ProjectPaths,
    /** The server's write versions per table (its EventStore): small exports keep the parts of unchanged tables. */
    private readonly versions?: { tableVersion(table: string): number; settled?(): Promise<void> },
  ) {
    this.reader = new SqliteCatalogReader(db);
    const dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.dataVersion = () => dataVersion.get();
  }

  /** The export document, read in one transaction so every table shows the same moment. No file is written. */
  export(opts: { includeExtensions: boolean }): string {
    return this.db.transaction(() => exportDatabase((t) => this.reader.find(t), opts))();
  }

  /** The export document written to `sink` as it is read (constant memory; see export-stream.ts). */
  exportTo(sink: ExportSink, opts: { includeExtensions: boolean }): Promise<boolean> {
    return writeExport(this.db.name, opts, sink);
  }

  /**
   * ExportDatabaseResponse { exported_json = 1 } framed for the wire, encoded
   * straight into the answer's buffer: the document is never one string, nor
   * copied whole at once. A small database is read at once on the server's
   * connection (exportSmall); a larger one like exportTo, from a snapshot of
   * its own a slice at a time, the loop turning in between.
   */
  async exportFramed(opts: { includeExtensions: boolean }): Promise<FramedResponse> {
    // The turn's grouped writes are not committed yet (EventStore's commit group): the export shows what is.
    if (this.db.inTransaction && this.versions?.settled) await this.versions.settled().catch(() => undefined);
    const small = this.exportSmall(opts);
    if (small) return small.finish();
    // The small try just held the loop for up to SMALL_EXPORT_MS: other requests go before the first slice.
    await new Promise((resolve) => setImmediate(resolve));
    const writer = new FramedFieldWriter(1);
    await writeExport(this.db.name, opts, memorySink((text) => writer.write(text)));
    return writer.finish();
  }

  /**
   * The export read in one read transaction on the server's connection, with
   * its statements prepared once, when that takes under SMALL_EXPORT_MS (well
   * under a stall); else undefined (the work so far is dropped). Opening a
   * connection of its own, preparing its statements (SQLite parses the whole
   * schema on a new connection) and closing it cost more than reading a
   * small database: on the bench mix's state (10 datasets, 100 prompts, 10
   * configs) they were half of ExportDatabase's CPU. Not inside another
   * transaction (an open commit group): the export shows what is committed.
   *
   * With `versions` (the server's EventStore), a table's part of the document
   * is kept and written again while the table is unchanged: same write
   * version of its table in this process (EventStore.tableVersion) and same
   * SQLite data_version (which moves when another process, an import or the
   * CLI, commits). data_version is read before and after the read
   * transaction: when it moved in between, the snapshot may be newer than
   * the kept parts, and the export is read again without them.
   */
  private exportSmall(opts: { includeExtensions: boolean }, useKept = true): FramedFieldWriter | undefined {
    if (this.db.inTransaction) return undefined;
    // The pieces go into the answer's buffer only once the export is known to be small: a try given up
    // has allocated nothing big (past 256 KiB, FramedFieldWriter takes a 64 MiB buffer at once, and that
    // much new external memory sets off a major GC right where the sliced export starts).
    const parts: string[] = [];
    // An in-memory database (tests) has no other connection to read it: always read here.
    const budget = this.db.memory ? Infinity : SMALL_EXPORT_MS;
    const started = performance.now();
    const dataVersion = this.versions ? this.dataVersion() : undefined;
    const read: { table: string; key: string; text: string }[] = [];
    let chunks = 0;
    try {
      this.db.transaction(() => {
        parts.push(EXPORT_START);
        for (const t of EXPORT_TABLES) {
          const key = this.versions ? `${opts.includeExtensions}:${this.versions.tableVersion(t.name)}:${dataVersion}` : undefined;
          const kept = useKept && key !== undefined ? this.keptTables.get(t.name) : undefined;
          if (kept?.key === key) {
            parts.push(kept!.text);
            continue;
          }
          let text = '';
          for (const chunk of exportTableChunks(t, () => this.pagedRows(t.name), opts)) {
            parts.push(chunk);
            if (key !== undefined) text += chunk;
            if (++chunks % 64 === 0 && performance.now() - started > budget) throw TOO_BIG;
          }
          if (key !== undefined) read.push({ table: t.name, key, text });
        }
        parts.push(EXPORT_END);
      })();
    } catch (e) {
      if (e === TOO_BIG) return undefined;
      throw e;
    }
    const moved = dataVersion !== undefined && this.dataVersion() !== dataVersion;
    if (moved && useKept) return this.exportSmall(opts, false);
    if (!moved) for (const r of read) this.keptTables.set(r.table, { key: r.key, text: r.text });
    const writer = new FramedFieldWriter(1);
    for (const p of parts) writer.write(p);
    return writer;
  }

  /** A table's rows in creation order, read a page at a time (one call into SQLite per page, not per row). */
  private *pagedRows(table: string): Generator<Row> {
    let stmt = this.exportStatements.get(table);
    if (!stmt) {
      stmt = this.db.prepare(`SELECT rowid AS ${ROWID}, * FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE_ROWS}`);
      this.exportStatements.set(table, stmt);
    }
    for (let after = -Infinity; ; ) {
      // The extra column is never written: a row is written by its table's columns.
      const page = stmt.all(after) as (Row & { [ROWID]: number })[];
      for (const row of page) {
        after = row[ROWID];
        yield row;
      }
      if (page.length < PAGE_ROWS) return;
    }
  }

  /** Validates the whole document first (a bad one writes nothing), then imports it as one command. */
  import(source: ImportSource, call: CallContext): ImportReport {
    return this.importText(this.readSource(source), call);
  }

  importText(text: string, call: CallContext): ImportReport {
    checkSize(Buffer.byteLength(text, 'utf8'));
    const doc = parseImportDocument(text);
    const locations = new Map<string, LocationFact>();
    for (const loc of referencedLocations(doc)) {
      const fact = this.locationFact(loc);
      if (fact) locations.set(loc, fact);
    }
    return this.runner.run('ImportDatabase', (ctx) => importDatabase(doc, ctx, { locations }), call);
  }

  private readSource(source: ImportSource): string {
    if (source.json && source.path) {
      throw invalidArgument('IMPORT.SOURCE_AMBIGUOUS', "Give either 'imported_json_path' or 'imported_json', not both.");
    }
    if (source.json) return source.json;
    if (!source.path) {
      throw invalidArgument('IMPORT.SOURCE_REQUIRED', "Field 'imported_json_path' (or 'imported_json') is required in ImportDatabaseRequest.");
    }
    return readImportFile(this.paths.resolve(source.path, 'imported_json_path'), source.path);
  }

  /** Outside the project (symlinks followed as far as the path exists), missing, or fine (undefined). */
  private locationFact(loc: string): LocationFact | undefined {
    let abs: string;
    try {
      abs = this.paths.resolve(loc);
    } catch {
      return 'outside';
    }
    return fs.existsSync(abs) ? undefined : 'missing';
  }
}

/** Reads an import file (size-bounded, UTF-8); `shown` is the path as the caller wrote it. */
export function readImportFile(abs: string, shown = abs): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw notFound('IMPORT.FILE_NOT_FOUND', `JSON file not found: ${shown}`);
  }
  if (!st.isFile()) throw invalidArgument('IMPORT.NOT_A_FILE', `'${shown}' is not a file.`);
  checkSize(st.size);
  const bytes = fs.readFileSync(abs);
  checkSize(bytes.length);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidArgument('IMPORT.NOT_UTF8', `'${shown}' is not UTF-8 text.`);
  }
}

function checkSize(bytes: number) {
  if (bytes > MAX_IMPORT_BYTES) {
    throw invalidArgument(
      'IMPORT.TOO_LARGE',
      `The import document is ${bytes} bytes; at most ${MAX_IMPORT_BYTES} bytes (64 MiB) are accepted.`,
    );
  }
}
