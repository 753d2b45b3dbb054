import type { ConfigMetadata, GetConfigResponse } from '@fts/proto';
import { toMessage } from '../platform/transport/to-message.js';
import type { ConfigsHandlers } from './configs.handlers.js';

/** GetConfig: gRPC's `id` field, HTTP's path id. */
export function getConfig(configs: ConfigsHandlers, id: string): GetConfigResponse {
  return { config: toMessage<ConfigMetadata>(configs.get(id)) };
}
