/** How long a running job has to stop after a cancel before the supervisor forces it (ms). */
export const CANCEL_GRACE_MS = Symbol('CANCEL_GRACE_MS');

export const DEFAULT_CANCEL_GRACE_MS = 5000;
/** A day: a longer grace is a typo, not a wish. */
const MAX_CANCEL_GRACE_MS = 24 * 60 * 60 * 1000;

/** FTS_CANCEL_GRACE_MS (default 5000); a value that is not a whole number of ms from 0 to a day falls back to the default. */
export function cancelGraceMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FTS_CANCEL_GRACE_MS?.trim();
  if (!raw) return DEFAULT_CANCEL_GRACE_MS;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= MAX_CANCEL_GRACE_MS ? n : DEFAULT_CANCEL_GRACE_MS;
}
