import { Inject, Injectable } from '@nestjs/common';
import { MAX_NAME_LENGTH, exportModel, type ExportModel, type ModelExportResult } from '@fts/domain';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { exportFolderFact } from './export-folder.js';

export type ExportModelRequestFields = Omit<ExportModel, 'cml_configured' | 'mlflow_configured' | 'artifact_location_fact'>;

/** ExportModel: records the export request (`queued`) for a runner to carry out. */
@Injectable()
export class ExportsHandlers {
  constructor(
    private readonly runner: CommandRunner,
    private readonly paths: ProjectPaths,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Looks at a `project` export's folder on disk, then decides. */
  exportModel(req: ExportModelRequestFields, call: CallContext): ModelExportResult {
    const cmd: ExportModel = {
      ...req,
      cml_configured: this.config.cml !== undefined,
      mlflow_configured: this.config.mlflowTrackingUri !== undefined,
    };
    if (req.type === 'project' && req.artifact_location.trim() && req.artifact_location.length <= MAX_NAME_LENGTH) {
      cmd.artifact_location_fact = exportFolderFact(this.paths, req.artifact_location);
    }
    return this.runner.run('ExportModel', (ctx) => exportModel(cmd, ctx), call);
  }
}
