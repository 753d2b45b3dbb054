import { Injectable, Inject } from '@nestjs/common';
import {
  addConfig,
  getConfig,
  listConfigs,
  removeConfig,
  requireMaxLength,
  type AddConfig,
  type ListConfigsQuery,
  type Row,
} from '@fts/domain';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import type { PagingCatalogReader } from '@fts/domain';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { MAX_PAGE_SIZE, listPage, pageSizeInvalid, pageTokenInvalid, type PageRequest } from '../platform/transport/paging.js';

/** Config commands and queries, shared by every transport (and StartFineTuningJob's user_config, in the domain). */
@Injectable()
export class ConfigsHandlers {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(CATALOG_READER) private readonly reader: PagingCatalogReader,
  ) {}

  add(cmd: AddConfig, call: CallContext): Row {
    return this.runner.run('AddConfig', (ctx) => addConfig(cmd, ctx), call);
  }

  remove(id: string, call: CallContext): void {
    this.runner.run('RemoveConfig', (ctx) => removeConfig({ id }, ctx), call);
  }

  get(id: string): Row {
    return getConfig(this.reader, id);
  }

  /** ListConfigs: by type in the table's order; with model_id, the family filter of the domain, paged by offset. */
  list(query: ListConfigsQuery, page: PageRequest): { rows: Row[]; next_page_token: string } {
    if (!query.model_id) {
      requireMaxLength({ type: query.type });
      return listPage(this.reader, 'configs', page, query.type ? { type: query.type } : undefined);
    }
    return pageOf(listConfigs(this.reader, query), page);
  }
}

/** Offset paging over rows already in memory (the model-family filter is the domain's; listPage pages SQLite by key). */
export function pageOf(rows: Row[], req: PageRequest): { rows: Row[]; next_page_token: string } {
  if (!req.page_size && !req.page_token) return { rows, next_page_token: '' };
  if ((req.page_size ?? 0) < 0) throw pageSizeInvalid();
  const size = Math.min(req.page_size || 100, MAX_PAGE_SIZE);
  let start = 0;
  if (req.page_token) {
    start = Number(Buffer.from(req.page_token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0) throw pageTokenInvalid();
  }
  const next = start + size < rows.length ? Buffer.from(String(start + size)).toString('base64url') : '';
  return { rows: rows.slice(start, start + size), next_page_token: next };
}
