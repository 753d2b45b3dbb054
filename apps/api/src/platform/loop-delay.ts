import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * A diagnostic for the bench (bench/run.mjs): with FTS_LOOP_DELAY_REPORT set
 * to a file path, the server samples its event-loop delay
 * (perf_hooks.monitorEventLoopDelay, every 5 ms) and, on each SIGWINCH, writes
 * what it saw since the previous SIGWINCH to that file as JSON (milliseconds)
 * and starts a new window (SIGWINCH, not SIGUSR2: Nest's shutdown hooks take
 * SIGUSR2, and SIGWINCH is otherwise ignored). Off, and no signal handler,
 * without the variable.
 */
export function reportLoopDelay(file: string | undefined): void {
  if (!file) return;
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  let since = Date.now();
  process.on('SIGWINCH', () => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const report = {
      window_s: (Date.now() - since) / 1000,
      samples: h.count,
      p50_ms: ms(h.percentile(50)),
      p99_ms: ms(h.percentile(99)),
      max_ms: ms(h.max),
      mean_ms: ms(h.mean),
    };
    fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(report)}\n`);
    fs.renameSync(`${file}.tmp`, file);
    h.reset();
    since = Date.now();
  });
}
