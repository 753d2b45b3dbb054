import { invalidArgument } from '@fts/domain';
import { queryList } from './request-shape.js';

type Query = Record<string, string | string[] | undefined>;

/** The most ids one `ids` filter may name (a console page's rows; a URL stays well under 8 KB). */
export const MAX_IDS = 100;
/** The longest id the filter takes (ids are UUIDs; a name-like id is still short). */
export const MAX_ID_LENGTH = 128;

const badIds = (message: string) => invalidArgument('HTTP.BAD_QUERY', message);

/**
 * The `ids` filter of an HTTP list route (an HTTP extension: a page reads the
 * rows it labels, e.g. the names of its jobs' datasets, in one request instead
 * of one GET per id): comma-separated or repeated, at most MAX_IDS distinct,
 * duplicates read once. undefined when the query has no `ids`. It is the whole
 * request: paging and the route's other filters (`others`) with it are a 400.
 */
export function idsQuery(q: Query, others: readonly string[] = []): string[] | undefined {
  if (q.ids === undefined) return undefined;
  const ids = [...new Set(queryList('ids', q.ids))];
  if (ids.length === 0) throw badIds("Query parameter 'ids' must name at least one id.");
  if (ids.length > MAX_IDS) throw badIds(`Query parameter 'ids' names ${ids.length} ids; at most ${MAX_IDS} may be asked at once.`);
  const long = ids.find((id) => id.length > MAX_ID_LENGTH);
  if (long !== undefined) throw badIds(`Query parameter 'ids' has an id longer than ${MAX_ID_LENGTH} characters ('${long.slice(0, 40)}…').`);
  const withIt = ['page_size', 'page_token', ...others].filter((name) => q[name] !== undefined);
  if (withIt.length) throw badIds(`Query parameter 'ids' cannot be combined with ${withIt.map((n) => `'${n}'`).join(', ')}: it reads exactly the rows named.`);
  return ids;
}
