import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { HEAD_WAIT_MS, LiveEvents } from '../../core/live-events';
import { EventRecord } from '../../core/models';
import EventLog from './event-log';
import { FakeEventSource } from '../../../testing/fake-event-source';

const settle = () => new Promise((r) => setTimeout(r));
const P1 = 'aaaaaaaa-1111-4111-8111-111111111111';
const P2 = 'bbbbbbbb-2222-4222-8222-222222222222';
const ev = (position: number, type: string, stream_type: string, id: string, data: Record<string, unknown> = { id }): EventRecord => ({
  position, type, stream_id: `${stream_type}-${id}`, stream_type, stream_version: 1, data, metadata: {}, recorded_at: '2026-01-01T00:00:00Z',
});

describe('EventLog', () => {
  const real = (globalThis as { EventSource?: unknown }).EventSource;
  let http: HttpTestingController;
  beforeEach(() => {
    FakeEventSource.opened = [];
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => {
    http.verify();
    TestBed.inject(LiveEvents).ngOnDestroy();
    (globalThis as { EventSource?: unknown }).EventSource = real;
  });

  /** The page, its first read answered with `newest`: made before the head frame (the head is slow to come). */
  async function open(newest: EventRecord[]) {
    const fixture = TestBed.createComponent(EventLog);
    fixture.detectChanges();
    http.expectNone('/api/events?order=desc&limit=200');
    await new Promise((r) => setTimeout(r, HEAD_WAIT_MS + 20));
    http.expectOne('/api/events?order=desc&limit=200').flush({ events: newest, last_position: newest.at(-1)?.position ?? 0 });
    await settle();
    return fixture;
  }

  it('does not read the newest page again at the head when the early read already reached it; names the unnamed streams in one request per kind', async () => {
    const fixture = await open([ev(41, 'PromptTemplateChanged', 'prompt', P2), ev(40, 'PromptTemplateChanged', 'prompt', P1), ev(39, 'DatasetAdded', 'dataset', P1, { row: { id: P1, name: 'tickets' } })]);
    FakeEventSource.opened[0].serverSendsHead(41);
    await settle();
    http.expectNone('/api/events?order=desc&limit=200');
    const names = http.expectOne((r) => r.url === '/api/prompts');
    expect(names.request.params.get('ids')).toBe(`${P2},${P1}`);
    names.flush({ prompts: [{ id: P1, name: 'Intent prompt' }] });
    await settle();
    fixture.detectChanges();
    const cells = [...fixture.nativeElement.querySelectorAll('[data-testid=stream-cell] strong')].map((x) => (x as HTMLElement).textContent);
    expect(cells).toEqual(['bbbbbbbb', 'Intent prompt', 'tickets']);
  });

  it('reads it again when the head is past what the first read saw', async () => {
    const fixture = await open([ev(40, 'DatasetAdded', 'dataset', P1, { row: { id: P1, name: 'tickets' } })]);
    FakeEventSource.opened[0].serverSendsHead(41);
    await settle();
    http.expectOne('/api/events?order=desc&limit=200').flush({ events: [ev(41, 'DatasetAdded', 'dataset', P2, { row: { id: P2, name: 'reviews' } })], last_position: 41 });
    await settle();
    fixture.detectChanges();
    expect(fixture.nativeElement.querySelectorAll('[data-testid=event-table] tr.ev').length).toBe(2);
  });
});
