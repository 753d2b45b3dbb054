import type { AddConfig, Row } from '@fts/domain';
import type { AddConfigResponse, ConfigMetadata } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import { toMessage } from '../platform/transport/to-message.js';
import type { ConfigsHandlers } from './configs.handlers.js';

/** AddConfigRequest (gRPC message or the JSON body of POST /api/configs) → the command. */
export function addConfigRequest(f: WireFields): AddConfig {
  return { type: f.str('type'), config: f.str('config'), description: f.str('description') };
}

export function addConfigResponse(row: Row): AddConfigResponse {
  return { config: toMessage<ConfigMetadata>(row) };
}

export function addConfig(configs: ConfigsHandlers, f: WireFields, call: CallContext): AddConfigResponse {
  return addConfigResponse(configs.add(addConfigRequest(f), call));
}
