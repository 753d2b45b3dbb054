import { Module } from '@nestjs/common';
import { PromptsGrpc } from './prompts.grpc.js';
import { PromptsHandlers } from './prompts.handlers.js';

@Module({
  controllers: [PromptsGrpc],
  providers: [PromptsHandlers],
  exports: [PromptsHandlers],
})
export class PromptsModule {}
