import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isDomainError, type ImportReport, type RecordedEvent } from '@fts/domain';
import { loadConfig, type AppConfig } from '../platform/config/app-config.js';
import { openDatabase, type Sqlite } from '../platform/database/open-database.js';
import { checkStateDatabase } from '../platform/database/database-check.js';
import { StartupRefusal } from '../platform/database/startup-refusal.js';
import { EventStore, type EventFilter } from '../platform/event-store/event-store.js';
import { EventBus } from '../platform/event-bus.js';
import { CommandRunner, type CallContext } from '../platform/command-runner.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { replayInParallel, verifyInParallel, type ReplayOptions } from '../platform/replay/replay.js';
import { DatabaseTransfer, readImportFile } from '../database/database-transfer.js';
import { toEventJson } from '../events/event-json.js';

export const HELP = `Usage: npm run fts -- <command> [options]

Works on the database the server uses (FINE_TUNING_STUDIO_SQLITE_DB, or
<project>/.app/state.db), also while the server runs.

Commands:
  replay                 Rebuild every projection from position 0, compare each
                         with the live table and replace those that differ, in
                         one transaction; prints events/s and what it rewrote.
  replay --verify        Rebuild beside the live tables and compare; exit 1 and
                         print the differences if there are any, 0 otherwise.
      --profile            also print the time of each phase of the rebuild
  events [options]       List the event log, oldest first.
      --stream ID          only this stream (e.g. prompt-<id>)
      --stream-type T      only this stream type (e.g. prompt, fine_tuning_job)
      --type T             only this event type; repeat for several
      --after N            only events after position N
      --limit N            at most N events
      --json               one JSON object a line
  export [options]       Print the ExportDatabase document (the original's format).
      --out FILE           write it to FILE instead
      --extensions         also carry this project's columns (status, timestamps)
  import FILE [--json]   Import an export document (from the original or this
                         server) and print the report. FILE is any path you can
                         read; requests over gRPC are limited to the project.
  help                   This text.

Exit status: 0 success, 1 failure (or differences found by --verify), 2 usage error.
`;

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

class UsageError extends Error {}
/** A failure the operator can act on (printed without a stack; exit 1). */
class CliFailure extends Error {}

interface Opened {
  config: AppConfig;
  db: Sqlite;
  store: EventStore;
  close: () => Promise<void>;
}

async function open(env: NodeJS.ProcessEnv, cwd: string, mustExist: boolean): Promise<Opened> {
  const config = loadConfig(env, cwd);
  if (mustExist && !fs.existsSync(config.dbPath)) {
    throw new CliFailure(`No database at ${config.dbPath}; set FINE_TUNING_STUDIO_SQLITE_DB or start the server once.`);
  }
  checkStateDatabase(config.dbPath);
  const { dataSource, db } = await openDatabase(config.dbPath);
  return { config, db, store: new EventStore(db), close: () => dataSource.destroy() };
}

const actor = (env: NodeJS.ProcessEnv) => {
  try {
    return os.userInfo().username;
  } catch {
    return env.USER || 'cli';
  }
};

/** Runs one command; resolves to the exit status. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'replay':
        return await replayCommand(rest, io);
      case 'events':
        return await eventsCommand(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case 'import':
        return await importCommand(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return 0;
      case undefined:
        io.err(HELP);
        return 2;
      default:
        throw new UsageError(`Unknown command '${command}'. Run 'npm run fts -- help'.`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`fts: ${(e as Error).message}\n`);
      return 2;
    }
    if (isDomainError(e) || e instanceof CliFailure || e instanceof StartupRefusal) {
      io.err(`fts ${command}: ${e.message}\n`);
      return 1;
    }
    io.err(`fts ${command}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

async function replayCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { verify: { type: 'boolean' }, profile: { type: 'boolean' } }, strict: true });
  const o = await open(io.env, io.cwd, true);
  const opts: ReplayOptions = {
    onFallback: (reason) => io.err(`fts replay: rebuilt event by event (the set-based rebuild stopped: ${reason})\n`),
    onPhase: values.profile ? profilePhase(io) : undefined,
  };
  try {
    const started = performance.now();
    if (values.verify) {
      const { events, differences } = await verifyInParallel(o.db, o.store, opts);
      if (differences.length === 0) {
        io.out(`Verified ${events} events: every projection matches a rebuild from position 0.\n`);
        return 0;
      }
      io.out(`Projections differ from a rebuild of ${events} events:\n`);
      for (const d of differences) {
        const shown = d.rows.slice(0, 20).join(', ') + (d.rows.length > 20 ? `, … (${d.rows.length - 20} more)` : '');
        io.out(`  ${d.table}: ${d.liveCount} live rows, ${d.rebuiltCount} rebuilt; differing rows: ${shown}\n`);
      }
      io.out("Run 'npm run fts -- replay' to rebuild them from the log.\n");
      return 1;
    }
    const { events, rewritten } = await replayInParallel(o.db, o.store, opts);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(events / seconds) : events;
    const outcome = rewritten.length
      ? `rewrote ${rewritten.join(', ')} (their rows differed from the rebuild); the other projections matched it`
      : 'every projection matched the rebuild: nothing rewritten';
    io.out(`Replayed ${events} events in ${seconds.toFixed(2)} s (${rate} events/s); ${outcome}.\n`);
    return 0;
  } finally {
    await o.close();
  }
}

/** replay --profile: each phase's wall time and this process's CPU time in it. */
function profilePhase(io: CliIo): NonNullable<ReplayOptions['onPhase']> {
  let cpu = process.cpuUsage();
  return (phase, ms) => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    io.err(`  ${phase}: ${(ms / 1000).toFixed(2)} s (CPU ${((used.user + used.system) / 1e6).toFixed(2)} s)\n`);
  };
}

const count = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number 0 or greater; got '${v}'.`);
  return Number(v);
};

async function eventsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      stream: { type: 'string' },
      'stream-type': { type: 'string' },
      type: { type: 'string', multiple: true },
      after: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const after = count('after', values.after) ?? 0;
  const limit = count('limit', values.limit);
  const o = await open(io.env, io.cwd, true);
  try {
    const filter: EventFilter = { streamId: values.stream, streamType: values['stream-type'], types: values.type };
    let last = after;
    let left = limit ?? Infinity;
    while (left > 0) {
      const want = Math.min(1000, left);
      const batch = o.store.read({ ...filter, afterPosition: last, limit: want });
      for (const e of batch) io.out(values.json ? `${JSON.stringify(toEventJson(e))}\n` : eventLine(e));
      if (batch.length < want) break;
      last = batch[batch.length - 1].position;
      left -= batch.length;
      // Between batches, let a closed pipe's error surface (fts events | head stops here, not after the whole log).
      await new Promise((resolve) => setImmediate(resolve));
    }
    return 0;
  } finally {
    await o.close();
  }
}



const eventLine = (e: RecordedEvent) =>
  `${e.position}\t${e.recordedAt}\t${e.streamId}@${e.streamVersion}\t${e.type}\t${e.metadata.actor} via ${e.metadata.transport}\n`;

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, extensions: { type: 'boolean' } }, strict: true });
  const o = await open(io.env, io.cwd, true);
  try {
    const opts = { includeExtensions: Boolean(values.extensions) };
    if (values.out) {
      // Streamed to the file row by row: constant memory whatever the size of the database.
      const file = path.resolve(io.cwd, values.out);
      const out = fs.createWriteStream(file);
      let failure: Error | undefined;
      out.on('error', (e) => (failure = e));
      const complete = await transferOf(o).exportTo(out, opts);
      await new Promise<void>((resolve) => out.end(() => resolve()));
      if (failure || !complete) throw new CliFailure(`Could not write ${file}: ${failure?.message ?? 'the file was closed'}.`);
      io.err(`Exported ${o.config.dbPath} to ${file} (${out.bytesWritten} bytes).\n`);
    } else {
      io.out(`${transferOf(o).export(opts)}\n`);
    }
    return 0;
  } finally {
    await o.close();
  }
}

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('import takes one FILE: npm run fts -- import FILE');
  // The operator's own path (not a request): read with the operator's rights, with the same bounds.
  const text = readImportFile(path.resolve(io.cwd, positionals[0]), positionals[0]);
  const o = await open(io.env, io.cwd, false);
  try {
    const call: CallContext = { transport: 'cli', actor: actor(io.env) };
    const report = transferOf(o).importText(text, call);
    io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    return 0;
  } finally {
    await o.close();
  }
}

const transferOf = (o: Opened) =>
  new DatabaseTransfer(o.db, new CommandRunner(o.store, new EventBus()), new ProjectPaths(o.config.projectRoot));

export function formatReport(r: ImportReport): string {
  const lines: string[] = [];
  for (const t of r.tables) {
    const parts = [`${t.imported} imported`, `${t.conflicts.length} conflict(s)`];
    if (t.unchanged) parts.push(`${t.unchanged} unchanged`);
    if (t.skipped) parts.push(`${t.skipped} skipped`);
    lines.push(`${t.table}: ${parts.join(', ')}`);
    for (const c of t.conflicts) lines.push(`  conflict ${c}`);
  }
  if (r.warnings.length) {
    lines.push(`Warnings (${r.warnings.length}):`);
    for (const w of r.warnings) lines.push(`  ${w}`);
  }
  return `${lines.join('\n')}\n`;
}
