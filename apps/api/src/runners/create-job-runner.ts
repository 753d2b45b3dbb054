import { failedPrecondition } from '@fts/domain';
import type { AppConfig } from '../platform/config/app-config.js';
import type { JobRunner } from './job-runner.js';
import { CmlRunner } from './cml/cml-runner.js';
import { LocalRunner } from './local/local-runner.js';
import { SlurmCli } from './slurm/slurm-cli.js';
import { SlurmRunner } from './slurm/slurm-runner.js';

/**
 * The runner the process uses, from its configuration (AppConfig.runner):
 *   FTS_RUNNER=local (default) | cml | slurm
 *   FTS_GPU_SLOTS=<n>   local: concurrency when the GPUs should not be detected
 *   cml: CDSW_API_URL, CDSW_APIV2_KEY, CDSW_PROJECT_ID (AppConfig.cml),
 *        FTS_CML_LAUNCHER (default job-templates/cml_launcher.py)
 *   slurm: the Slurm client commands on PATH (or FTS_SLURM_BIN_DIR) and their
 *        SLURM_CONF; FTS_SLURM_PARTITION, FTS_SLURM_ACCOUNT, FTS_SLURM_QOS,
 *        FTS_SLURM_TIME_LIMIT (defaults for every job), FTS_SLURM_RDZV_PORT
 */
export function createJobRunner(config: AppConfig): JobRunner {
  const { runner } = config;
  const kind = runner.kind;
  if (kind === 'cml') {
    if (!config.cml) {
      throw failedPrecondition(
        'RUNNER.CML_NOT_CONFIGURED',
        'FTS_RUNNER is cml, but CDSW_API_URL, CDSW_APIV2_KEY and CDSW_PROJECT_ID are not all set.',
      );
    }
    return new CmlRunner({
      api: config.cml,
      stateDir: config.stateDir,
      projectRoot: config.projectRoot,
      ...(runner.cmlLauncher ? { launcherScript: runner.cmlLauncher } : {}),
    });
  }
  if (kind === 'slurm') return createSlurmRunner(config);
  if (kind !== 'local') {
    throw failedPrecondition('RUNNER.UNKNOWN', `FTS_RUNNER must be 'local', 'cml' or 'slurm', not '${kind}'.`);
  }
  return new LocalRunner({
    stateDir: config.stateDir,
    cwd: config.projectRoot,
    env: runner.jobEnv,
    ...(runner.gpuSlots !== undefined ? { gpus: runner.gpuSlots } : {}),
  });
}

/** The runner called `name` (a job's runner override), built from the same configuration. */
export function createNamedJobRunner(name: string, config: AppConfig): JobRunner {
  return createJobRunner({ ...config, runner: { ...config.runner, kind: name.trim().toLowerCase() } });
}

export function createSlurmRunner(config: AppConfig): SlurmRunner {
  const { slurm, jobEnv } = config.runner;
  return new SlurmRunner({
    stateDir: config.stateDir,
    cwd: config.projectRoot,
    env: jobEnv,
    cli: new SlurmCli({ env: jobEnv, binDir: slurm.binDir }),
    placement: { partition: slurm.partition, account: slurm.account, qos: slurm.qos, timeLimit: slurm.timeLimit },
    ...(slurm.rdzvPort !== undefined ? { rdzvPort: slurm.rdzvPort } : {}),
  });
}
