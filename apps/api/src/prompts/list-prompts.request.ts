import type { ListPromptsResponse, PromptMetadata } from '@fts/proto';
import type { PageRequest } from '../platform/transport/paging.js';
import { toMessage } from '../platform/transport/to-message.js';
import type { PromptsHandlers } from './prompts.handlers.js';

/** ListPrompts: one page of the prompts table (gRPC: the request's page fields; HTTP: the query's, and optionally one dataset's prompts). */
export function listPrompts(prompts: PromptsHandlers, page: PageRequest, datasetId = ''): ListPromptsResponse {
  const { rows, next_page_token } = prompts.list(page, datasetId);
  return { prompts: rows.map((r) => toMessage<PromptMetadata>(r)), next_page_token };
}

/** HTTP's `ids` filter: the prompts with these ids, in that order (one not found is left out), on one page. */
export function promptsByIds(prompts: PromptsHandlers, ids: readonly string[]): ListPromptsResponse {
  return { prompts: prompts.byIds(ids).map((r) => toMessage<PromptMetadata>(r)), next_page_token: '' };
}
