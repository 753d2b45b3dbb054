import { Inject, Injectable } from '@nestjs/common';
import { exportModel, type ExportModel, type ModelExportResult } from '@fts/domain';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';

/** ExportModel: records the export request (`queued`) for a runner to carry out. */
@Injectable()
export class ExportsHandlers {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  exportModel(req: Omit<ExportModel, 'cml_configured'>, call: CallContext): ModelExportResult {
    const cmd: ExportModel = { ...req, cml_configured: this.config.cml !== undefined };
    return this.runner.run('ExportModel', (ctx) => exportModel(cmd, ctx), call);
  }
}
