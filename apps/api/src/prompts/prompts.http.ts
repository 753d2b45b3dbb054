import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { PromptMetadata } from '@fts/proto';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields, pageOf } from '../http/request-shape.js';
import { toMessage } from '../platform/transport/to-message.js';
import { PromptsHandlers } from './prompts.handlers.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/prompts: the same handlers as the gRPC prompt RPCs. POST takes the PromptMetadata fields directly. */
@ApiTags('prompts')
@Controller('api')
export class PromptsHttp {
  constructor(private readonly prompts: PromptsHandlers) {}

  @Get('prompts')
  list(@Query() q: Q) {
    const page = this.prompts.list(pageOf(q));
    return { prompts: page.rows.map((r) => toMessage<PromptMetadata>(r)), next_page_token: page.next_page_token };
  }

  @Get('prompts/:id')
  get(@Param('id') id: string) {
    return { prompt: toMessage<PromptMetadata>(this.prompts.get(id)) };
  }

  @Post('prompts')
  add(@Body() body: unknown, @Req() req: HttpRequestLike) {
    const b = new BodyFields(body);
    const row = this.prompts.add(
      {
        id: b.str('id'),
        type: b.str('type'),
        name: b.str('name'),
        description: b.str('description'),
        dataset_id: b.str('dataset_id'),
        prompt_template: b.str('prompt_template'),
        input_template: b.str('input_template'),
        completion_template: b.str('completion_template'),
      },
      callFromHttp(req),
    );
    return { prompt: toMessage<PromptMetadata>(row) };
  }

  @Delete('prompts/:id')
  @HttpCode(204)
  remove(@Param('id') id: string, @Req() req: HttpRequestLike) {
    this.prompts.remove(id, callFromHttp(req));
  }
}
