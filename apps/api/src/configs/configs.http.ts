import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { queryFields } from '../http/query-fields.js';
import { BodyFields, pageOf } from '../http/request-shape.js';
import { ConfigsHandlers } from './configs.handlers.js';
import { addConfig } from './add-config.request.js';
import { getConfig } from './get-config.request.js';
import { listConfigs } from './list-configs.request.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/configs: the same slices as the gRPC config RPCs. */
@ApiTags('configs')
@Controller('api')
export class ConfigsHttp {
  constructor(private readonly configs: ConfigsHandlers) {}

  @Get('configs')
  @ApiContract({ query: ['configFilter', 'page'], ok: 'ListConfigsResponse' })
  list(@Query() q: Q) {
    return listConfigs(this.configs, queryFields(q), pageOf(q));
  }

  @Get('configs/:id')
  @ApiContract({ ok: 'GetConfigResponse' })
  get(@Param('id') id: string) {
    return getConfig(this.configs, id);
  }

  @Post('configs')
  @ApiContract({ body: 'AddConfigRequest', ok: 'AddConfigResponse' })
  add(@Body() body: unknown, @Req() req: HttpRequestLike) {
    return addConfig(this.configs, new BodyFields(body), callFromHttp(req));
  }

  @Delete('configs/:id')
  @HttpCode(204)
  @ApiContract({ ok: null })
  remove(@Param('id') id: string, @Req() req: HttpRequestLike) {
    this.configs.remove(id, callFromHttp(req));
  }
}
