import { Injectable, Inject } from '@nestjs/common';
import { addPrompt, promptNotFound, removePrompt, type AddPrompt, type Row, type PagingCatalogReader } from '@fts/domain';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { listPage, type PageRequest } from '../platform/transport/paging.js';

/** Prompt commands and queries, shared by every transport. */
@Injectable()
export class PromptsHandlers {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CATALOG_READER) private readonly reader: PagingCatalogReader,
  ) {}

  add(cmd: AddPrompt, call: CallContext): Row {
    return this.runner.run('AddPrompt', (ctx) => addPrompt(cmd, ctx), call);
  }

  remove(id: string, call: CallContext): void {
    this.runner.run('RemovePrompt', (ctx) => removePrompt({ id }, ctx), call);
  }

  /** One page of the prompts; with a dataset id, of that dataset's only. */
  list(page: PageRequest, datasetId = '') {
    return listPage(this.reader, 'prompts', page, datasetId ? { dataset_id: datasetId } : undefined);
  }

  /** The rows with these ids, in that order; an id with no row is left out. */
  byIds(ids: readonly string[]) {
    return ids.flatMap((id) => this.reader.get('prompts', id) ?? []);
  }

  get(id: string): Row {
    const row = id ? this.reader.get('prompts', id) : undefined;
    if (!row) throw promptNotFound(id);
    return row;
  }
}
