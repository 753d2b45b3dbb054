import { SlurmCli } from '../runners/slurm/slurm-cli.js';
import { parseSinfo, SINFO_FORMAT, type SlurmPartition } from '../runners/slurm/slurm-status.js';

export interface SlurmClusterView {
  partitions: SlurmPartition[];
  /** Why sinfo gave no answer (the controller is down, the command failed). */
  error?: string;
}

/**
 * The Slurm cluster for the settings page, from `sinfo` (cached a few
 * seconds). With the slurm runner, a failing sinfo is shown as its error;
 * with another runner the cluster is shown only when sinfo answers (jobs may
 * still ask for the slurm runner), and is null otherwise.
 */
export class SlurmClusterProbe {
  private cached?: { at: number; value: SlurmClusterView | null };

  constructor(
    private readonly cli: SlurmCli,
    private readonly ttlMs = 5000,
  ) {}

  async get(required: boolean): Promise<SlurmClusterView | null> {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached.value;
    let value: SlurmClusterView | null;
    try {
      value = { partitions: parseSinfo(await this.cli.run('sinfo', ['-h', '-o', SINFO_FORMAT])) };
    } catch (e) {
      value = required ? { partitions: [], error: e instanceof Error ? e.message : String(e) } : null;
    }
    this.cached = { at: Date.now(), value };
    return value;
  }
}
