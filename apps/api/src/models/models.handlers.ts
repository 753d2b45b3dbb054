import { Inject, Injectable } from '@nestjs/common';
import { addModel, checkAddModel, getModel, removeModel, type AddModel, type ModelSource, type Row, type PagingCatalogReader } from '@fts/domain';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { listPage, type PageRequest } from '../platform/transport/paging.js';
import { HfHubClient } from '../datasets/infra/hf-hub.client.js';
import { CmlRegistryClient } from './infra/cml-registry.client.js';
import { readProjectModel } from './infra/project-model.js';

/** Model commands and queries, shared by every transport. */
@Injectable()
export class ModelsHandlers {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CATALOG_READER) private readonly reader: PagingCatalogReader,
    private readonly paths: ProjectPaths,
    @Inject(HfHubClient) private readonly hub: HfHubClient,
    @Inject(CmlRegistryClient) private readonly registry: CmlRegistryClient,
  ) {}

  /** Cheap checks, then the look-up (Hub, folder or registry), then the decision on fresh state. */
  async add(cmd: AddModel, call: CallContext): Promise<Row> {
    const plan = checkAddModel(cmd, this.reader);
    let source: ModelSource;
    switch (plan.kind) {
      case 'huggingface':
        source = { model_family: (await this.hub.modelInfo(plan.huggingface_name)).modelFamily };
        break;
      case 'project':
        source = await readProjectModel(this.paths, plan.location);
        break;
      case 'model_registry':
        source = await this.registry.registeredModel(plan.model_registry_id);
        break;
    }
    return this.runner.run('AddModel', (ctx) => addModel(cmd, source, ctx), call);
  }

  remove(id: string, call: CallContext): void {
    this.runner.run('RemoveModel', (ctx) => removeModel({ id }, ctx), call);
  }

  list(page: PageRequest) {
    return listPage(this.reader, 'models', page);
  }

  /** The rows with these ids, in that order; an id with no row is left out. */
  byIds(ids: readonly string[]) {
    return ids.flatMap((id) => this.reader.get('models', id) ?? []);
  }

  get(id: string): Row {
    return getModel(this.reader, id);
  }
}
