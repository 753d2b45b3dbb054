import type { AddDataset, Row } from '@fts/domain';
import type { AddDatasetResponse, DatasetMetadata } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import { toMessage } from '../platform/transport/to-message.js';
import type { DatasetsHandlers } from './datasets.handlers.js';

/** AddDatasetRequest (gRPC message or the JSON body of POST /api/datasets) → the command. */
export function addDatasetRequest(f: WireFields): AddDataset {
  return { type: f.str('type'), huggingface_name: f.str('huggingface_name'), location: f.str('location'), name: f.str('name') };
}

export function addDatasetResponse(row: Row): AddDatasetResponse {
  return { dataset: toMessage<DatasetMetadata>(row) };
}

export async function addDataset(datasets: DatasetsHandlers, f: WireFields, call: CallContext): Promise<AddDatasetResponse> {
  return addDatasetResponse(await datasets.add(addDatasetRequest(f), call));
}
