import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * Starts each import's child process (import-worker.ts) from a small
 * launcher process (import-launcher-process.ts) instead of from the server.
 * fork() copies the forking process's page tables and marks all its memory
 * copy-on-write: from a server of 250-300 MB that is 10-25 ms on the event
 * loop, and then a page fault on the first write to every page afterwards
 * (the next major GC touches the whole heap: stalls of 50-80 ms were seen
 * right after an import's fork under the bench's load). The launcher is
 * started while the server's modules evaluate (start-import-launcher.ts,
 * imported by main.ts before Nest), when the server is small, and forks
 * workers from its own ~40 MB.
 *
 * A worker talks to the server over a socket pair: its fd 4, whose other
 * end the launcher sends to the server with the answer to `spawn` (handle
 * passing over IPC); the launcher then reports the worker's exit.
 */
export type LauncherRequest = { spawn: number };
export type LauncherAnswer =
  | { spawned: number }
  | { failed: number; message: string }
  | { exited: number; code: number | null; signal: NodeJS.Signals | null };

/** A worker as the server sees it: its channel, and its exit (code, signal). */
export interface LaunchedWorker {
  socket: Socket;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export class ImportLauncher {
  private proc: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (w: LaunchedWorker) => void; reject: (e: Error) => void }>();
  private readonly exits = new Map<number, (exit: { code: number | null; signal: NodeJS.Signals | null }) => void>();

  constructor(
    private readonly launcherScript = here('./import-launcher-process.js'),
    private readonly workerScript = here('./import-worker.js'),
  ) {}

  /** Starts the launcher process if it is not running (again after it died). */
  start(): void {
    if (this.proc) return;
    const proc = fork(this.launcherScript, [this.workerScript], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc = proc;
    // Neither the process nor its channel keeps the server running: at shutdown the server exits,
    // the channel closes, and the launcher ends its workers and itself.
    proc.unref();
    proc.channel?.unref();
    proc.on('message', (m: LauncherAnswer, handle?: Socket) => this.answered(m, handle));
    const gone = (why: string) => {
      if (this.proc !== proc) return;
      this.proc = undefined;
      for (const [id, p] of this.pending) p.reject(new Error(`the import launcher ${why}`)), this.pending.delete(id);
      // Workers of a dead launcher have no one to report their exit.
      for (const [id, done] of this.exits) done({ code: null, signal: null }), this.exits.delete(id);
    };
    proc.once('error', (e) => gone(`failed: ${e.message}`));
    proc.once('exit', (code, signal) => gone(`exited (${signal ?? code})`));
  }

  /** A new worker, forked by the launcher; its socket is the server's end of the worker's channel. */
  spawn(): Promise<LaunchedWorker> {
    this.start();
    const id = this.nextId++;
    const proc = this.proc!;
    // Held while a spawn is answered (a process with nothing else to do would exit first).
    proc.channel?.ref();
    return new Promise<LaunchedWorker>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      proc.send({ spawn: id } satisfies LauncherRequest, (e) => {
        if (e && this.pending.delete(id)) reject(e);
      });
    }).finally(() => {
      if (this.pending.size === 0) proc.channel?.unref();
    });
  }

  /** Ends the launcher (and, through it, its workers). */
  stop(): void {
    this.proc?.kill();
  }

  /** The launcher's pid, while it runs. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  private answered(m: LauncherAnswer, handle?: Socket) {
    if ('spawned' in m) {
      const p = this.pending.get(m.spawned);
      this.pending.delete(m.spawned);
      if (!p) return handle?.destroy();
      if (!handle) return p.reject(new Error('the import launcher sent no channel'));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => this.exits.set(m.spawned, resolve));
      p.resolve({ socket: handle, exited });
    } else if ('failed' in m) {
      this.pending.get(m.failed)?.reject(new Error(`the import process could not start: ${m.message}`));
      this.pending.delete(m.failed);
    } else {
      this.exits.get(m.exited)?.({ code: m.code, signal: m.signal });
      this.exits.delete(m.exited);
    }
  }
}

let shared: ImportLauncher | undefined;

/** The server's launcher (started by start-import-launcher.ts, or on first use). */
export function importLauncher(): ImportLauncher {
  return (shared ??= new ImportLauncher());
}
