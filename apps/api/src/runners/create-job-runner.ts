import { failedPrecondition } from '@fts/domain';
import type { AppConfig } from '../platform/config/app-config.js';
import type { JobRunner } from './job-runner.js';
import { CmlRunner } from './cml/cml-runner.js';
import { LocalRunner } from './local/local-runner.js';
import { SlurmCli } from './slurm/slurm-cli.js';
import { SlurmRunner } from './slurm/slurm-runner.js';

/**
 * The runner the process uses, from its configuration:
 *   FTS_RUNNER=local (default) | cml | slurm
 *   FTS_GPU_SLOTS=<n>   local: concurrency when the GPUs should not be detected
 *   cml: CDSW_API_URL, CDSW_APIV2_KEY, CDSW_PROJECT_ID (AppConfig.cml),
 *        FTS_CML_LAUNCHER (default job-templates/cml_launcher.py)
 *   slurm: the Slurm client commands on PATH (or FTS_SLURM_BIN_DIR) and their
 *        SLURM_CONF; FTS_SLURM_PARTITION, FTS_SLURM_ACCOUNT, FTS_SLURM_QOS,
 *        FTS_SLURM_TIME_LIMIT (defaults for every job), FTS_SLURM_RDZV_PORT
 */
export function createJobRunner(config: AppConfig, env: NodeJS.ProcessEnv = process.env): JobRunner {
  const kind = (env.FTS_RUNNER ?? 'local').trim().toLowerCase();
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
      ...(env.FTS_CML_LAUNCHER ? { launcherScript: env.FTS_CML_LAUNCHER } : {}),
    });
  }
  if (kind === 'slurm') return createSlurmRunner(config, env);
  if (kind !== 'local') {
    throw failedPrecondition('RUNNER.UNKNOWN', `FTS_RUNNER must be 'local', 'cml' or 'slurm', not '${kind}'.`);
  }
  const slots = Number(env.FTS_GPU_SLOTS);
  return new LocalRunner({
    stateDir: config.stateDir,
    cwd: config.projectRoot,
    ...(Number.isInteger(slots) && slots > 0 ? { gpus: slots } : {}),
  });
}

/** The runner called `name` (a job's runner override), built from the same configuration. */
export function createNamedJobRunner(name: string, config: AppConfig, env: NodeJS.ProcessEnv = process.env): JobRunner {
  return createJobRunner(config, { ...env, FTS_RUNNER: name });
}

export function createSlurmRunner(config: AppConfig, env: NodeJS.ProcessEnv = process.env): SlurmRunner {
  const setting = (name: string) => env[name]?.trim() || undefined;
  const port = Number(env.FTS_SLURM_RDZV_PORT);
  return new SlurmRunner({
    stateDir: config.stateDir,
    cwd: config.projectRoot,
    env,
    cli: new SlurmCli({ env, binDir: setting('FTS_SLURM_BIN_DIR') }),
    placement: {
      partition: setting('FTS_SLURM_PARTITION'),
      account: setting('FTS_SLURM_ACCOUNT'),
      qos: setting('FTS_SLURM_QOS'),
      timeLimit: setting('FTS_SLURM_TIME_LIMIT'),
    },
    ...(Number.isInteger(port) && port > 0 && port < 65536 ? { rdzvPort: port } : {}),
  });
}
