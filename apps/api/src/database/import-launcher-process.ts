/**
 * The import launcher (see import-launcher.ts): a small process, started by
 * the server before it loads, that forks each import's child process on
 * request and hands the server that child's end of a socket pair. Ends, and
 * ends its children, when the server goes away (its IPC channel closes).
 *
 * argv[2]: the worker script to fork.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { LauncherAnswer, LauncherRequest } from './import-launcher.js';

const workerScript = process.argv[2];
const workers = new Set<ChildProcess>();
const answer = (m: LauncherAnswer, handle?: Socket) => {
  if (process.connected) process.send!(m, handle);
};

process.on('message', (m: LauncherRequest) => {
  const { spawn: id } = m;
  let worker: ChildProcess;
  try {
    // fd 4: the channel to the server (a socket pair); no IPC: the server talks to the worker directly.
    worker = spawn(process.execPath, [workerScript], { stdio: ['ignore', 'inherit', 'inherit', 'ignore', 'pipe'] });
  } catch (e) {
    answer({ failed: id, message: (e as Error).message });
    return;
  }
  workers.add(worker);
  let spawned = false;
  worker.once('spawn', () => {
    spawned = true;
    answer({ spawned: id }, worker.stdio[4] as Socket);
  });
  worker.once('error', (e) => {
    if (!spawned) answer({ failed: id, message: e.message });
  });
  worker.once('exit', (code, signal) => {
    workers.delete(worker);
    answer({ exited: id, code, signal });
  });
});

process.once('disconnect', () => {
  for (const w of workers) w.kill('SIGTERM');
  process.exit(0);
});
