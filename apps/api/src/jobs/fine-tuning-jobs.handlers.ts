import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  MAX_NAME_LENGTH,
  adapterDirOf,
  attemptOf,
  getFineTuningJob,
  locationsInUse,
  planFolderDeletion,
  runKeyOf,
  removeFineTuningJob,
  startFineTuningJob,
  type PathFact,
  type Row,
  type StartFineTuningJob,
} from '@fts/domain';
import { APP_CONFIG, type AppConfig } from '../platform/config/app-config.js';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import type { PagingCatalogReader } from '@fts/domain';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { listPage, type PageRequest } from '../platform/transport/paging.js';
import { JOB_RUNNER, type JobRunner } from '../runners/job-runner.js';
import { ensureStudioAdaptersDir, jobRunsDir, pathFact } from './job-paths.js';
import { withinCapacity } from './job-capacity.js';
import { deleteFolders, type FolderDeletion } from '../platform/paths/delete-folders.js';

/** A start request's fields, as every transport maps them. */
export type StartFineTuningJobFields = Omit<StartFineTuningJob, 'paths' | 'job_runs_dir'>;

/** Fine-tuning job commands and queries, shared by every transport. */
@Injectable()
export class FineTuningJobsHandlers {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CATALOG_READER) private readonly reader: PagingCatalogReader,
    private readonly paths: ProjectPaths,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(JOB_RUNNER) private readonly jobRunner?: Pick<JobRunner, 'exceedsCapacity'>,
  ) {}

  /** Looks at output_dir and user_script on disk, then decides; the job is recorded `queued`. */
  start(req: StartFineTuningJobFields, call: CallContext): Row {
    const cmd = this.command(req);
    return this.runner.run('StartFineTuningJob', (ctx) => withinCapacity(this.jobRunner, startFineTuningJob(cmd, ctx)), call);
  }

  /** The start command with the path facts looked up (a plan decides on the same command). */
  command(req: StartFineTuningJobFields): StartFineTuningJob {
    const paths: { output_dir?: PathFact; user_script?: PathFact } = {};
    if (req.output_dir && req.output_dir.length <= MAX_NAME_LENGTH) {
      ensureStudioAdaptersDir(this.paths, req.output_dir);
      paths.output_dir = pathFact(this.paths, req.output_dir, 'output_dir');
    }
    if (req.user_script && req.user_script.length <= MAX_NAME_LENGTH) paths.user_script = pathFact(this.paths, req.user_script, 'user_script');
    return { ...req, paths, job_runs_dir: jobRunsDir(this.config.projectRoot, this.config.stateDir) };
  }

  /** Removes the job's record; with `deleteFiles`, also its run folders and adapter folder that nothing else uses. */
  remove(id: string, call: CallContext, deleteFiles = false): FolderDeletion {
    const before = this.reader.get('fine_tuning_jobs', id);
    this.runner.run('RemoveFineTuningJob', (ctx) => removeFineTuningJob({ id }, ctx), call);
    if (!deleteFiles || !before) return { deleted: [], kept: [] };
    const runsDir = jobRunsDir(this.config.projectRoot, this.config.stateDir);
    const runFolders = Array.from({ length: attemptOf(before) }, (_, i) => `${runsDir}/${runKeyOf({ ...before, attempt: i + 1 })}`);
    const candidates = [...runFolders, adapterDirOf(before, runsDir)];
    const plan = planFolderDeletion(candidates, locationsInUse(this.reader, (job) => adapterDirOf(job, runsDir), { jobs: [id] }));
    return deleteFolders(this.paths, plan);
  }

  list(page: PageRequest) {
    return listPage(this.reader, 'fine_tuning_jobs', page);
  }

  get(id: string): Row {
    return getFineTuningJob(this.reader, id);
  }
}
