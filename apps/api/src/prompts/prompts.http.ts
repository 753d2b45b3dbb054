import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { idsQuery } from '../http/ids-query.js';
import { ApiContract } from '../http/openapi/api-contract.js';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { queryFields } from '../http/query-fields.js';
import { BodyFields, pageOf } from '../http/request-shape.js';
import { PromptsHandlers } from './prompts.handlers.js';
import { addPrompt } from './add-prompt.request.js';
import { getPrompt } from './get-prompt.request.js';
import { listPrompts, promptsByIds } from './list-prompts.request.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/prompts: the same slices as the gRPC prompt RPCs. POST takes the PromptMetadata fields directly. */
@ApiTags('prompts')
@Controller('api')
export class PromptsHttp {
  constructor(private readonly prompts: PromptsHandlers) {}

  @Get('prompts')
  @ApiContract({ query: ['promptFilter', 'page', 'ids'], ok: 'ListPromptsResponse' })
  list(@Query() q: Q) {
    const ids = idsQuery(q, ['dataset_id']);
    return ids ? promptsByIds(this.prompts, ids) : listPrompts(this.prompts, pageOf(q), queryFields(q).str('dataset_id'));
  }

  @Get('prompts/:id')
  @ApiContract({ ok: 'GetPromptResponse' })
  get(@Param('id') id: string) {
    return getPrompt(this.prompts, id);
  }

  @Post('prompts')
  @ApiContract({ body: 'PromptMetadata', ok: 'AddPromptResponse' })
  add(@Body() body: unknown, @Req() req: HttpRequestLike) {
    return addPrompt(this.prompts, new BodyFields(body), callFromHttp(req));
  }

  @Delete('prompts/:id')
  @HttpCode(204)
  @ApiContract({ ok: null })
  remove(@Param('id') id: string, @Req() req: HttpRequestLike) {
    this.prompts.remove(id, callFromHttp(req));
  }
}
