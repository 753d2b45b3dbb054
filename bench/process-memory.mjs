// The resident memory of a process (Linux /proc), for the benches' RSS figures.
import fs from 'node:fs';

/** VmRSS of `pid` in bytes; 0 once the process is gone. */
export function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples `pid`'s RSS every `everyMs` until stop(), which returns { median, peak } in MiB. */
export function sampleRss(pid, everyMs = 50) {
  const samples = [rssOf(pid)];
  const timer = setInterval(() => samples.push(rssOf(pid)), everyMs);
  return {
    stop() {
      clearInterval(timer);
      const sorted = samples.filter((s) => s > 0).sort((a, b) => a - b);
      const mib = (b) => Math.round(b / 2 ** 20);
      return { median_mib: mib(sorted[Math.floor(sorted.length / 2)] ?? 0), peak_mib: mib(sorted[sorted.length - 1] ?? 0), samples: sorted.length };
    },
  };
}
