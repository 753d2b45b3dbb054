import type { RunRequest } from './job-runner.js';

/** Variables never passed to a job: secrets of the server that the templates never need. */
export const DEFAULT_DROP_ENV = ['FTS_AUTH_TOKEN', 'CDSW_APIV2_KEY', 'CDSW_API_KEY'];

/** The environment a job starts with, whichever runner starts it: the base less secrets, the request's additions, the run's identity. */
export function jobEnvironment(
  base: NodeJS.ProcessEnv,
  req: Pick<RunRequest, 'jobId' | 'kind' | 'env'>,
  runDir: string,
  dropEnv: readonly string[] = DEFAULT_DROP_ENV,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of dropEnv) delete env[k];
  return Object.assign(env, req.env ?? {}, {
    FTS_JOB_ID: req.jobId,
    FTS_JOB_KIND: req.kind,
    FTS_RUN_DIR: runDir,
    PYTHONUNBUFFERED: '1',
  });
}
