import type { RemoveDataset } from '@fts/domain';
import type { WireFields } from '../platform/transport/wire-fields.js';

/** RemoveDatasetRequest: gRPC's message, or HTTP's path id with the `remove_prompts` query parameter. */
export function removeDatasetRequest(f: WireFields, id = f.str('id')): RemoveDataset {
  return { id, remove_prompts: f.bool('remove_prompts') };
}
