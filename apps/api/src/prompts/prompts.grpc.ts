import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type {
  AddPromptRequest,
  AddPromptResponse,
  GetPromptRequest,
  GetPromptResponse,
  ListPromptsRequest,
  ListPromptsResponse,
  PromptMetadata,
  RemovePromptRequest,
  RemovePromptResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { toMessage } from '../platform/transport/to-message.js';
import { PromptsHandlers } from './prompts.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class PromptsGrpc {
  constructor(
    private readonly prompts: PromptsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListPrompts')
  list(req: ListPromptsRequest): ListPromptsResponse | EncodedResponse {
    return this.cache.get('ListPrompts', req, (): ListPromptsResponse => {
      const page = this.prompts.list(req);
      return { prompts: page.rows.map((r) => toMessage<PromptMetadata>(r)), next_page_token: page.next_page_token };
    });
  }

  @GrpcMethod(SERVICE, 'GetPrompt')
  get(req: GetPromptRequest): GetPromptResponse {
    return { prompt: toMessage<PromptMetadata>(this.prompts.get(req.id)) };
  }

  @GrpcMethod(SERVICE, 'AddPrompt')
  add(req: AddPromptRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): AddPromptResponse {
    const p = req.prompt ?? ({} as PromptMetadata);
    const row = this.prompts.add(
      {
        id: p.id,
        type: p.type,
        name: p.name,
        description: p.description,
        dataset_id: p.dataset_id,
        prompt_template: p.prompt_template,
        input_template: p.input_template,
        completion_template: p.completion_template,
      },
      callFromGrpc(md, call),
    );
    return { prompt: toMessage<PromptMetadata>(row) };
  }

  @GrpcMethod(SERVICE, 'RemovePrompt')
  remove(req: RemovePromptRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemovePromptResponse {
    this.prompts.remove(req.id, callFromGrpc(md, call));
    return {};
  }
}
