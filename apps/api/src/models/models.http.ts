import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields, pageOf } from '../http/request-shape.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { withFileMissing } from '../http/file-missing.js';
import { ModelsHandlers } from './models.handlers.js';
import { addModel } from './add-model.request.js';
import { getModel } from './get-model.request.js';
import { listModels } from './list-models.request.js';

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
  @ApiContract({ query: ['page'], ok: 'HttpListModelsResponse' })
  list(@Query() q: Q) {
    return listModels(this.models, pageOf(q), (row, message) => withFileMissing(this.paths, row, message));
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
