import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Row } from '@fts/domain';
import type { DatasetMetadata } from '@fts/proto';
import { idsQuery } from '../http/ids-query.js';
import { ApiContract } from '../http/openapi/api-contract.js';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { queryFields } from '../http/query-fields.js';
import { BodyFields, pageOf, queryInt } from '../http/request-shape.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { withFileMissing } from '../http/file-missing.js';
import { DatasetsHandlers } from './datasets.handlers.js';
import { MAX_PREVIEW_ROWS, previewDataset } from './infra/dataset-rows.js';
import { addDataset } from './add-dataset.request.js';
import { getDataset } from './get-dataset.request.js';
import { getDatasetSplitByAdapter } from './get-dataset-split-by-adapter.request.js';
import { datasetsByIds, listDatasets } from './list-datasets.request.js';
import { removeDatasetRequest } from './remove-dataset.request.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/datasets: the same slices as the gRPC dataset RPCs, plus the rows preview. */
@ApiTags('datasets')
@Controller('api')
export class DatasetsHttp {
  constructor(
    private readonly datasets: DatasetsHandlers,
    private readonly paths: ProjectPaths,
  ) {}

  @Get('datasets')
  @ApiContract({ query: ['page', 'ids'], ok: 'HttpListDatasetsResponse' })
  list(@Query() q: Q) {
    const present = (row: Row, message: DatasetMetadata) => withFileMissing(this.paths, row, message);
    const ids = idsQuery(q);
    return ids ? datasetsByIds(this.datasets, ids, present) : listDatasets(this.datasets, pageOf(q), present);
  }

  @Get('datasets/:id')
  @ApiContract({ ok: 'GetDatasetResponse' })
  get(@Param('id') id: string) {
    return getDataset(this.datasets, id);
  }

  @Get('datasets/:id/rows')
  @ApiContract({ query: ['previewLimit'], ok: 'DatasetPreview' })
  async rows(@Param('id') id: string, @Query('limit') limit?: string | string[]) {
    return previewDataset(this.paths, this.datasets.get(id), queryInt('limit', limit, 20, 0, MAX_PREVIEW_ROWS));
  }

  @Post('datasets')
  @ApiContract({ body: 'AddDatasetRequest', ok: 'AddDatasetResponse' })
  add(@Body() body: unknown, @Req() req: HttpRequestLike) {
    return addDataset(this.datasets, new BodyFields(body), callFromHttp(req));
  }

  @Delete('datasets/:id')
  @HttpCode(204)
  @ApiContract({ query: ['removePrompts'], ok: null })
  remove(@Param('id') id: string, @Query() q: Q, @Req() req: HttpRequestLike) {
    this.datasets.remove(removeDatasetRequest(queryFields(q), id), callFromHttp(req));
  }

  @Get('adapters/:id/dataset-split')
  @ApiContract({ ok: 'GetDatasetSplitByAdapterMetadata' })
  split(@Param('id') id: string) {
    return getDatasetSplitByAdapter(this.datasets, id).response;
  }
}
