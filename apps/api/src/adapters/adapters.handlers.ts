import { Injectable, Inject } from '@nestjs/common';
import {
  addAdapter,
  adapterDirOf,
  checkAddAdapter,
  getAdapter,
  invalidArgument,
  locationsInUse,
  planFolderDeletion,
  removeAdapter,
  type AddAdapter,
  type AdapterRow,
} from '@fts/domain';
import { deleteFolders, type FolderDeletion } from '../platform/paths/delete-folders.js';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import type { PagingCatalogReader } from '@fts/domain';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { listPage, type PageRequest } from '../platform/transport/paging.js';

/** Adapter commands and queries, shared by every transport (and the job supervisor's auto-add). */
@Injectable()
export class AdaptersHandlers {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CATALOG_READER) private readonly reader: PagingCatalogReader,
    private readonly paths: ProjectPaths,
  ) {}

  /**
   * Checks 1-2 (and the type), then check 3: the location is an existing
   * directory inside the project (symlinks included), then 4-7 in the decider.
   */
  add(cmd: AddAdapter, call: CallContext): AdapterRow {
    checkAddAdapter(cmd);
    const location = cmd.location.trim();
    const dir = this.paths.directory(location);
    if (!dir) throw invalidArgument('ADAPTER.LOCATION_NOT_A_DIRECTORY', `Location '${location}' must be a valid directory.`);
    const resolved = { location: this.paths.relative(dir) };
    return this.runner.run('AddAdapter', (ctx) => addAdapter(cmd, resolved, ctx), call);
  }

  /** Removes the adapter's record; with `deleteFiles`, also its folder when nothing else uses it. */
  remove(id: string, call: CallContext, deleteFiles = false): FolderDeletion {
    const before = this.reader.get('adapters', id);
    this.runner.run('RemoveAdapter', (ctx) => removeAdapter({ id }, ctx), call);
    if (!deleteFiles || !before || before.type !== 'project' || typeof before.location !== 'string') return { deleted: [], kept: [] };
    // A job's adapter folder counts as the job's while the job exists (its default location is the job's own).
    const others = locationsInUse(this.reader, (job) => (job.adapter_id === id ? '' : adapterDirOf(job)), { adapters: [id] });
    return deleteFolders(this.paths, planFolderDeletion([before.location], others));
  }

  /** One page of the adapters; with a model id, of that base model's only. */
  list(page: PageRequest, modelId = '') {
    return listPage(this.reader, 'adapters', page, modelId ? { model_id: modelId } : undefined);
  }

  /** The rows with these ids, in that order; an id with no row is left out. */
  byIds(ids: readonly string[]) {
    return ids.flatMap((id) => this.reader.get('adapters', id) ?? []);
  }

  get(id: string): AdapterRow {
    return getAdapter(this.reader, id);
  }
}
