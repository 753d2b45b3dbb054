import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DomainError, type ErrorKind, type ImportReport } from '@fts/domain';
import type { CallContext } from '../platform/command-runner.js';
import type { EventBus } from '../platform/event-bus.js';
import type { WriteGate } from '../platform/transport/write-gate.js';
import type { ImportSource } from './database-transfer.js';
import type { ImportJob, ImportWorkerMessage } from './import-worker.js';

/**
 * Runs an import in a child process (import-worker.ts; not a worker thread:
 * better-sqlite3 can crash the whole process when a worker thread that used
 * it exits, WiseLibs/better-sqlite3#1476) so that parsing and
 * writing 100k rows never stalls the server's event loop. The write gate is
 * closed meanwhile: this process's request writes wait for the import
 * instead of blocking the loop on SQLite's write lock. The import's events
 * are published on the bus after its commit, a piece at a time.
 */
export async function importOffThread(
  job: Omit<ImportJob, 'source' | 'call'>,
  source: ImportSource,
  call: CallContext,
  gate: WriteGate,
  bus: EventBus,
): Promise<ImportReport> {
  return gate.exclusive(async () => {
    // Writes already past the gate finish within a turn or two of the loop.
    await new Promise((resolve) => setImmediate(resolve));
    const worker = fork(fileURLToPath(new URL('./import-worker.js', import.meta.url)), [], {
      serialization: 'advanced',
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    worker.send({ ...job, source, call } satisfies ImportJob);
    return new Promise<ImportReport>((resolve, reject) => {
      let settled = false;
      worker.on('message', (message) => {
        const m = message as ImportWorkerMessage;
        if ('events' in m) {
          bus.publish(m.events);
          worker.send('more');
        }
        else if ('report' in m) ((settled = true), resolve(m.report as ImportReport));
        else {
          settled = true;
          const e = m.error.domain ? new DomainError(m.error.domain.kind as ErrorKind, m.error.domain.code, m.error.message) : Object.assign(new Error(m.error.message), { code: m.error.code });
          reject(e);
        }
      });
      worker.once('error', (e) => ((settled = true), reject(e)));
      worker.once('exit', (code, signal) => {
        if (!settled) reject(new Error(`the import process exited (${signal ?? code}) without an answer`));
      });
    });
  });
}
