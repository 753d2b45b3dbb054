import { execFileSync } from 'node:child_process';

/**
 * GPU slots of the local machine. A slot is one GPU when the GPUs are known
 * (each run then gets CUDA_VISIBLE_DEVICES set to its own devices), or an
 * anonymous unit of concurrency when they are not (no GPU: 1 slot). A run
 * takes max(1, gpus) slots. The bookkeeping is in memory; the runner
 * restores it from pid.json when it reattaches to runs after a restart.
 */
export class GpuSlots {
  /** Slot index → job id holding it. */
  private readonly holders = new Map<number, string>();
  readonly capacity: number;
  /** Device ids per slot (CUDA_VISIBLE_DEVICES values), or empty when unknown. */
  readonly devices: readonly string[];

  constructor(devicesOrCount: readonly string[] | number) {
    if (typeof devicesOrCount === 'number') {
      this.capacity = Math.max(1, Math.floor(devicesOrCount));
      this.devices = [];
    } else {
      this.capacity = Math.max(1, devicesOrCount.length);
      this.devices = [...devicesOrCount];
    }
  }

  inUse(): number {
    return this.holders.size;
  }

  free(): number {
    return this.capacity - this.holders.size;
  }

  heldBy(jobId: string): number[] {
    return [...this.holders].filter(([, j]) => j === jobId).map(([i]) => i);
  }

  /** Takes `n` free slots for `jobId` (lowest first); undefined when not enough are free. */
  acquire(jobId: string, n: number): number[] | undefined {
    const held = this.heldBy(jobId);
    if (held.length > 0) return held;
    const freeSlots = [...Array(this.capacity).keys()].filter((i) => !this.holders.has(i));
    if (freeSlots.length < n) return undefined;
    const taken = freeSlots.slice(0, n);
    for (const i of taken) this.holders.set(i, jobId);
    return taken;
  }

  /**
   * Marks slots as held by a run found alive after a restart. Slots already
   * held by another run (the configuration changed) are replaced by free
   * ones; when none is free the run is still counted, over capacity.
   */
  restore(jobId: string, slots: readonly number[], n: number): void {
    if (this.heldBy(jobId).length > 0) return;
    const wanted = slots.filter((i) => Number.isInteger(i) && i >= 0 && i < this.capacity && !this.holders.has(i));
    for (const i of wanted) this.holders.set(i, jobId);
    let missing = Math.max(1, n) - wanted.length;
    for (let i = 0; i < this.capacity && missing > 0; i++) {
      if (!this.holders.has(i)) {
        this.holders.set(i, jobId);
        missing--;
      }
    }
    // Over capacity: count it under indices past the end so inUse() stays honest.
    for (let i = this.capacity; missing > 0; i++) {
      if (!this.holders.has(i)) {
        this.holders.set(i, jobId);
        missing--;
      }
    }
  }

  release(jobId: string): void {
    for (const [i, j] of [...this.holders]) if (j === jobId) this.holders.delete(i);
  }

  /** The jobs holding slots. */
  jobs(): string[] {
    return [...new Set(this.holders.values())];
  }

  /** CUDA_VISIBLE_DEVICES for these slots, or undefined when the devices are unknown. */
  cudaVisibleDevices(slots: readonly number[]): string | undefined {
    if (this.devices.length === 0) return undefined;
    const ids = slots.map((i) => this.devices[i]).filter((d): d is string => d !== undefined);
    return ids.length ? ids.join(',') : undefined;
  }
}

/**
 * The GPUs this process may use: CUDA_VISIBLE_DEVICES when it is set (empty
 * or starting with -1: none), else one per line of `nvidia-smi -L`, else none.
 */
export function detectGpuDevices(
  env: NodeJS.ProcessEnv,
  run: (cmd: string, args: string[]) => string = (cmd, args) =>
    execFileSync(cmd, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }),
): string[] {
  const cvd = env.CUDA_VISIBLE_DEVICES;
  if (cvd !== undefined) {
    const ids: string[] = [];
    for (const raw of cvd.split(',')) {
      const id = raw.trim();
      if (id === '' || id.startsWith('-')) break; // CUDA ignores everything after an invalid entry
      ids.push(id);
    }
    return ids;
  }
  try {
    return run('nvidia-smi', ['-L'])
      .split('\n')
      .map((l) => /^GPU (\d+):/.exec(l.trim())?.[1])
      .filter((id): id is string => id !== undefined);
  } catch {
    return [];
  }
}
