import { Inject, Injectable } from '@nestjs/common';
import {
  addDataset,
  checkAddDataset,
  datasetSplitByAdapter,
  getDataset,
  removeDataset,
  type AddDataset,
  type DatasetSource,
  type DatasetSplit,
  type RemoveDataset,
  type Row,
} from '@fts/domain';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import type { PagingCatalogReader } from '@fts/domain';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { listPage, type PageRequest } from '../platform/transport/paging.js';
import { HfHubClient } from './infra/hf-hub.client.js';
import { readDatasetFeatures } from './infra/dataset-features.js';

/** Dataset commands and queries, shared by every transport. */
@Injectable()
export class DatasetsHandlers {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CATALOG_READER) private readonly reader: PagingCatalogReader,
    private readonly paths: ProjectPaths,
    @Inject(HfHubClient) private readonly hub: HfHubClient,
  ) {}

  /**
   * The cheap checks first, then the one slow look-up (the Hub, or the file's
   * header), then the decision on fresh state inside the write transaction,
   * which repeats the checks, so a concurrent add of the same name is still
   * ALREADY_EXISTS.
   */
  async add(cmd: AddDataset, call: CallContext): Promise<Row> {
    const plan = checkAddDataset(cmd, this.reader);
    let source: DatasetSource;
    if (plan.kind === 'huggingface') {
      const info = await this.hub.datasetInfo(plan.huggingface_name);
      source = { features: info.features, description: info.description };
    } else {
      const abs = this.paths.file(plan.location);
      source = { features: await readDatasetFeatures(abs, plan.format, plan.location), location: this.paths.relative(abs) };
    }
    return this.runner.run('AddDataset', (ctx) => addDataset(cmd, source, ctx), call);
  }

  remove(cmd: RemoveDataset, call: CallContext): void {
    this.runner.run('RemoveDataset', (ctx) => removeDataset(cmd, ctx), call);
  }

  list(page: PageRequest) {
    return listPage(this.reader, 'datasets', page);
  }

  /** The rows with these ids, in that order; an id with no row is left out. */
  byIds(ids: readonly string[]) {
    return ids.flatMap((id) => this.reader.get('datasets', id) ?? []);
  }

  get(id: string): Row {
    return getDataset(this.reader, id);
  }

  splitByAdapter(adapterId: string): DatasetSplit {
    return datasetSplitByAdapter(this.reader, adapterId);
  }
}
