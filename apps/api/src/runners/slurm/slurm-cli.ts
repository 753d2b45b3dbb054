import { execFile } from 'node:child_process';
import { inheritedEnv } from '../../platform/config/app-config.js';

/** A Slurm command that could not run or answered with an error (its stderr, trimmed). */
export class SlurmCommandError extends Error {
  constructor(
    readonly command: string,
    message: string,
    /** The command never ran (not installed) or did not answer in time: asking again may work. */
    readonly unreachable: boolean,
  ) {
    super(message);
  }
}

export interface SlurmCliOptions {
  /** Folder of the Slurm client commands; default: found on PATH. */
  binDir?: string;
  /** Environment of the commands (SLURM_CONF travels here). Default: this process's (inheritedEnv). */
  env?: NodeJS.ProcessEnv;
  /** Per command. Default 15 s. */
  timeoutMs?: number;
}

/**
 * Runs Slurm's own client commands (sbatch, squeue, sacct, scancel, sinfo)
 * as argument vectors, never through a shell, and hands back their stdout.
 */
export class SlurmCli {
  constructor(private readonly options: SlurmCliOptions = {}) {}

  run(command: 'sbatch' | 'squeue' | 'sacct' | 'scancel' | 'sinfo' | 'scontrol', args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
    const file = this.options.binDir ? `${this.options.binDir.replace(/\/$/, '')}/${command}` : command;
    return new Promise((resolve, reject) => {
      execFile(
        file,
        args,
        {
          cwd: opts.cwd,
          env: opts.env ?? this.options.env ?? inheritedEnv(),
          timeout: this.options.timeoutMs ?? 15_000,
          maxBuffer: 16 * 1024 * 1024,
          encoding: 'utf8',
        },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout);
          const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
          const detail = String(stderr ?? '').trim().split('\n').filter(Boolean).slice(-3).join(' ') || e.message;
          const unreachable = e.code === 'ENOENT' || e.killed === true || /Unable to contact slurm controller|Socket timed out|Connection refused/i.test(detail);
          reject(new SlurmCommandError(command, `${command}: ${detail}`, unreachable));
        },
      );
    });
  }
}
