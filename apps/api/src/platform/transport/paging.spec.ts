import type { PagingCatalogReader, Row } from '@fts/domain';
import { listPage } from './paging.js';

/** A table of 10 rows, half of type 'a'; it refuses `find` so a paged list cannot read the whole table. */
function table(): PagingCatalogReader & { reads: number[] } {
  const rows: (Row & { key: number })[] = Array.from({ length: 10 }, (_, i) => ({ key: i + 1, id: `r${i + 1}`, type: i % 2 ? 'b' : 'a' }));
  const reads: number[] = [];
  return {
    reads,
    get: () => undefined,
    find: () => {
      throw new Error('a paged list read the whole table');
    },
    streamVersion: () => 0,
    page(_table, after, limit, where = {}) {
      const hit = rows.filter((r) => r.key > after && Object.entries(where).every(([k, v]) => r[k] === v)).slice(0, limit);
      reads.push(hit.length);
      return { rows: hit.map(({ key: _key, ...r }) => r), last: hit.length ? hit[hit.length - 1].key : after };
    },
  } as PagingCatalogReader & { reads: number[] };
}

describe('listPage', () => {
  it('pages a filtered list by key, reading a page (and one row past it) at a time', () => {
    const t = table();
    const first = listPage(t, 'configs', { page_size: 2 }, { type: 'a' });
    expect(first.rows.map((r) => r.id)).toEqual(['r1', 'r3']);
    const second = listPage(t, 'configs', { page_size: 2, page_token: first.next_page_token }, { type: 'a' });
    expect(second.rows.map((r) => r.id)).toEqual(['r5', 'r7']);
    const last = listPage(t, 'configs', { page_size: 2, page_token: second.next_page_token }, { type: 'a' });
    expect(last).toEqual({ rows: [expect.objectContaining({ id: 'r9' })], next_page_token: '' });
    expect(Math.max(...t.reads)).toBeLessThanOrEqual(2);
  });
});
