import type { RemoveAdapterResponse } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import { filesReport } from '../platform/paths/delete-folders.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import type { AdaptersHandlers } from './adapters.handlers.js';

/** RemoveAdapter: `delete_files` from the gRPC message or the HTTP query; answers what it deleted and kept (both empty without it). */
export function removeAdapter(adapters: AdaptersHandlers, f: WireFields, call: CallContext, id = f.str('id')): RemoveAdapterResponse {
  return filesReport(adapters.remove(id, call, f.bool('delete_files')));
}
