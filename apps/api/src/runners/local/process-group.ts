import fs from 'node:fs';

/**
 * Process-group helpers for the local runner. Every kill goes through
 * `validPgid`: a pgid read from disk must never turn into kill(0) (our own
 * group) or kill(-1) (every process we may signal).
 */

export const validPgid = (pgid: unknown): pgid is number => typeof pgid === 'number' && Number.isSafeInteger(pgid) && pgid > 1;

/**
 * Whether any process of the group is still running. kill(-pgid, 0) also
 * counts zombies (exited, not yet reaped: a slow or absent init can leave
 * them for seconds or forever), so on Linux a positive answer is checked
 * against /proc: the leader when it is running (cheap), else a scan for a
 * member that is not a zombie. EPERM means it exists but is not ours.
 */
export function groupAlive(pgid: number): boolean {
  if (!validPgid(pgid)) return false;
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const leader = procStat(pgid);
  if (leader && leader.pgrp === pgid && leader.state !== 'Z' && leader.state !== 'X') return true;
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return true; // no /proc: trust kill()
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(Number(name));
    if (st && st.pgrp === pgid && st.state !== 'Z' && st.state !== 'X') return true;
  }
  return !fs.existsSync('/proc/self/stat'); // /proc unreadable: trust kill()
}

/** State, parent and process group of a process from /proc/<pid>/stat. */
function procStat(pid: number): { state: string; ppid: number; pgrp: number; startTicks: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp ..." — comm may contain spaces and parentheses.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: f[0]!, ppid: Number(f[1]), pgrp: Number(f[2]), startTicks: f[19]! };
  } catch {
    return undefined;
  }
}

/** kill(-pgid, 0) alone: true while any member exists, zombies included. */
export function groupExists(pgid: number): boolean {
  if (!validPgid(pgid)) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends `signal` to the whole group; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!validPgid(pgid)) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

/** This boot's id (Linux); a pid recorded under another boot is certainly gone. */
export function bootId(): string | undefined {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * A process's start time in clock ticks since boot (field 22 of
 * /proc/<pid>/stat), or undefined when it does not exist or /proc is absent.
 * With the pid, it identifies a process across pid reuse.
 */
export function processStartTicks(pid: number): string | undefined {
  return validPgid(pid) ? procStat(pid)?.startTicks : undefined; // field 22 of /proc/<pid>/stat
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `done` every `stepMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(done: () => boolean, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  for (;;) {
    if (done()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(stepMs, Math.max(1, deadline - Date.now())));
  }
}
