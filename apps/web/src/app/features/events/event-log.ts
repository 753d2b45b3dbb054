import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Api } from '../../core/api';
import { errorMessage } from '../../core/api-error';
import { fmtDate, readableJson } from '../../core/format';
import { LiveEvents } from '../../core/live-events';
import { EventRecord } from '../../core/models';
import { NAMED_BY_ID, matchesStream, namesToFetch, streamLabel, streamNames } from './event-streams';

const KEEP = 1000;
/** Events per ListEvents page: the newest first, then older ones on request (keyset: before_position). */
const PAGE = 200;
/** Names read by id at once (GET /api/<kind>s/:id). */
const NAME_READS = 6;

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
   * Entity id → name, read by id for the shown streams whose events carry none
   * (not the whole catalog: on a big project that is tens of thousands of rows).
   */
  private readonly fetched = signal(new Map<string, string>());
  private readonly asked = new Set<string>();
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
    return streamLabel(e, this.names(), (id) => this.fetched().get(id) ?? id);
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
    // follow: the newest page read now, and again at the stream's head (merged by position), so an event
    // committed between the read and the stream's start is shown; after the head the stream brings each one.
    const off = live.follow(
      (e) => {
        const list = this.events();
        if (list.length && list[0].position >= e.position) return;
        this.events.set([e, ...list].slice(0, Math.max(KEEP, list.length)));
        void this.resolveNames();
      },
      () => void this.load(),
    );
    inject(DestroyRef).onDestroy(off);
  }

  private async load(): Promise<void> {
    try {
      // The newest page, read newest first (one bounded ListEvents call); live events are prepended as they come.
      const r = await this.api.get<{ events: EventRecord[]; last_position: number }>('/events', { order: 'desc', limit: PAGE });
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
    void this.resolveNames();
  }

  /** Reads the names of the shown entities the events do not name, a few at a time; one that cannot be read keeps its short id. */
  private async resolveNames(): Promise<void> {
    const todo = namesToFetch(this.events(), this.names(), this.asked);
    for (const t of todo) this.asked.add(t.id);
    for (let i = 0; i < todo.length; i += NAME_READS) {
      const got = await Promise.all(
        todo.slice(i, i + NAME_READS).map(async ({ kind, id }) => {
          try {
            const r = await this.api.get<Record<string, { name?: string } | undefined>>(`/${NAMED_BY_ID[kind]}/${encodeURIComponent(id)}`);
            const name = r[kind]?.name;
            return name ? ([id, name] as const) : null;
          } catch {
            return null; // gone since (or never readable): the short id stays
          }
        }),
      );
      const found = got.filter((x): x is readonly [string, string] => !!x);
      if (found.length) this.fetched.set(new Map([...this.fetched(), ...found]));
    }
  }

  toggle(p: number): void {
    const s = new Set(this.open());
    if (s.has(p)) s.delete(p); else s.add(p);
    this.open.set(s);
  }
}
