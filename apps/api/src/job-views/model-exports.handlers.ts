import { Injectable } from '@nestjs/common';
import { notFound, requireMaxLength, type Row } from '@fts/domain';
import { SqliteCatalogReader } from '../platform/event-store/sqlite-catalog-reader.js';
import { listPage, type PageRequest } from '../platform/transport/paging.js';

/** ListModelExports / GetModelExport: the export requests and how far each got. */
@Injectable()
export class ModelExportsHandlers {
  constructor(private readonly reader: SqliteCatalogReader) {}

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
