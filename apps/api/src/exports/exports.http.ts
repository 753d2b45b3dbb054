import { Body, Controller, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields } from '../http/request-shape.js';
import { ExportsHandlers } from './exports.handlers.js';

/** POST /api/exports: ExportModel (listing and reading exports is in job-views). */
@ApiTags('exports')
@Controller('api')
export class ExportsHttp {
  constructor(private readonly exports: ExportsHandlers) {}

  @Post('exports')
  @ApiContract({ body: 'ExportModelRequest', ok: 'ExportModelResponse' })
  exportModel(@Body() body: unknown, @Req() req: HttpRequestLike) {
    const b = new BodyFields(body);
    return this.exports.exportModel(
      {
        type: b.str('type'),
        base_model_id: b.str('base_model_id'),
        adapter_id: b.str('adapter_id'),
        model_name: b.str('model_name'),
        artifact_location: b.str('artifact_location'),
        model_description: b.str('model_description'),
        generation_config: b.str('generation_config'),
        cpu: b.num('cpu'),
        memory: b.num('memory'),
        gpu: b.num('gpu'),
        replicas: b.num('replicas'),
        disable_authentication: b.bool('disable_authentication'),
      },
      callFromHttp(req),
    );
  }
}
