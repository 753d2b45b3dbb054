import type { AddAdapter, Row } from '@fts/domain';
import type { AdapterMetadata, AddAdapterResponse } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import { toMessage } from '../platform/transport/to-message.js';
import type { AdaptersHandlers } from './adapters.handlers.js';

/** AddAdapterRequest (gRPC message or the JSON body of POST /api/adapters) → the command. */
export function addAdapterRequest(f: WireFields): AddAdapter {
  return {
    type: f.str('type'),
    name: f.str('name'),
    model_id: f.str('model_id'),
    location: f.str('location'),
    huggingface_name: f.str('huggingface_name'),
    fine_tuning_job_id: f.str('fine_tuning_job_id'),
    prompt_id: f.str('prompt_id'),
  };
}

export function addAdapterResponse(row: Row): AddAdapterResponse {
  return { adapter: toMessage<AdapterMetadata>(row) };
}

export function addAdapter(adapters: AdaptersHandlers, f: WireFields, call: CallContext): AddAdapterResponse {
  return addAdapterResponse(adapters.add(addAdapterRequest(f), call));
}
