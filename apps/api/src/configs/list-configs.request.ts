import type { ListConfigsQuery } from '@fts/domain';
import type { ConfigMetadata, ListConfigsResponse } from '@fts/proto';
import type { PageRequest } from '../platform/transport/paging.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import { toMessage } from '../platform/transport/to-message.js';
import type { ConfigsHandlers } from './configs.handlers.js';

/** ListConfigsRequest's filter: the gRPC message's fields or the HTTP query's. */
export function listConfigsRequest(f: WireFields): ListConfigsQuery {
  return { type: f.str('type'), model_id: f.str('model_id'), adapter_id: f.str('adapter_id'), fine_tuning_job_id: f.str('fine_tuning_job_id') };
}

/** ListConfigs: one page of the configs the filter selects. */
export function listConfigs(configs: ConfigsHandlers, f: WireFields, page: PageRequest): ListConfigsResponse {
  const { rows, next_page_token } = configs.list(listConfigsRequest(f), page);
  return { configs: rows.map((r) => toMessage<ConfigMetadata>(r)), next_page_token };
}
