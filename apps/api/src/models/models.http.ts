import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Row } from '@fts/domain';
import type { ModelMetadata } from '@fts/proto';
import { idsQuery } from '../http/ids-query.js';
import { ApiContract } from '../http/openapi/api-contract.js';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields, pageOf } from '../http/request-shape.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { withFileMissing } from '../http/file-missing.js';
import { ModelsHandlers } from './models.handlers.js';
import { addModel } from './add-model.request.js';
import { getModel } from './get-model.request.js';
import { listModels, modelsByIds } from './list-models.request.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/models: the same slices as the gRPC model RPCs. */
@ApiTags('models')
@Controller('api')
export class ModelsHttp {
  constructor(
    private readonly models: ModelsHandlers,
    private readonly paths: ProjectPaths,
  ) {}

  @Get('models')
  @ApiContract({ query: ['page', 'ids'], ok: 'HttpListModelsResponse' })
  list(@Query() q: Q) {
    const present = (row: Row, message: ModelMetadata) => withFileMissing(this.paths, row, message);
    const ids = idsQuery(q);
    return ids ? modelsByIds(this.models, ids, present) : listModels(this.models, pageOf(q), present);
  }

  @Get('models/:id')
  @ApiContract({ ok: 'GetModelResponse' })
  get(@Param('id') id: string) {
    return getModel(this.models, id);
  }

  @Post('models')
  @ApiContract({ body: 'AddModelRequest', ok: 'AddModelResponse' })
  add(@Body() body: unknown, @Req() req: HttpRequestLike) {
    return addModel(this.models, new BodyFields(body), callFromHttp(req));
  }

  @Delete('models/:id')
  @HttpCode(204)
  @ApiContract({ ok: null })
  remove(@Param('id') id: string, @Req() req: HttpRequestLike) {
    this.models.remove(id, callFromHttp(req));
  }
}
