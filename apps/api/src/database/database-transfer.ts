import fs from 'node:fs';
import {
  MAX_IMPORT_BYTES,
  exportDatabase,
  importDatabase,
  invalidArgument,
  notFound,
  parseImportDocument,
  referencedLocations,
  type ImportReport,
  type LocationFact,
} from '@fts/domain';
import type { Sqlite } from '../platform/database/open-database.js';
import type { CommandRunner, CallContext } from '../platform/command-runner.js';
import { SqliteCatalogReader } from '../platform/event-store/sqlite-catalog-reader.js';
import { memorySink, writeExport, type ExportSink } from './export-stream.js';
import { FramedFieldWriter, type FramedResponse } from '../platform/transport/large-messages.js';
import type { ProjectPaths } from '../platform/paths/project-paths.js';

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

  constructor(
    private readonly db: Sqlite,
    private readonly runner: CommandRunner,
    private readonly paths: ProjectPaths,
  ) {
    this.reader = new SqliteCatalogReader(db);
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
   * ExportDatabaseResponse { exported_json = 1 } framed for the wire, read like
   * exportTo (the loop keeps turning) and encoded straight into the answer's
   * buffer: the document is never one string, nor copied whole at once.
   */
  async exportFramed(opts: { includeExtensions: boolean }): Promise<FramedResponse> {
    const writer = new FramedFieldWriter(1);
    await writeExport(this.db.name, opts, memorySink((text) => writer.write(text)));
    return writer.finish();
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
