import { invalidArgument } from '@fts/domain';
import { JOB_KINDS, type RunRequest } from './job-runner.js';
import { runDirOf } from './run-folder.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Shape checks shared by the runners; every failure is INVALID_ARGUMENT with the field named. */
export function validateRunRequest(req: RunRequest): void {
  runDirOf('/', req.jobId); // the job id must name a folder
  if (!JOB_KINDS.includes(req.kind)) {
    throw invalidArgument('RUN.KIND_INVALID', `Job kind '${String(req.kind)}' is not one of ${JOB_KINDS.join(', ')}.`);
  }
  if (req.spec === null || typeof req.spec !== 'object' || Array.isArray(req.spec)) {
    throw invalidArgument('RUN.SPEC_INVALID', 'The run spec must be a JSON object.');
  }
  if (!Array.isArray(req.command) || req.command.length === 0 || req.command.length > 256) {
    throw invalidArgument('RUN.COMMAND_INVALID', 'The run command must be a non-empty list of arguments.');
  }
  for (const a of req.command) {
    if (typeof a !== 'string' || a === '' || a.includes('\0')) {
      throw invalidArgument('RUN.COMMAND_INVALID', 'Every argument of the run command must be a non-empty string without NUL.');
    }
  }
  const r = req.resources;
  if (!r || ![r.cpu, r.memoryGb, r.gpus, r.numWorkers].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) {
    throw invalidArgument('RUN.RESOURCES_INVALID', 'Run resources need cpu, memoryGb, gpus and numWorkers as numbers ≥ 0.');
  }
  if (r.gpuLabelId !== undefined && !(Number.isInteger(r.gpuLabelId) && r.gpuLabelId >= 0)) {
    throw invalidArgument('RUN.RESOURCES_INVALID', 'Run resource gpuLabelId must be a whole number ≥ 0.');
  }
  for (const [k, v] of Object.entries(req.env ?? {})) {
    if (!ENV_NAME.test(k) || typeof v !== 'string' || v.includes('\0')) {
      throw invalidArgument('RUN.ENV_INVALID', `Environment variable '${k}' must have a plain name and a string value without NUL.`);
    }
  }
}
