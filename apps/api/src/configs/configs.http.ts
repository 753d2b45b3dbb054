import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import type { ConfigMetadata } from '@fts/proto';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields, pageOf, queryStr } from '../http/request-shape.js';
import { toMessage } from '../platform/transport/to-message.js';
import { ConfigsHandlers } from './configs.handlers.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/configs: the same handlers as the gRPC config RPCs. */
@ApiTags('configs')
@Controller('api')
export class ConfigsHttp {
  constructor(private readonly configs: ConfigsHandlers) {}

  @Get('configs')
  @ApiContract({ query: ['configFilter', 'page'], ok: 'ListConfigsResponse' })
  list(@Query() q: Q) {
    const page = this.configs.list(
      {
        type: queryStr('type', q.type),
        model_id: queryStr('model_id', q.model_id),
        adapter_id: queryStr('adapter_id', q.adapter_id),
        fine_tuning_job_id: queryStr('fine_tuning_job_id', q.fine_tuning_job_id),
      },
      pageOf(q),
    );
    return { configs: page.rows.map((r) => toMessage<ConfigMetadata>(r)), next_page_token: page.next_page_token };
  }

  @Get('configs/:id')
  @ApiContract({ ok: 'GetConfigResponse' })
  get(@Param('id') id: string) {
    return { config: toMessage<ConfigMetadata>(this.configs.get(id)) };
  }

  @Post('configs')
  @ApiContract({ body: 'AddConfigRequest', ok: 'AddConfigResponse' })
  add(@Body() body: unknown, @Req() req: HttpRequestLike) {
    const b = new BodyFields(body);
    const row = this.configs.add({ type: b.str('type'), config: b.str('config'), description: b.str('description') }, callFromHttp(req));
    return { config: toMessage<ConfigMetadata>(row) };
  }

  @Delete('configs/:id')
  @HttpCode(204)
  @ApiContract({ ok: null })
  remove(@Param('id') id: string, @Req() req: HttpRequestLike) {
    this.configs.remove(id, callFromHttp(req));
  }
}
