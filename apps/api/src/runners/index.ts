/** The runners' public surface: the contract, the two runners, the shared run folder code and the polling helper. */
export * from './job-runner.js';
export { RunFolder, RUN_FILES, runDirOf, type ExitRecord, type CancelRecord } from './run-folder.js';
export { nextPollDelayMs } from './poll-delay.js';
export { LocalRunner, PROCESS_GONE, slotsNeeded, type LocalRunnerOptions, type PidRecord } from './local/local-runner.js';
export { detectGpuDevices } from './local/gpu-slots.js';
export { CmlRunner, DEFAULT_CML_TEMPLATES, type CmlRunnerOptions } from './cml/cml-runner.js';
export { CmlApiClient, CmlApiError, type CmlApiOptions } from './cml/cml-api.client.js';
export { mapEngineStatus, CML_TIMEOUT_MESSAGE } from './cml/cml-status.js';
export { createJobRunner } from './create-job-runner.js';
export { RunnersModule } from './runners.module.js';
export { CmlDeployRunner, DEFAULT_DEPLOY_TEMPLATE_JOB, DEFAULT_PREDICT_SCRIPT, type CmlDeployRunnerOptions, type CmlDeployRecord } from './cml-deploy/cml-deploy-runner.js';
export { parseDeploySpec, type CmlDeploySpec } from './cml-deploy/cml-deploy-spec.js';
export { createCmlDeployRunner } from './cml-deploy/create-cml-deploy-runner.js';
