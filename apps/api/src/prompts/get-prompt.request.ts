import type { GetPromptResponse, PromptMetadata } from '@fts/proto';
import { toMessage } from '../platform/transport/to-message.js';
import type { PromptsHandlers } from './prompts.handlers.js';

/** GetPrompt: gRPC's `id` field, HTTP's path id. */
export function getPrompt(prompts: PromptsHandlers, id: string): GetPromptResponse {
  return { prompt: toMessage<PromptMetadata>(prompts.get(id)) };
}
