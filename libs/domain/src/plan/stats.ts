/** Nearest-rank percentiles (p50/p90/p99/max) of lengths; zeros for none. */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[sorted.length - 1] };
}

/** `bins` equal-width buckets over [0, upTo]; values above go to the last bucket. */
export function histogram(values: readonly number[], upTo: number, bins = 20): { upper: number; count: number }[] {
  const width = Math.max(1, Math.ceil(upTo / bins));
  const out = Array.from({ length: bins }, (_, i) => ({ upper: (i + 1) * width, count: 0 }));
  for (const v of values) out[Math.min(bins - 1, Math.max(0, Math.ceil(v / width) - 1))].count++;
  return out;
}

/**
 * packing.py's pack_lengths, counting packs only: best-fit decreasing, each
 * example into the fullest pack it fits, else a new pack.
 */
export function countPacks(lengths: readonly number[], maxLen: number): number {
  const order = Float64Array.from(lengths).sort().reverse();
  const spaces: number[] = []; // distinct free spaces of open packs, ascending
  const open = new Map<number, number>(); // free space -> packs with exactly that much room
  const lowerBound = (x: number) => {
    let lo = 0, hi = spaces.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spaces[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let packs = 0;
  for (const size of order) {
    const slot = lowerBound(size);
    let left: number;
    if (size <= maxLen && slot < spaces.length) {
      const space = spaces[slot];
      const n = open.get(space)! - 1;
      if (n === 0) {
        open.delete(space);
        spaces.splice(slot, 1);
      } else open.set(space, n);
      left = space - size;
    } else {
      packs++;
      left = maxLen - size;
    }
    if (left > 0) {
      const n = open.get(left) ?? 0;
      if (n === 0) spaces.splice(lowerBound(left), 0, left);
      open.set(left, n + 1);
    }
  }
  return packs;
}
