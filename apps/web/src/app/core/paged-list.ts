import { DestroyRef, computed, inject, signal } from '@angular/core';
import { Api } from './api';
import { errorMessage } from './api-error';
import { LiveEvents } from './live-events';

/** The server's largest page (apps/api/src/platform/transport/paging.ts MAX_PAGE_SIZE). */
export const MAX_PAGE_SIZE = 1000;

/** One list route read page by page. */
export interface PagedQuery {
  /** The list route, e.g. '/datasets'. */
  path: string;
  /** The answer's list field, e.g. 'datasets'. */
  key: string;
  /** Rows per page. */
  pageSize: number;
  /** Filters, e.g. { dataset_id }. One that is '' means "nothing chosen yet": the list is empty and nothing is read. */
  params?: Record<string, string>;
}

/**
 * One list a page shows, read through the list route's paging (page_size /
 * page_token) instead of the whole table: the first page, then more on demand.
 * A re-read (`reload`, after a change) asks again for as many rows as are
 * shown. Rows a page adds itself (`add`: one it created; `ensure`: a select's
 * chosen value read by id) stay in `items` until a page read brings them.
 */
export class PagedList<T extends { id: string }> {
  readonly items = signal<T[]>([]);
  /** The first read has answered (or failed). */
  readonly loaded = signal(false);
  readonly error = signal<string | null>(null);
  readonly loading = signal(false);
  private readonly token = signal('');
  /** There are rows after the ones read. */
  readonly hasMore = computed(() => !!this.token());
  /** Rows read through the pages (the rest of `items` are pinned). */
  private paged: T[] = [];
  private readonly pinned = new Map<string, T>();
  /** Bumped by each first-page read: an answer to an older one is dropped. */
  private generation = 0;

  constructor(
    private readonly api: Api,
    private query: PagedQuery,
  ) {}

  /** Nothing chosen for a filter ('' value): no rows, nothing to read. */
  private get idle(): boolean {
    return Object.values(this.query.params ?? {}).some((v) => v === '');
  }

  /** New filters (e.g. another dataset chosen): the first page of the new query. */
  setParams(params: Record<string, string>): Promise<void> {
    if (JSON.stringify(params) === JSON.stringify(this.query.params ?? {})) return Promise.resolve();
    this.query = { ...this.query, params };
    this.paged = [];
    this.pinned.clear();
    this.items.set([]);
    this.token.set('');
    this.loaded.set(false);
    return this.reload();
  }

  /**
   * A change was reported: re-read, but at most one read at a time. Changes that
   * come while a read is in flight are read once, after it (a burst of writes
   * costs the server two reads, not one per change).
   */
  refresh(): void {
    if (this.reading) {
      this.stale = true;
      return;
    }
    this.reading = true;
    void this.reload().finally(() => {
      this.reading = false;
      if (this.stale) {
        this.stale = false;
        this.refresh();
      }
    });
  }
  private reading = false;
  private stale = false;

  /** Reads the first page again, as many rows as are shown (at least a page, at most the server's largest). */
  async reload(): Promise<void> {
    const gen = ++this.generation;
    if (this.idle) {
      this.paged = [];
      this.show();
      this.token.set('');
      this.loaded.set(true);
      return;
    }
    const size = Math.min(MAX_PAGE_SIZE, Math.max(this.query.pageSize, this.paged.length));
    this.loading.set(true);
    try {
      const r = await this.api.get<Record<string, unknown>>(this.query.path, { ...this.query.params, page_size: size });
      if (gen !== this.generation) return;
      this.paged = (r[this.query.key] as T[] | undefined) ?? [];
      this.token.set(String(r['next_page_token'] ?? ''));
      this.show();
      this.error.set(null);
    } catch (e) {
      if (gen === this.generation) this.error.set(errorMessage(e));
    } finally {
      if (gen === this.generation) {
        this.loading.set(false);
        this.loaded.set(true);
      }
    }
  }

  /** The next page, added after the rows shown. */
  async more(): Promise<void> {
    const token = this.token();
    if (!token || this.loading() || this.idle) return;
    const gen = this.generation;
    this.loading.set(true);
    try {
      const r = await this.api.get<Record<string, unknown>>(this.query.path, { ...this.query.params, page_size: this.query.pageSize, page_token: token });
      if (gen !== this.generation) return;
      const known = new Set(this.paged.map((x) => x.id));
      this.paged = [...this.paged, ...((r[this.query.key] as T[] | undefined) ?? []).filter((x) => !known.has(x.id))];
      this.token.set(String(r['next_page_token'] ?? ''));
      this.show();
      this.error.set(null);
    } catch (e) {
      this.error.set(errorMessage(e));
    } finally {
      if (gen === this.generation) this.loading.set(false);
    }
  }

  /** A row this page created: shown at once, wherever its page is. */
  add(row: T): void {
    this.pinned.set(row.id, row);
    this.show();
  }

  /** A row this page removed: off the list at once (the re-read the live event brings agrees). */
  remove(id: string): void {
    this.pinned.delete(id);
    this.paged = this.paged.filter((x) => x.id !== id);
    this.show();
  }

  /**
   * The row with this id among the items, read by id (`GET <path>/<id>`, answer field `one`) when no
   * page brought it: a select's chosen value (a job's dataset, a `?dataset=` link) must be one of its options.
   */
  async ensure(id: string, one: string): Promise<T | undefined> {
    if (!id) return undefined;
    const have = this.items().find((x) => x.id === id);
    if (have) return have;
    try {
      const r = await this.api.get<Record<string, T | undefined>>(`${this.query.path}/${encodeURIComponent(id)}`);
      const row = r[one];
      if (row && !this.items().some((x) => x.id === id)) this.add(row);
      return row;
    } catch {
      return undefined; // gone: the select shows nothing chosen
    }
  }

  private show(): void {
    const ids = new Set(this.paged.map((x) => x.id));
    for (const id of ids) this.pinned.delete(id);
    this.items.set([...this.paged, ...this.pinned.values()]);
  }
}

/**
 * A PagedList kept current by the live stream: read now (and again at the
 * stream's head, see LiveEvents.follow), re-read (debounced) when an event of
 * one of `types` arrives. Call in an injection context (a component's fields);
 * it stops following when the component goes.
 */
export function livePagedList<T extends { id: string }>(query: PagedQuery, types: readonly string[]): PagedList<T> {
  const list = new PagedList<T>(inject(Api), query);
  const watched = new Set(types);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const off = inject(LiveEvents).follow(
    (e) => {
      if (!watched.has(e.type)) return;
      clearTimeout(timer);
      timer = setTimeout(() => list.refresh(), RELOAD_DEBOUNCE_MS);
    },
    () => void list.reload(),
  );
  inject(DestroyRef).onDestroy(() => {
    off();
    clearTimeout(timer);
  });
  return list;
}

/** A burst of events (an import) re-reads a list once. */
export const RELOAD_DEBOUNCE_MS = 50;

/** The events that change each catalog list. */
export const DATASET_EVENTS = ['DatasetAdded', 'DatasetImported', 'DatasetRemoved'] as const;
export const MODEL_EVENTS = ['ModelAdded', 'ModelRemoved'] as const;
export const ADAPTER_EVENTS = ['AdapterAdded', 'AdapterRemoved', 'JobAdapterRegistered'] as const;
export const PROMPT_EVENTS = ['PromptAdded', 'PromptImported', 'PromptRemoved', 'DatasetRemoved'] as const;
export const CONFIG_EVENTS = ['ConfigAdded', 'ConfigImported', 'ConfigRemoved'] as const;
