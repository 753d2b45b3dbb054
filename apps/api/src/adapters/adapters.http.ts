import { Body, Controller, Delete, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import type { AdapterMetadata } from '@fts/proto';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { BodyFields, pageOf, queryBool } from '../http/request-shape.js';
import { filesReport } from '../platform/paths/delete-folders.js';
import { ProjectPaths } from '../platform/paths/project-paths.js';
import { toMessage } from '../platform/transport/to-message.js';
import { withFileMissing } from '../http/file-missing.js';
import { AdaptersHandlers } from './adapters.handlers.js';

type Q = Record<string, string | string[] | undefined>;

/** /api/adapters: the same handlers as the gRPC adapter RPCs (the dataset split is in datasets.http.ts). */
@ApiTags('adapters')
@Controller('api')
export class AdaptersHttp {
  constructor(
    private readonly adapters: AdaptersHandlers,
    private readonly paths: ProjectPaths,
  ) {}

  @Get('adapters')
  @ApiContract({ query: ['page'], ok: 'HttpListAdaptersResponse' })
  list(@Query() q: Q) {
    const page = this.adapters.list(pageOf(q));
    return { adapters: page.rows.map((r) => withFileMissing(this.paths, r, toMessage<AdapterMetadata>(r))), next_page_token: page.next_page_token };
  }

  @Get('adapters/:id')
  @ApiContract({ ok: 'GetAdapterResponse' })
  get(@Param('id') id: string) {
    return { adapter: toMessage<AdapterMetadata>(this.adapters.get(id)) };
  }

  @Post('adapters')
  @ApiContract({ body: 'AddAdapterRequest', ok: 'AddAdapterResponse' })
  add(@Body() body: unknown, @Req() req: HttpRequestLike) {
    const b = new BodyFields(body);
    const row = this.adapters.add(
      {
        type: b.str('type'),
        name: b.str('name'),
        model_id: b.str('model_id'),
        location: b.str('location'),
        huggingface_name: b.str('huggingface_name'),
        fine_tuning_job_id: b.str('fine_tuning_job_id'),
        prompt_id: b.str('prompt_id'),
      },
      callFromHttp(req),
    );
    return { adapter: toMessage<AdapterMetadata>(row) };
  }

  /** 200 with what `delete_files` deleted and kept (both empty without it), as RemoveAdapterResponse over gRPC. */
  @Delete('adapters/:id')
  @ApiContract({ query: ['deleteFiles'], ok: 'RemoveAdapterResponse' })
  remove(@Param('id') id: string, @Query('delete_files') deleteFiles: string | string[] | undefined, @Req() req: HttpRequestLike) {
    return filesReport(this.adapters.remove(id, callFromHttp(req), queryBool('delete_files', deleteFiles)));
  }
}
