import type { AppConfig } from '../../platform/config/app-config.js';
import { CmlDeployRunner } from './cml-deploy-runner.js';

/**
 * The runner for cml_model exports, whatever FTS_RUNNER says (a CML model
 * is always made through the CML API), or undefined when the CML API is not
 * configured (ExportModel then refuses cml_model exports up front).
 *   FTS_CML_PREDICT_SCRIPT (AppConfig.runner.cmlPredictScript)  the predict script, relative to the CML project (default job-templates/cml_model_predict.py)
 */
export function createCmlDeployRunner(config: AppConfig): CmlDeployRunner | undefined {
  if (!config.cml) return undefined;
  return new CmlDeployRunner({
    api: config.cml,
    stateDir: config.stateDir,
    ...(config.runner.cmlPredictScript ? { predictScript: config.runner.cmlPredictScript } : {}),
  });
}
