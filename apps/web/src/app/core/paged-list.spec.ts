import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import DatasetList from '../features/datasets/dataset-list';
import { Api } from './api';
import { LiveEvents } from './live-events';
import { PagedList } from './paged-list';
import { FakeEventSource } from '../../testing/fake-event-source';

type Row = { id: string; name: string };
const rows = (from: number, n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: `r${from + i}`, name: `row ${from + i}` }));
const settle = () => new Promise((r) => setTimeout(r));

describe('PagedList', () => {
  let http: HttpTestingController;
  let list: PagedList<Row>;
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    list = new PagedList<Row>(TestBed.inject(Api), { path: '/datasets', key: 'datasets', pageSize: 2 });
  });
  afterEach(() => http.verify());

  it('reads a page, the next on demand, and re-reads as many rows as are shown', async () => {
    const first = list.reload();
    http.expectOne('/api/datasets?page_size=2').flush({ datasets: rows(0, 2), next_page_token: 't2' });
    await first;
    expect(list.items().map((r) => r.id)).toEqual(['r0', 'r1']);
    expect(list.hasMore()).toBe(true);
    const more = list.more();
    http.expectOne('/api/datasets?page_size=2&page_token=t2').flush({ datasets: rows(2, 1), next_page_token: '' });
    await more;
    expect(list.items().map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
    expect(list.hasMore()).toBe(false);
    const again = list.reload();
    http.expectOne('/api/datasets?page_size=3').flush({ datasets: rows(0, 3), next_page_token: '' });
    await again;
    expect(list.items()).toHaveLength(3);
  });

  it('keeps a row the page added, and one read by id, until a page brings them', async () => {
    const first = list.reload();
    http.expectOne('/api/datasets?page_size=2').flush({ datasets: rows(0, 2), next_page_token: 't2' });
    await first;
    list.add({ id: 'new', name: 'just added' });
    const chosen = list.ensure('r7', 'dataset');
    http.expectOne('/api/datasets/r7').flush({ dataset: { id: 'r7', name: 'row 7' } });
    await chosen;
    expect(list.items().map((r) => r.id)).toEqual(['r0', 'r1', 'new', 'r7']);
    const again = list.reload();
    http.expectOne('/api/datasets?page_size=2').flush({ datasets: [...rows(0, 1), { id: 'new', name: 'just added' }], next_page_token: 't2' });
    await again;
    expect(list.items().map((r) => r.id)).toEqual(['r0', 'new', 'r7']);
  });

  it('coalesces re-reads for changes that come while one is in flight', async () => {
    list.refresh();
    list.refresh();
    list.refresh();
    http.expectOne('/api/datasets?page_size=2').flush({ datasets: rows(0, 1) });
    await settle();
    http.expectOne('/api/datasets?page_size=2').flush({ datasets: rows(0, 2) });
    await settle();
    http.expectNone('/api/datasets?page_size=2');
    expect(list.items()).toHaveLength(2);
  });

  it('reads nothing while a filter is unchosen, and drops an answer to an older filter', async () => {
    const prompts = new PagedList<Row>(TestBed.inject(Api), { path: '/prompts', key: 'prompts', pageSize: 10, params: { dataset_id: '' } });
    await prompts.reload();
    expect(prompts.loaded()).toBe(true);
    expect(prompts.items()).toEqual([]);
    void prompts.setParams({ dataset_id: 'a' });
    const b = prompts.setParams({ dataset_id: 'b' });
    http.expectOne('/api/prompts?dataset_id=b&page_size=10').flush({ prompts: rows(20, 1) });
    http.expectOne('/api/prompts?dataset_id=a&page_size=10').flush({ prompts: rows(10, 1) });
    await b;
    await settle();
    expect(prompts.items().map((r) => r.id)).toEqual(['r20']);
  });
});

describe('a list page and the live stream', () => {
  const real = (globalThis as { EventSource?: unknown }).EventSource;
  beforeEach(() => {
    FakeEventSource.opened = [];
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
  });
  afterEach(() => {
    TestBed.inject(LiveEvents).ngOnDestroy();
    (globalThis as { EventSource?: unknown }).EventSource = real;
  });

  it('reads its page once, at the head frame, and again on a change the stream reports', async () => {
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(DatasetList);
    fixture.detectChanges();
    // Not before the stream's head: a dataset added in between would be neither in the page nor streamed.
    http.expectNone('/api/datasets?page_size=100');
    const stream = FakeEventSource.opened[0];
    expect(stream.url).toBe('/api/events/stream?from=head');
    stream.serverSendsHead(41);
    http.expectOne('/api/datasets?page_size=100').flush({ datasets: rows(0, 2) });
    await settle();
    fixture.detectChanges();
    expect(fixture.nativeElement.querySelectorAll('[data-testid=datasets-table] tbody tr').length).toBe(2);
    // After the head, the stream carries the changes.
    vi.useFakeTimers();
    TestBed.inject(LiveEvents).dispatch({ position: 42, type: 'DatasetAdded', stream_id: 'dataset-r2', stream_type: 'dataset', stream_version: 1, data: {}, metadata: {}, recorded_at: '' });
    vi.advanceTimersByTime(100);
    vi.useRealTimers();
    http.expectOne('/api/datasets?page_size=100').flush({ datasets: rows(0, 3) });
    await settle();
    fixture.detectChanges();
    expect(fixture.nativeElement.querySelectorAll('[data-testid=datasets-table] tbody tr').length).toBe(3);
    http.verify();
  });
});
