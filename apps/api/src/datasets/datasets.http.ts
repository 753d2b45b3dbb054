import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import type { DatasetMetadata } from '@fts/proto';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields, pageOf, queryBool, queryInt } from '../http/request-shape.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { toMessage } from '../platform/transport/to-message.js';
import { withFileMissing } from '../http/file-missing.js';
import { DatasetsHandlers } from './datasets.handlers.js';
import { MAX_PREVIEW_ROWS, previewDataset } from './infra/dataset-rows.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/datasets: the same handlers as the gRPC dataset RPCs, plus the rows preview. */
@ApiTags('datasets')
@Controller('api')
export class DatasetsHttp {
  constructor(
    private readonly datasets: DatasetsHandlers,
    private readonly paths: ProjectPaths,
  ) {}

  @Get('datasets')
  @ApiContract({ query: ['page'], ok: 'HttpListDatasetsResponse' })
  list(@Query() q: Q) {
    const page = this.datasets.list(pageOf(q));
    return { datasets: page.rows.map((r) => withFileMissing(this.paths, r, toMessage<DatasetMetadata>(r))), next_page_token: page.next_page_token };
  }

  @Get('datasets/:id')
  @ApiContract({ ok: 'GetDatasetResponse' })
  get(@Param('id') id: string) {
    return { dataset: toMessage<DatasetMetadata>(this.datasets.get(id)) };
  }

  @Get('datasets/:id/rows')
  @ApiContract({ query: ['previewLimit'], ok: 'DatasetPreview' })
  async rows(@Param('id') id: string, @Query('limit') limit?: string | string[]) {
    return previewDataset(this.paths, this.datasets.get(id), queryInt('limit', limit, 20, 0, MAX_PREVIEW_ROWS));
  }

  @Post('datasets')
  @ApiContract({ body: 'AddDatasetRequest', ok: 'AddDatasetResponse' })
  async add(@Body() body: unknown, @Req() req: HttpRequestLike) {
    const b = new BodyFields(body);
    const row = await this.datasets.add(
      { type: b.str('type'), huggingface_name: b.str('huggingface_name'), location: b.str('location'), name: b.str('name') },
      callFromHttp(req),
    );
    return { dataset: toMessage<DatasetMetadata>(row) };
  }

  @Delete('datasets/:id')
  @HttpCode(204)
  @ApiContract({ query: ['removePrompts'], ok: null })
  remove(@Param('id') id: string, @Query('remove_prompts') removePrompts: string | string[] | undefined, @Req() req: HttpRequestLike) {
    this.datasets.remove({ id, remove_prompts: queryBool('remove_prompts', removePrompts) }, callFromHttp(req));
  }

  @Get('adapters/:id/dataset-split')
  @ApiContract({ ok: 'GetDatasetSplitByAdapterMetadata' })
  split(@Param('id') id: string) {
    return this.datasets.splitByAdapter(id);
  }
}
