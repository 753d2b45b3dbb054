import { DomainError, type ErrorKind, type ImportReport } from '@fts/domain';
import type { CallContext } from '../platform/command-runner.js';
import type { EventBus } from '../platform/event-bus.js';
import type { WriteGate } from '../platform/transport/write-gate.js';
import type { ImportSource } from './database-transfer.js';
import type { EncodedImport } from './import-request.js';
import type { ImportJob, ImportWorkerMessage } from './import-worker.js';
import { ChannelReader, sendFrame } from './import-channel.js';
import { importLauncher, type ImportLauncher } from './import-launcher.js';

/** How long a worker whose channel closed without an answer is given to report how it exited. */
const EXIT_REPORT_MS = 2000;

/**
 * Runs an import in a child process (import-worker.ts; not a worker thread:
 * better-sqlite3 can crash the whole process when a worker thread that used
 * it exits, WiseLibs/better-sqlite3#1476) so that parsing and
 * writing 100k rows never stalls the server's event loop. The child is
 * forked by the import launcher (import-launcher.ts), never by the server
 * itself. The write gate is closed meanwhile: this process's request writes
 * wait for the import instead of blocking the loop on SQLite's write lock.
 * The import's events are published on the bus after its commit, a piece at
 * a time.
 *
 * An encoded import (the request's bytes, import-request.ts) follows the job
 * on the child's channel, written from the buffers the server already holds:
 * nothing of it is decoded, copied or serialized on the event loop.
 */
export async function importOffThread(
  job: Omit<ImportJob, 'source' | 'encoded' | 'byteLength' | 'call'>,
  input: ImportSource | EncodedImport,
  call: CallContext,
  gate: WriteGate,
  bus: EventBus,
  launcher: ImportLauncher = importLauncher(),
): Promise<ImportReport> {
  return gate.exclusive(async () => {
    // Writes already past the gate finish within a turn or two of the loop.
    await new Promise((resolve) => setImmediate(resolve));
    const { socket, exited } = await launcher.spawn();
    socket.on('error', () => undefined); // a child that died: the closed channel answers the call
    const reader = new ChannelReader(socket);
    try {
      if (isEncoded(input)) {
        const chunks = input.kind === 'http' ? input.chunks : [input.bytes];
        const byteLength = chunks.reduce((n, c) => n + c.length, 0);
        const encoded = input.kind === 'http' ? { kind: 'http' as const, charset: input.charset, url: input.url } : { kind: 'grpc' as const };
        void sendFrame(socket, { ...job, encoded, byteLength, call } satisfies ImportJob).catch(() => undefined);
        for (const chunk of chunks) socket.write(chunk);
      } else void sendFrame(socket, { ...job, source: input, call } satisfies ImportJob).catch(() => undefined);
      for (;;) {
        let m: ImportWorkerMessage;
        try {
          m = (await reader.frame()) as ImportWorkerMessage;
        } catch {
          const exit = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), EXIT_REPORT_MS).unref())]);
          throw new Error(`the import process exited (${exit ? (exit.signal ?? exit.code) : 'unknown'}) without an answer`);
        }
        if ('events' in m) {
          bus.publish(m.events);
          void sendFrame(socket, 'more').catch(() => undefined);
        } else if ('report' in m) return m.report as ImportReport;
        else {
          throw m.error.domain ? new DomainError(m.error.domain.kind as ErrorKind, m.error.domain.code, m.error.message) : Object.assign(new Error(m.error.message), { code: m.error.code });
        }
      }
    } finally {
      socket.destroy();
    }
  });
}

const isEncoded = (input: ImportSource | EncodedImport): input is EncodedImport => 'kind' in input;
