import { Inject, Injectable } from '@nestjs/common';
import type { ImportReport } from '@fts/domain';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { DATABASE } from '../platform/platform.tokens.js';
import type { Sqlite } from '../platform/database/open-database.js';
import { DatabaseTransfer, type ImportSource } from './database-transfer.js';
import type { ExportSink } from './export-stream.js';

/** ExportDatabase / ImportDatabase for every transport; the logic is DatabaseTransfer's, shared with the CLI. */
@Injectable()
export class DatabaseHandlers {
  private readonly transfer: DatabaseTransfer;

  constructor(@Inject(DATABASE) database: { db: Sqlite }, runner: CommandRunner, paths: ProjectPaths) {
    this.transfer = new DatabaseTransfer(database.db, runner, paths);
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
