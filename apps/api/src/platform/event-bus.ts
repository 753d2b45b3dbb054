import { Subject, type Observable } from 'rxjs';
import type { RecordedEvent } from '@fts/domain';

/** In-process publication of committed events (never before commit). Consumers: SSE, WatchEvents, the job supervisor. */
export class EventBus {
  private readonly subject = new Subject<RecordedEvent>();
  private readonly closing = new Subject<void>();
  private isClosed = false;
  readonly events$: Observable<RecordedEvent> = this.subject.asObservable();
  /** Emits once when the server starts shutting down: every open stream ends then. */
  readonly closing$: Observable<void> = this.closing.asObservable();

  publish(events: RecordedEvent[]): void {
    for (const e of events) this.subject.next(e);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Ends every stream that follows the bus (shutdown). */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closing.next();
    this.closing.complete();
  }
}
