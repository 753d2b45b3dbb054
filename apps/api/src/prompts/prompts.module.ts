import { Module } from '@nestjs/common';
import { PromptsHttp } from './prompts.http.js';
import { PromptsGrpc } from './prompts.grpc.js';
import { PromptsHandlers } from './prompts.handlers.js';

@Module({
  controllers: [PromptsGrpc, PromptsHttp],
  providers: [PromptsHandlers],
  exports: [PromptsHandlers],
})
export class PromptsModule {}
