/**
 * Holds this process's request writes while a long write runs on another
 * connection (an import in a worker thread holds SQLite's write lock for
 * seconds). Without it a write on the server's connection would wait for
 * that lock in SQLite's busy handler, which sleeps on the event loop's
 * thread and stalls every request. Requests that only read pass freely:
 * WAL readers never wait for the writer.
 */
export class WriteGate {
  private tail: Promise<void> = Promise.resolve();
  private holders = 0;

  /** True while an exclusive section runs or waits. */
  get closed(): boolean {
    return this.holders > 0;
  }

  /** Resolves once no exclusive section runs or waits. */
  async opened(): Promise<void> {
    while (this.holders > 0) await this.tail;
  }

  /** Runs `fn` once every earlier exclusive section has ended; the gate is closed meanwhile. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.holders++;
    const run = this.tail.then(fn);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run.finally(() => this.holders--);
  }
}
