/**
 * The lines of a followed job log. The log stream sends the tail as its first chunk
 * after every (re)connect, then new lines: the tail replaces what is held, so a
 * reconnect never shows a line twice; later chunks are appended, keeping the last `max`.
 */
export class LogBuffer {
  private lines: string[] = [];
  private expectTail = true;

  constructor(private readonly max: number) {}

  /** A new connection: its next chunk is the tail. */
  connected(): void {
    this.expectTail = true;
  }

  reset(): string[] {
    this.expectTail = true;
    this.lines = [];
    return this.lines;
  }

  /** Applies one chunk; returns the lines to show (a new array when they changed). */
  chunk(add: string[]): string[] {
    if (this.expectTail) {
      this.expectTail = false;
      this.lines = add.slice(-this.max);
    } else if (add.length) {
      const next = this.lines.concat(add);
      this.lines = next.length > this.max ? next.slice(-this.max) : next;
    }
    return this.lines;
  }
}
