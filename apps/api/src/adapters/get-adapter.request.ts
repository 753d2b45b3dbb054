import type { AdapterMetadata, GetAdapterResponse } from '@fts/proto';
import { toMessage } from '../platform/transport/to-message.js';
import type { AdaptersHandlers } from './adapters.handlers.js';

/** GetAdapter: gRPC's `id` field, HTTP's path id. */
export function getAdapter(adapters: AdaptersHandlers, id: string): GetAdapterResponse {
  return { adapter: toMessage<AdapterMetadata>(adapters.get(id)) };
}
