import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields, pageOf } from '../http/request-shape.js';
import { ExportsHandlers } from './exports.handlers.js';
import { ModelExportsHandlers } from './model-exports.handlers.js';
import { exportModel } from './export-model.request.js';
import { getModelExport } from './get-model-export.request.js';
import { listModelExports } from './list-model-exports.request.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/exports: ExportModel, ListModelExports and GetModelExport over HTTP, the same slices as the gRPC RPCs. */
@ApiTags('exports')
@Controller('api')
export class ExportsHttp {
  constructor(
    private readonly exports: ExportsHandlers,
    private readonly modelExports: ModelExportsHandlers,
  ) {}

  @Post('exports')
  @ApiContract({ body: 'ExportModelRequest', ok: 'ExportModelResponse' })
  exportModel(@Body() body: unknown, @Req() req: HttpRequestLike) {
    return exportModel(this.exports, new BodyFields(body), callFromHttp(req));
  }

  @Get('exports')
  @ApiContract({ query: ['page'], ok: 'ListModelExportsResponse' })
  listExports(@Query() q: Q) {
    return listModelExports(this.modelExports, pageOf(q));
  }

  @Get('exports/:id')
  @ApiContract({ ok: 'GetModelExportResponse' })
  getExport(@Param('id') id: string) {
    return getModelExport(this.modelExports, id);
  }
}
