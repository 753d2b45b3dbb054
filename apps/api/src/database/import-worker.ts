/**
 * ImportDatabase off the server's event loop (see import-off-thread.ts): a
 * child process with a connection of its own reads, validates and imports the
 * document as one command, in one SQLite transaction, exactly as
 * DatabaseTransfer.import does on the server's connection; the server's
 * readers keep their WAL snapshot until the commit, so nobody sees half an
 * import. synchronous=FULL: the commit is on disk before the answer.
 * Started by the import launcher (import-launcher.ts), not by the server.
 */
import net from 'node:net';
import Database from 'better-sqlite3';
import { isDomainError, type RecordedEvent } from '@fts/domain';
import type { CallContext } from '../platform/command-runner.js';
import { CommandRunner } from '../platform/command-runner.js';
import { EventStore } from '../platform/event-store/event-store.js';
import type { EventBus } from '../platform/event-bus.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { DatabaseTransfer, type ImportSource } from './database-transfer.js';
import { decodeImport, type EncodedImport } from './import-request.js';
import { ChannelClosed, ChannelReader, sendFrame } from './import-channel.js';

export interface ImportJob {
  dbPath: string;
  projectRoot: string;
  /** The source, or (encoded) what the request was: `byteLength` bytes of it follow the job on the channel. */
  source?: ImportSource;
  encoded?: { kind: 'grpc' } | { kind: 'http'; charset: string; url: string };
  byteLength?: number;
  call: CallContext;
}

/** Events go back in pieces of this many, so the server never deserializes a whole import's events at once. */
export const EVENTS_PER_MESSAGE = 1000;

export type ImportWorkerMessage =
  | { events: RecordedEvent[] }
  | { report: unknown }
  | { error: { domain?: { kind: string; code: string }; message: string; code?: string } };

/**
 * The channel to the server (fd 4, a socket pair: import-launcher.ts). The
 * server sends the job first (then the request's bytes, if encoded), then
 * asks for each next piece of events once it has published the last.
 */
const channel = new net.Socket({ fd: 4, readable: true, writable: true });
channel.on('error', () => undefined); // the server went away: the reads below fail, and the process ends
const reader = new ChannelReader(channel);
const send = (m: ImportWorkerMessage) => sendFrame(channel, m);
let db: Database.Database | undefined;
try {
  const job = (await reader.frame()) as ImportJob;
  db = new Database(job.dbPath, { fileMustExist: true });
  let { source, call } = job;
  if (job.encoded) {
    const chunks = await reader.bytes(job.byteLength ?? 0);
    const encoded: EncodedImport = job.encoded.kind === 'http' ? { ...job.encoded, chunks } : { kind: 'grpc', bytes: Buffer.concat(chunks) };
    ({ source, call } = decodeImport(encoded, call));
  }
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = OFF');
  let recorded: RecordedEvent[] = [];
  const bus = { publish: (events: RecordedEvent[]) => (recorded = events) } as unknown as EventBus;
  const transfer = new DatabaseTransfer(db, new CommandRunner(new EventStore(db), bus), new ProjectPaths(job.projectRoot));
  const report = transfer.import(source!, call);
  // Copy the import's pages from the WAL into the database here: otherwise the server's next commit
  // does it in its automatic checkpoint, on the event loop (100k rows: a stall of a quarter second or more).
  db.pragma('wal_checkpoint(PASSIVE)');
  db.close();
  for (let i = 0; i < recorded.length; i += EVENTS_PER_MESSAGE) {
    await send({ events: recorded.slice(i, i + EVENTS_PER_MESSAGE) });
    await reader.frame();
  }
  await send({ report });
} catch (e) {
  if (!(e instanceof ChannelClosed)) {
    const err = e as Error & { code?: string };
    await send({
      error: { domain: isDomainError(e) ? { kind: e.kind, code: e.code } : undefined, message: err?.message ?? String(e), code: err?.code },
    }).catch(() => undefined);
  }
} finally {
  if (db?.open) db.close();
  channel.destroy();
}
