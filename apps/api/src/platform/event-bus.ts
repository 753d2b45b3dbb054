import { Subject, type Observable } from 'rxjs';
import type { RecordedEvent } from '@fts/domain';

/** In-process publication of committed events (never before commit). Consumers: SSE, WatchEvents, the job supervisor. */
export class EventBus {
  private readonly subject = new Subject<RecordedEvent>();
  readonly events$: Observable<RecordedEvent> = this.subject.asObservable();

  publish(events: RecordedEvent[]): void {
    for (const e of events) this.subject.next(e);
  }
}
