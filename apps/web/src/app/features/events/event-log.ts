import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Api } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { EntityNames } from '../../core/entity-names';
import { fmtDate, readableJson } from '../../core/format';
import { LiveEvents } from '../../core/live-events';
import { EventRecord } from '../../core/models';
import { NAMED_BY_ID, matchesStream, namesToFetch, streamLabel, streamNames } from './event-streams';

const KEEP = 1000;
/** Events per ListEvents page: the newest first, then older ones on request (keyset: before_position). */
const PAGE = 200;

@Component({
  selector: 'app-event-log',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Event log</h1>
    <p class="caption">Every change, in order. New events appear at the top as they are recorded.</p>
    <div class="row" style="margin-bottom:8px">
      <input placeholder="Event type contains…" [ngModel]="type()" (ngModelChange)="type.set($event)" aria-label="Filter by type" />
      <input placeholder="Stream or entity id" [ngModel]="stream()" (ngModelChange)="stream.set($event)" aria-label="Filter by stream" size="40" />
      @if (stream()) { <button type="button" class="secondary" (click)="stream.set('')">Show all streams</button> }
      <select [ngModel]="streamType()" (ngModelChange)="streamType.set($event)" aria-label="Stream type">
        <option value="">all streams</option>
        @for (t of streamTypes(); track t) { <option [value]="t">{{ t }}</option> }
      </select>
      <span class="muted">{{ visible().length }} shown</span>
    </div>
    @if (error(); as e) { <p class="error">{{ e }}</p> }
    <table data-testid="event-table">
      <thead><tr><th>#</th><th>Type</th><th>Stream</th><th>Recorded</th><th>Actor / transport</th></tr></thead>
      <tbody>
        @for (e of visible(); track e.position) {
          <tr class="ev" (click)="toggle(e.position)" [attr.data-type]="e.type">
            <td class="mono">{{ e.position }}</td><td><strong>{{ e.type }}</strong></td>
            @let s = label(e);
            <td data-testid="stream-cell">
              <button type="button" class="link" (click)="filterTo(e, $event)" [title]="'Show only the events of ' + s.kind + ' ' + s.name">{{ s.kind }} <strong>{{ s.name }}</strong></button>
              <span class="muted"> v{{ e.stream_version }}</span><br />
              <span class="mono muted" data-testid="stream-id">{{ s.id }}</span>
              <button type="button" class="secondary copy" (click)="copy(s.id, $event)" [attr.aria-label]="'Copy id ' + s.id">{{ copied() === s.id ? 'copied' : 'copy' }}</button>
            </td>
            <td class="muted">{{ date(e.recorded_at) }}</td>
            <td class="muted">{{ e.metadata['actor'] ?? '' }} {{ e.metadata['transport'] ?? '' }}</td>
          </tr>
          @if (open().has(e.position)) {
            <tr><td colspan="5"><pre>{{ json({ data: e.data, metadata: e.metadata }) }}</pre></td></tr>
          }
        } @empty { <tr><td colspan="5" class="muted">No events match.</td></tr> }
      </tbody>
    </table>
    @if (more()) { <p><button type="button" class="secondary" (click)="older()" data-testid="older-events">Show older events</button></p> }
  `,
  styles: `.ev { cursor: pointer; } .ev:hover { background: #f5f9ff; }
    .link { background: none; border: none; color: var(--primary); padding: 0; text-align: left; }
    .link:hover { text-decoration: underline; }`,
})
export default class EventLog {
  private readonly api = inject(Api);
  protected readonly copied = signal<string | null>(null);
  protected readonly json = readableJson;
  private readonly names = computed(() => streamNames(this.events()));
  /**
   * Names read by id for the shown streams whose events carry none, one request per kind
   * (not the whole catalog: on a big project that is tens of thousands of rows).
   */
  private readonly entityNames = inject(EntityNames);
  private readonly asked = new Set<string>();
  /** The newest position a read of the newest page saw (the log's end when it was read). */
  private newestRead = 0;
  protected readonly events = signal<EventRecord[]>([]);
  protected readonly type = signal('');
  protected readonly stream = signal('');
  protected readonly streamType = signal('');
  protected readonly open = signal(new Set<number>());
  protected readonly error = signal<string | null>(null);
  protected readonly more = signal(false);
  protected readonly date = fmtDate;
  protected readonly streamTypes = computed(() => [...new Set(this.events().map((e) => e.stream_type))].sort());
  protected readonly visible = computed(() => {
    const t = this.type().toLowerCase(), s = this.stream().trim(), st = this.streamType();
    return this.events().filter((e) => (!t || e.type.toLowerCase().includes(t)) && matchesStream(e, s) && (!st || e.stream_type === st));
  });

  protected label(e: EventRecord) {
    return streamLabel(e, this.names(), this.entityNames.of);
  }
  protected filterTo(e: EventRecord, ev: Event): void {
    ev.stopPropagation();
    this.stream.set(e.stream_id);
  }
  protected async copy(id: string, ev: Event): Promise<void> {
    ev.stopPropagation();
    try {
      await navigator.clipboard.writeText(id);
    } catch {
      // No clipboard (plain http on another host): select the id so Ctrl+C copies it.
      const el = (ev.target as HTMLElement).previousElementSibling;
      if (el) window.getSelection()?.selectAllChildren(el);
    }
    this.copied.set(id);
    setTimeout(() => this.copied.set(null), 1500);
  }

  constructor() {
    const live = inject(LiveEvents);
    // follow: the newest page read now, and again at the stream's head (merged by position) if an event may
    // have been committed between the read and the stream's start; after the head the stream brings each one.
    let first: Promise<void> | undefined;
    const off = live.follow(
      (e) => {
        const list = this.events();
        if (list.length && list[0].position >= e.position) return;
        this.events.set([e, ...list].slice(0, Math.max(KEEP, list.length)));
        this.resolveNames();
      },
      () => {
        if (!first) {
          first = this.load();
          return;
        }
        const head = live.lastPosition();
        void first.then(() => (this.newestRead < head ? this.load() : undefined));
      },
    );
    inject(DestroyRef).onDestroy(off);
  }

  private async load(): Promise<void> {
    try {
      // The newest page, read newest first (one bounded ListEvents call); live events are prepended as they come.
      const r = await this.api.get<{ events: EventRecord[]; last_position: number }>('/events', { order: 'desc', limit: PAGE });
      this.newestRead = Math.max(this.newestRead, r.events?.[0]?.position ?? 0);
      this.merge(r.events ?? []);
      this.more.set((r.events?.length ?? 0) === PAGE);
    } catch (e) {
      this.error.set(errorMessage(e));
    }
  }

  /** The page before the oldest event shown. */
  protected async older(): Promise<void> {
    const oldest = this.events().at(-1)?.position;
    if (!oldest) return;
    try {
      const r = await this.api.get<{ events: EventRecord[]; last_position: number }>('/events', { order: 'desc', limit: PAGE, before_position: oldest });
      this.merge(r.events ?? []);
      this.more.set((r.events?.length ?? 0) === PAGE);
    } catch (e) {
      this.error.set(errorMessage(e));
    }
  }

  private merge(page: EventRecord[]): void {
    const known = new Set(this.events().map((e) => e.position));
    this.events.set([...this.events(), ...page.filter((e) => !known.has(e.position))].sort((a, b) => b.position - a.position));
    this.resolveNames();
  }

  /** Asks for the names of the shown entities the events do not name; one that cannot be read keeps its short id. */
  private resolveNames(): void {
    for (const { kind, id } of namesToFetch(this.events(), this.names(), this.asked)) {
      this.asked.add(id);
      this.entityNames.name(NAMED_BY_ID[kind], id);
    }
  }

  toggle(p: number): void {
    const s = new Set(this.open());
    if (s.has(p)) s.delete(p); else s.add(p);
    this.open.set(s);
  }
}
