import { Body, Controller, Delete, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Row } from '@fts/domain';
import type { AdapterMetadata } from '@fts/proto';
import { idsQuery } from '../http/ids-query.js';
import { ApiContract } from '../http/openapi/api-contract.js';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { queryFields } from '../http/query-fields.js';
import { BodyFields, pageOf } from '../http/request-shape.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { withFileMissing } from '../http/file-missing.js';
import { AdaptersHandlers } from './adapters.handlers.js';
import { addAdapter } from './add-adapter.request.js';
import { getAdapter } from './get-adapter.request.js';
import { adaptersByIds, listAdapters } from './list-adapters.request.js';
import { removeAdapter } from './remove-adapter.request.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/adapters: the same slices as the gRPC adapter RPCs (the dataset split is in datasets.http.ts). */
@ApiTags('adapters')
@Controller('api')
export class AdaptersHttp {
  constructor(
    private readonly adapters: AdaptersHandlers,
    private readonly paths: ProjectPaths,
  ) {}

  @Get('adapters')
  @ApiContract({ query: ['adapterFilter', 'page', 'ids'], ok: 'HttpListAdaptersResponse' })
  list(@Query() q: Q) {
    const present = (row: Row, message: AdapterMetadata) => withFileMissing(this.paths, row, message);
    const ids = idsQuery(q, ['model_id']);
    return ids ? adaptersByIds(this.adapters, ids, present) : listAdapters(this.adapters, pageOf(q), present, queryFields(q).str('model_id'));
  }

  @Get('adapters/:id')
  @ApiContract({ ok: 'GetAdapterResponse' })
  get(@Param('id') id: string) {
    return getAdapter(this.adapters, id);
  }

  @Post('adapters')
  @ApiContract({ body: 'AddAdapterRequest', ok: 'AddAdapterResponse' })
  add(@Body() body: unknown, @Req() req: HttpRequestLike) {
    return addAdapter(this.adapters, new BodyFields(body), callFromHttp(req));
  }

  /** 200 with what `delete_files` deleted and kept (both empty without it), as RemoveAdapterResponse over gRPC. */
  @Delete('adapters/:id')
  @ApiContract({ query: ['deleteFiles'], ok: 'RemoveAdapterResponse' })
  remove(@Param('id') id: string, @Query() q: Q, @Req() req: HttpRequestLike) {
    return removeAdapter(this.adapters, queryFields(q), callFromHttp(req), id);
  }
}
