import { Inject, Injectable } from '@nestjs/common';
import type { ImportReport } from '@fts/domain';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { DATABASE } from '../platform/platform.tokens.js';
import type { Sqlite } from '../platform/database/open-database.js';
import { EventBus } from '../platform/event-bus.js';
import { EventStore } from '../platform/event-store/event-store.js';
import { WriteGate } from '../platform/transport/write-gate.js';
import { DatabaseTransfer, type ImportSource } from './database-transfer.js';
import { importOffThread } from './import-off-thread.js';
import type { ExportSink } from './export-stream.js';
import type { FramedResponse } from '../platform/transport/large-messages.js';
import { decodeImport, type EncodedImport } from './import-request.js';

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
    store: EventStore,
  ) {
    this.transfer = new DatabaseTransfer(database.db, runner, paths, store);
  }

  /** ExportDatabase's answer framed for the wire, built without holding the event loop (gRPC's unary answer). */
  exportFramed(includeExtensions: boolean): Promise<FramedResponse> {
    return this.transfer.exportFramed({ includeExtensions });
  }

  /**
   * An import run in a child process (import-off-thread.ts): same rules and
   * answer as `import`, without stalling other requests. An encoded import
   * (the request's bytes) is decoded there too.
   */
  async importAsync(input: ImportSource | EncodedImport, call: CallContext): Promise<ImportReport> {
    if (this.database.db.memory) {
      if (!('kind' in input)) return this.import(input, call);
      const decoded = decodeImport(input, call);
      return this.import(decoded.source, decoded.call);
    }
    return importOffThread({ dbPath: this.database.db.name, projectRoot: this.paths.root }, input, call, this.gate, this.bus);
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
