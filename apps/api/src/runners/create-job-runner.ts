import { failedPrecondition } from '@fts/domain';
import type { AppConfig } from '../platform/config/app-config.js';
import type { JobRunner } from './job-runner.js';
import { CmlRunner } from './cml/cml-runner.js';
import { LocalRunner } from './local/local-runner.js';

/**
 * The runner the process uses, from its configuration:
 *   FTS_RUNNER=local (default) | cml
 *   FTS_GPU_SLOTS=<n>   local: concurrency when the GPUs should not be detected
 *   cml: CDSW_API_URL, CDSW_APIV2_KEY, CDSW_PROJECT_ID (AppConfig.cml),
 *        FTS_CML_LAUNCHER (default job-templates/cml_launcher.py)
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
  if (kind !== 'local') {
    throw failedPrecondition('RUNNER.UNKNOWN', `FTS_RUNNER must be 'local' or 'cml', not '${kind}'.`);
  }
  const slots = Number(env.FTS_GPU_SLOTS);
  return new LocalRunner({
    stateDir: config.stateDir,
    cwd: config.projectRoot,
    ...(Number.isInteger(slots) && slots > 0 ? { gpus: slots } : {}),
  });
}
