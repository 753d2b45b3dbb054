import { invalidArgument, type PagingCatalogReader, type Row, type TableName, type TableRows } from '@fts/domain';

export interface PageRequest {
  page_size?: number;
  page_token?: string;
}

export const MAX_PAGE_SIZE = 1000;

/** The paging errors, defined once for every list. */
export const pageSizeInvalid = () => invalidArgument('PAGE.SIZE', 'page_size must be 0 or greater.');
export const pageTokenInvalid = () => invalidArgument('PAGE.TOKEN', 'page_token is not a token this server issued.');

/** Rows of a table in creation order; all of them when no paging is asked for (the original's behaviour). */
export function listPage<T extends TableName>(reader: PagingCatalogReader, table: T, req: PageRequest, where?: Partial<TableRows[T]>) {
  if (!req.page_size && !req.page_token) return { rows: reader.find(table, where), next_page_token: '' };
  if ((req.page_size ?? 0) < 0) throw pageSizeInvalid();
  const size = Math.min(req.page_size || 100, MAX_PAGE_SIZE);
  let after = 0;
  if (req.page_token) {
    after = Number(Buffer.from(req.page_token, 'base64url').toString('utf8'));
    if (!Number.isInteger(after) || after < 0) throw pageTokenInvalid();
  }
  // Keyset paging, filtered or not: the token is the key of the page's last row, and a one-row read past it says whether more follow.
  const filter = where as Row | undefined;
  const page = reader.page(table, after, size, filter);
  const more = page.rows.length === size && reader.page(table, page.last, 1, filter).rows.length > 0;
  return { rows: page.rows, next_page_token: more ? Buffer.from(String(page.last)).toString('base64url') : '' };
}
