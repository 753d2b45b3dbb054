import { signal } from '@angular/core';
import { errorMessage } from '../core/api-error';

/**
 * A request sent again whenever its input changes, debounced: only the
 * newest answer is shown (an older one arriving late is dropped). Used by
 * the forms' live plans.
 */
export class LiveRequest<Req, Res> {
  readonly result = signal<Res | null>(null);
  readonly error = signal<string | null>(null);
  readonly loading = signal(false);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sequence = 0;

  constructor(
    private readonly send: (req: Req) => Promise<Res>,
    private readonly debounceMs: number,
  ) {}

  /** A new input (null: nothing to ask; the result is cleared). */
  set(req: Req | null): void {
    clearTimeout(this.timer);
    const mine = ++this.sequence;
    if (req === null) {
      this.result.set(null);
      this.error.set(null);
      this.loading.set(false);
      return;
    }
    this.loading.set(true);
    this.timer = setTimeout(async () => {
      try {
        const res = await this.send(req);
        if (mine !== this.sequence) return;
        this.result.set(res);
        this.error.set(null);
      } catch (e) {
        if (mine !== this.sequence) return;
        this.result.set(null);
        this.error.set(errorMessage(e));
      }
      this.loading.set(false);
    }, this.debounceMs);
  }
}
