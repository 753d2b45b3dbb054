/** Stands in for the browser's EventSource in specs: records every one opened; the test plays the server's side. */
export class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((m: MessageEvent) => void) | null = null;
  private readonly named = new Map<string, (m: MessageEvent) => void>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, fn: (m: MessageEvent) => void) {
    this.named.set(type, fn);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  serverOpens() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  serverSendsHead(position: number) {
    this.named.get('head')?.({ type: 'head', data: JSON.stringify({ position }) } as MessageEvent);
  }
  serverSends(type: string, position: number) {
    this.named.get(type)?.({ type, data: JSON.stringify({ position, type, stream_id: 's', data: {} }) } as MessageEvent);
  }
  /** The stream ended or the server cannot be reached. */
  drops() {
    this.readyState = FakeEventSource.CONNECTING;
    this.onerror?.();
  }
}
