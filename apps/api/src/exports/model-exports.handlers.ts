import { Injectable, Inject } from '@nestjs/common';
import { notFound, requireMaxLength, type Row, type PagingCatalogReader } from '@fts/domain';
import { CATALOG_READER } from '../platform/platform.tokens.js';
import { listPage, type PageRequest } from '../platform/transport/paging.js';

/** ListModelExports / GetModelExport: the export requests and how far each got. */
@Injectable()
export class ModelExportsHandlers {
  constructor(@Inject(CATALOG_READER) private readonly reader: PagingCatalogReader) {}

  list(page: PageRequest) {
    return listPage(this.reader, 'model_exports', page);
  }

  get(id: string): Row {
    requireMaxLength({ id });
    const row = id ? this.reader.get('model_exports', id) : undefined;
    if (!row) throw notFound('MODEL_EXPORT.NOT_FOUND', `Model export with ID '${id}' does not exist.`);
    return row;
  }
}
