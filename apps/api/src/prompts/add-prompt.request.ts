import type { AddPrompt, Row } from '@fts/domain';
import type { AddPromptResponse, PromptMetadata } from '@fts/proto';
import type { CallContext } from '../platform/command-runner.js';
import type { WireFields } from '../platform/transport/wire-fields.js';
import { toMessage } from '../platform/transport/to-message.js';
import type { PromptsHandlers } from './prompts.handlers.js';

/** AddPrompt: gRPC sends the fields in `prompt` (a PromptMetadata), HTTP as the body itself. */
export function addPromptRequest(f: WireFields): AddPrompt {
  return {
    id: f.str('id'),
    type: f.str('type'),
    name: f.str('name'),
    description: f.str('description'),
    dataset_id: f.str('dataset_id'),
    prompt_template: f.str('prompt_template'),
    input_template: f.str('input_template'),
    completion_template: f.str('completion_template'),
  };
}

export function addPromptResponse(row: Row): AddPromptResponse {
  return { prompt: toMessage<PromptMetadata>(row) };
}

export function addPrompt(prompts: PromptsHandlers, f: WireFields, call: CallContext): AddPromptResponse {
  return addPromptResponse(prompts.add(addPromptRequest(f), call));
}
