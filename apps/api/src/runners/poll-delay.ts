/**
 * How long the supervisor waits before its next status() call. Pure.
 *
 * `attempt` counts the polls since the phase last changed (0 right after a
 * change). The delay starts at `minMs` and doubles up to `maxMs`: a run that
 * just moved is watched closely, one that has been running for hours is
 * asked about twice a minute.
 *
 *   nextPollDelayMs(0, true)  → 1000
 *   nextPollDelayMs(3, false) → 8000
 *   nextPollDelayMs(9, false) → 30000
 */
export function nextPollDelayMs(
  attempt: number,
  lastPhaseChanged: boolean,
  opts: { minMs?: number; maxMs?: number } = {},
): number {
  const minMs = opts.minMs ?? 1000;
  const maxMs = Math.max(minMs, opts.maxMs ?? 30_000);
  if (lastPhaseChanged || !(attempt > 0)) return minMs;
  return Math.min(maxMs, minMs * 2 ** Math.min(Math.floor(attempt), 30));
}
