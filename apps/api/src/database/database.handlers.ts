import { Inject, Injectable } from '@nestjs/common';
import type { ImportReport } from '@fts/domain';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { DATABASE } from '../platform/platform.tokens.js';
import type { Sqlite } from '../platform/database/open-database.js';
import { EventBus } from '../platform/event-bus.js';
import { WriteGate } from '../platform/transport/write-gate.js';
import { DatabaseTransfer, type ImportSource } from './database-transfer.js';
import { importOffThread } from './import-off-thread.js';
import type { ExportSink } from './export-stream.js';

/** ExportDatabase / ImportDatabase for every transport; the logic is DatabaseTransfer's, shared with the CLI. */
@Injectable()
export class DatabaseHandlers {
  private readonly transfer: DatabaseTransfer;

  constructor(
    @Inject(DATABASE) private readonly database: { db: Sqlite },
    runner: CommandRunner,
    private readonly paths: ProjectPaths,
    private readonly gate: WriteGate,
    private readonly bus: EventBus,
  ) {
    this.transfer = new DatabaseTransfer(database.db, runner, paths);
  }

  /** The export document as UTF-8 pieces, read without holding the event loop (gRPC's unary answer). */
  exportPieces(includeExtensions: boolean): Promise<Buffer[]> {
    return this.transfer.exportPieces({ includeExtensions });
  }

  /** An import run in a child process (import-off-thread.ts): same rules and answer as `import`, without stalling other requests. */
  importAsync(source: ImportSource, call: CallContext): Promise<ImportReport> {
    if (this.database.db.memory) return Promise.resolve(this.import(source, call));
    return importOffThread({ dbPath: this.database.db.name, projectRoot: this.paths.root }, source, call, this.gate, this.bus);
  }

  export(includeExtensions: boolean): string {
    return this.transfer.export({ includeExtensions });
  }

  /** Streams the export to `sink`; false when the reader went away first. */
  exportTo(sink: ExportSink, includeExtensions: boolean): Promise<boolean> {
    return this.transfer.exportTo(sink, { includeExtensions });
  }

  import(source: ImportSource, call: CallContext): ImportReport {
    return this.transfer.import(source, call);
  }
}
