import { TestBed } from '@angular/core/testing';
import { FakeEventSource } from '../../testing/fake-event-source';
import { HEAD_WAIT_MS, LiveEvents, RECONNECT_FIRST_MS, RECONNECT_MAX_MS, reconnectDelay } from './live-events';

describe('LiveEvents', () => {
  const real = (globalThis as { EventSource?: unknown }).EventSource;
  beforeEach(() => {
    FakeEventSource.opened = [];
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    (globalThis as { EventSource?: unknown }).EventSource = real;
  });

  it('goes Offline when the stream drops, reconnects with backoff after the last position, and is Live again', () => {
    const live = TestBed.inject(LiveEvents);
    const seen: number[] = [];
    live.subscribe((e) => seen.push(e.position));
    const first = FakeEventSource.opened[0];
    expect(first.url).toBe('/api/events/stream?from=head');
    first.serverOpens();
    expect(live.connected()).toBe(true);
    first.serverSends('PromptAdded', 41);
    first.serverSends('PromptAdded', 42);

    first.drops(); // SIGTERM on the server
    expect(live.connected()).toBe(false);
    expect(first.readyState).toBe(FakeEventSource.CLOSED);

    // Server still down: each attempt waits longer.
    vi.advanceTimersByTime(RECONNECT_FIRST_MS * 1.2);
    expect(FakeEventSource.opened).toHaveLength(2);
    FakeEventSource.opened[1].drops();
    vi.advanceTimersByTime(RECONNECT_FIRST_MS * 1.2);
    expect(FakeEventSource.opened).toHaveLength(2);
    vi.advanceTimersByTime(RECONNECT_FIRST_MS * 1.2);
    expect(FakeEventSource.opened).toHaveLength(3);

    // Back: resumes after position 42, Live again, new events reach the listeners.
    const third = FakeEventSource.opened[2];
    expect(third.url).toBe('/api/events/stream?after_position=42');
    third.serverOpens();
    expect(live.connected()).toBe(true);
    third.serverSends('DatasetAdded', 43);
    expect(seen).toEqual([41, 42, 43]);
    live.ngOnDestroy();
  });

  it('opens from the head: no listener sees the head frame, and a drop before any event resumes after the head', () => {
    const live = TestBed.inject(LiveEvents);
    const seen: number[] = [];
    live.subscribe((e) => seen.push(e.position));
    const first = FakeEventSource.opened[0];
    expect(first.url).toBe('/api/events/stream?from=head');
    first.serverOpens();
    first.serverSendsHead(1_000_000);
    expect(live.lastPosition()).toBe(1_000_000);
    expect(seen).toEqual([]);

    first.drops();
    vi.advanceTimersByTime(RECONNECT_FIRST_MS * 1.2);
    const second = FakeEventSource.opened[1];
    expect(second.url).toBe('/api/events/stream?after_position=1000000');
    second.serverOpens();
    second.serverSends('PromptAdded', 1_000_001);
    expect(seen).toEqual([1_000_001]);
    live.ngOnDestroy();
  });

  it('follow: reads once at the head when the head comes soon; a store that starts after the head reads at once', () => {
    vi.useFakeTimers();
    const live = TestBed.inject(LiveEvents);
    const loads: string[] = [];
    const seen: number[] = [];
    live.follow((e) => seen.push(e.position), () => loads.push('jobs'));
    expect(loads).toEqual([]); // the head is still to come: a read now might miss an event before it
    const first = FakeEventSource.opened[0];
    first.serverOpens();
    vi.advanceTimersByTime(HEAD_WAIT_MS / 2);
    expect(loads).toEqual([]);
    first.serverSendsHead(500);
    expect(loads).toEqual(['jobs']); // one read, at the head
    vi.advanceTimersByTime(HEAD_WAIT_MS);
    expect(loads).toEqual(['jobs']);
    first.serverSends('FineTuningJobAdded', 501);
    expect(seen).toEqual([501]);
    live.follow(() => undefined, () => loads.push('evaluations'));
    expect(loads).toEqual(['jobs', 'evaluations']);
    live.ngOnDestroy();
    vi.useRealTimers();
  });

  it('follow: a slow head does not hold the page: it reads after HEAD_WAIT_MS, and again at the head', () => {
    vi.useFakeTimers();
    const live = TestBed.inject(LiveEvents);
    let loads = 0;
    live.follow(() => undefined, () => loads++);
    vi.advanceTimersByTime(HEAD_WAIT_MS);
    expect(loads).toBe(1);
    FakeEventSource.opened[0].serverOpens();
    FakeEventSource.opened[0].serverSendsHead(7);
    expect(loads).toBe(2); // the early read may have missed an event before the head
    live.ngOnDestroy();
    vi.useRealTimers();
  });

  it('follow: a store left before the head frame reads nothing', () => {
    vi.useFakeTimers();
    const live = TestBed.inject(LiveEvents);
    let loads = 0;
    const off = live.follow(() => undefined, () => loads++);
    off();
    vi.advanceTimersByTime(HEAD_WAIT_MS);
    FakeEventSource.opened[0].serverOpens();
    FakeEventSource.opened[0].serverSendsHead(7);
    expect(loads).toBe(0);
    live.ngOnDestroy();
    vi.useRealTimers();
  });

  it('backs off from the first delay, doubling up to the cap, with jitter', () => {
    expect(reconnectDelay(0, () => 0.5)).toBe(RECONNECT_FIRST_MS);
    expect(reconnectDelay(1, () => 0.5)).toBe(RECONNECT_FIRST_MS * 2);
    expect(reconnectDelay(20, () => 0.5)).toBe(RECONNECT_MAX_MS);
    expect(reconnectDelay(0, () => 0)).toBe(RECONNECT_FIRST_MS * 0.8);
    expect(reconnectDelay(0, () => 1)).toBe(RECONNECT_FIRST_MS * 1.2);
  });
});
