import type { RemoveFineTuningJobResponse } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import { filesReport } from '../platform/paths/delete-folders.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import type { FineTuningJobsHandlers } from './fine-tuning-jobs.handlers.js';

/** RemoveFineTuningJob: `delete_files` from the gRPC message or the HTTP query; answers what it deleted and kept (both empty without it). */
export function removeFineTuningJob(jobs: FineTuningJobsHandlers, f: WireFields, call: CallContext, id = f.str('id')): RemoveFineTuningJobResponse {
  return filesReport(jobs.remove(id, call, f.bool('delete_files')));
}
