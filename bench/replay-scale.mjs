#!/usr/bin/env node
// `fts replay` on a large log, repeatably (issue 15): builds a log with
// log-scale.mjs's buildLog once (BENCH_LOG_EVENTS, default 1,000,000) into
// BENCH_REPLAY_DIR (default /tmp/fts-replay-scale), opens it once as the
// server would (AddConfig's content keys filled), then runs `fts replay
// --profile` BENCH_REPLAY_RUNS times (default 3), each on a fresh copy of
// that log, then as many on copies with the last row of every projection
// table removed (every table rewritten), and `fts replay --verify` once;
// prints each run's figures, the medians, and the profile of the median runs. CPU time (user + sys, both
// processes) is the fairer figure on a loaded machine.
// `node bench/replay-scale.mjs` on a built tree (npm run build).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildLog, removeLastRows } from './log-scale.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI_JS = path.join(REPO, 'apps/api/dist/cli/fts.js');
const events = Number(process.env.BENCH_LOG_EVENTS ?? 1_000_000);
const runs = Number(process.env.BENCH_REPLAY_RUNS ?? 3);
const dir = process.env.BENCH_REPLAY_DIR ?? '/tmp/fts-replay-scale';
const log = (s) => process.stderr.write(`${s}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const base = path.join(dir, `log-${events}.db`);
const work = path.join(dir, 'replay.db');
fs.mkdirSync(dir, { recursive: true });
if (!fs.existsSync(base)) {
  log(`building a ${events}-event log in ${base} ...`);
  await buildLog(`${base}.partial`, events, log);
  const { openDatabase } = await import(pathToFileURL(path.join(REPO, 'apps/api/dist/platform/database/open-database.js')).href);
  const { dataSource, db } = await openDatabase(`${base}.partial`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  await dataSource.destroy();
  fs.renameSync(`${base}.partial`, base);
}

/**
 * `fts` on a fresh copy of the log (or on the current copy: fresh = false; or on a fresh copy with
 * the last row of every projection table removed: 'tampered'); wall and CPU time of the whole process tree.
 */
function fts(args, fresh = true) {
  if (fresh) {
    for (const f of [work, `${work}-wal`, `${work}-shm`]) fs.rmSync(f, { force: true });
    fs.copyFileSync(base, work);
    if (fresh === 'tampered') removeLastRows(work);
  }
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S', process.execPath, CLI_JS, ...args], {
    env: { ...process.env, FINE_TUNING_STUDIO_SQLITE_DB: work },
    encoding: 'utf8',
  });
  const [, wall, user, sys] = /TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr) ?? [];
  if (r.status !== 0 && !(args.includes('--verify') && r.status === 1)) throw new Error(`fts ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return { code: r.status, out: r.stdout, profile: r.stderr.replace(/^TIME .*\n?/m, ''), wall: Number(wall), cpu: Number(user) + Number(sys) };
}

/** BENCH_REPLAY_RUNS replays, each on a fresh copy prepared as `fresh` says; prints each and the median run's profile. */
function replays(what, fresh) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = fts(['replay', '--profile'], fresh);
    const m = /Replayed (\d+) events in ([\d.]+) s \((\d+) events\/s\); (.*)/.exec(r.out);
    results.push({ ...r, seconds: Number(m[2]), rate: Number(m[3]) });
    log(`${what} ${i + 1}: ${m[3]} events/s (${m[2]} s timed; process ${r.wall} s wall, ${r.cpu.toFixed(2)} s CPU): ${m[4]}`);
  }
  const mid = results.find((r) => r.rate === median(results.map((x) => x.rate)));
  log(`${what}, median: ${mid.rate} events/s, ${median(results.map((r) => r.cpu)).toFixed(2)} s CPU; its profile:\n${mid.profile}`);
}

replays('replay (the tables match their rebuild)', true);
replays('replay rewriting every table (a row removed from each)', 'tampered');
const verify = fts(['replay', '--verify'], false);
log(`verify after the last replay: exit ${verify.code}, ${verify.wall} s wall, ${verify.cpu.toFixed(2)} s CPU: ${verify.out.trim().split('\n')[0]}`);
process.exitCode = verify.code;
