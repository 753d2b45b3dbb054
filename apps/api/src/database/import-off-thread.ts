import { fork } from 'node:child_process';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DomainError, type ErrorKind, type ImportReport } from '@fts/domain';
import type { CallContext } from '../platform/command-runner.js';
import type { EventBus } from '../platform/event-bus.js';
import type { WriteGate } from '../platform/transport/write-gate.js';
import type { ImportSource } from './database-transfer.js';
import type { EncodedImport } from './import-request.js';
import type { ImportJob, ImportWorkerMessage } from './import-worker.js';

/**
 * Runs an import in a child process (import-worker.ts; not a worker thread:
 * better-sqlite3 can crash the whole process when a worker thread that used
 * it exits, WiseLibs/better-sqlite3#1476) so that parsing and
 * writing 100k rows never stalls the server's event loop. The write gate is
 * closed meanwhile: this process's request writes wait for the import
 * instead of blocking the loop on SQLite's write lock. The import's events
 * are published on the bus after its commit, a piece at a time.
 *
 * An encoded import (the request's bytes, import-request.ts) goes to the
 * child on a pipe of its own, written from the buffers the server already
 * holds: nothing of it is decoded, copied or serialized on the event loop.
 */
export async function importOffThread(
  job: Omit<ImportJob, 'source' | 'encoded' | 'call'>,
  input: ImportSource | EncodedImport,
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
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'],
    });
    const bytes = worker.stdio[4] as Writable;
    bytes.on('error', () => undefined); // a child that died early: its exit answers the call
    if (isEncoded(input)) {
      worker.send({ ...job, encoded: input.kind === 'http' ? { kind: 'http', charset: input.charset, url: input.url } : { kind: 'grpc' }, call } satisfies ImportJob);
      for (const chunk of input.kind === 'http' ? input.chunks : [input.bytes]) bytes.write(chunk);
    } else worker.send({ ...job, source: input, call } satisfies ImportJob);
    bytes.end();
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

const isEncoded = (input: ImportSource | EncodedImport): input is EncodedImport => 'kind' in input;
