import { Body, Controller, Get, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields } from '../http/request-shape.js';
import { AdapterComparisonsHandlers } from './adapter-comparisons.handlers.js';
import { getAdapterComparison } from './get-adapter-comparison.request.js';
import { startAdapterComparison } from './start-adapter-comparison.request.js';

/** /api/comparisons: the same slices as the gRPC comparison RPCs. */
@ApiTags('jobs')
@Controller('api')
export class ComparisonsHttp {
  constructor(private readonly comparisons: AdapterComparisonsHandlers) {}

  @Post('comparisons')
  @ApiContract({ body: 'StartAdapterComparisonRequest', ok: 'StartAdapterComparisonResponse' })
  startComparison(@Body() body: unknown, @Req() req: HttpRequestLike) {
    return startAdapterComparison(this.comparisons, new BodyFields(body), callFromHttp(req));
  }

  @Get('comparisons/:id')
  @ApiContract({ ok: 'GetAdapterComparisonResponse' })
  getComparison(@Param('id') id: string) {
    return getAdapterComparison(this.comparisons, id);
  }
}
