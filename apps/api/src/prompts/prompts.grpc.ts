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
  RemovePromptRequest,
  RemovePromptResponse,
} from '@fts/proto';
import { callFromGrpc } from '../platform/transport/grpc-call.js';
import { messageFields } from '../platform/transport/wire-fields.js';
import { PromptsHandlers } from './prompts.handlers.js';
import { EncodedResponse, ListResponseCache } from '../platform/transport/list-response-cache.js';
import { addPrompt } from './add-prompt.request.js';
import { getPrompt } from './get-prompt.request.js';
import { listPrompts } from './list-prompts.request.js';

const SERVICE = 'FineTuningStudio';

@Controller()
export class PromptsGrpc {
  constructor(
    private readonly prompts: PromptsHandlers,
    private readonly cache: ListResponseCache,
  ) {}

  @GrpcMethod(SERVICE, 'ListPrompts')
  list(req: ListPromptsRequest): ListPromptsResponse | EncodedResponse {
    return this.cache.get('ListPrompts', req, () => listPrompts(this.prompts, req));
  }

  @GrpcMethod(SERVICE, 'GetPrompt')
  get(req: GetPromptRequest): GetPromptResponse {
    return getPrompt(this.prompts, req.id);
  }

  @GrpcMethod(SERVICE, 'AddPrompt')
  add(req: AddPromptRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): AddPromptResponse {
    return addPrompt(this.prompts, messageFields(req.prompt), callFromGrpc(md, call));
  }

  @GrpcMethod(SERVICE, 'RemovePrompt')
  remove(req: RemovePromptRequest, md: Metadata, call: ServerUnaryCall<unknown, unknown>): RemovePromptResponse {
    this.prompts.remove(req.id, callFromGrpc(md, call));
    return {};
  }
}
