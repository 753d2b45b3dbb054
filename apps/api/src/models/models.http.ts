import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import type { ModelMetadata } from '@fts/proto';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields, pageOf } from '../http/request-shape.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { toMessage } from '../platform/transport/to-message.js';
import { withFileMissing } from '../http/file-missing.js';
import { ModelsHandlers } from './models.handlers.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/models: the same handlers as the gRPC model RPCs. */
@ApiTags('models')
@Controller('api')
export class ModelsHttp {
  constructor(
    private readonly models: ModelsHandlers,
    private readonly paths: ProjectPaths,
  ) {}

  @Get('models')
  @ApiContract({ query: ['page'], ok: 'HttpListModelsResponse' })
  list(@Query() q: Q) {
    const page = this.models.list(pageOf(q));
    return { models: page.rows.map((r) => withFileMissing(this.paths, r, toMessage<ModelMetadata>(r))), next_page_token: page.next_page_token };
  }

  @Get('models/:id')
  @ApiContract({ ok: 'GetModelResponse' })
  get(@Param('id') id: string) {
    return { model: toMessage<ModelMetadata>(this.models.get(id)) };
  }

  @Post('models')
  @ApiContract({ body: 'AddModelRequest', ok: 'AddModelResponse' })
  async add(@Body() body: unknown, @Req() req: HttpRequestLike) {
    const b = new BodyFields(body);
    const row = await this.models.add(
      {
        type: b.str('type'),
        huggingface_name: b.str('huggingface_name'),
        model_registry_id: b.str('model_registry_id'),
        location: b.str('location'),
        name: b.str('name'),
      },
      callFromHttp(req),
    );
    return { model: toMessage<ModelMetadata>(row) };
  }

  @Delete('models/:id')
  @HttpCode(204)
  @ApiContract({ ok: null })
  remove(@Param('id') id: string, @Req() req: HttpRequestLike) {
    this.models.remove(id, callFromHttp(req));
  }
}
