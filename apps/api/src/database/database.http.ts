import type { ServerResponse } from 'node:http';
import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiContract } from '../http/openapi/api-contract.js';
import { invalidArgument } from '@fts/domain';
import { callFromHttp, type HttpRequestLike } from '../http/call-context.js';
import { queryBool } from '../http/request-shape.js';
import { ImportBody } from '../http/import-body.js';
import { IMPORT_PATH } from '../http/setup-http.js';
import { DatabaseHandlers } from './database.handlers.js';

/** /api/database: export as a streamed download, import from the raw JSON body (up to 64 MiB; see http/setup-http.ts). */
@ApiTags('database')
@Controller('api/database')
export class DatabaseHttp {
  constructor(private readonly database: DatabaseHandlers) {}

  @Get('export')
  @ApiContract({ query: ['includeExtensions'], ok: 'DatabaseExport', as: 'download' })
  async export(@Query('include_extensions') includeExtensions: string | string[] | undefined, @Res() res: ServerResponse) {
    const extensions = queryBool('include_extensions', includeExtensions);
    const date = new Date().toISOString().slice(0, 10);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="fine-tuning-studio-export-${date}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      // Streamed: the document is never held whole, and other requests are served meanwhile.
      if (await this.database.exportTo(res, extensions)) res.end();
    } catch (e) {
      if (!res.headersSent) throw e;
      res.destroy(e as Error); // a cut download, never a truncated file presented as complete
    }
  }

  @Post('import')
  @HttpCode(200)
  @ApiContract({ body: 'DatabaseExport', rawBody: true, ok: 'HttpImportDatabaseResponse' })
  async import(@Body() body: unknown, @Req() req: HttpRequestLike) {
    // The body's bytes (http/import-body.ts): decoded, checked for being blank and fingerprinted for an idempotency key where the import runs.
    if (!(body instanceof ImportBody) || body.bytes === 0) {
      throw invalidArgument('HTTP.BODY_EMPTY', 'Send the export document as the request body (Content-Type: application/json).');
    }
    // Without the body: its fingerprint (an idempotency key's) is computed from the decoded text, where it is decoded.
    const { headers, ip, socket, auth, method, originalUrl, url } = req;
    const call = callFromHttp({ headers, ip, socket, auth, method, originalUrl, url });
    const encoded = { kind: 'http' as const, chunks: body.chunks, charset: body.charset, url: req.originalUrl ?? req.url ?? IMPORT_PATH };
    return { report: await this.database.importAsync(encoded, call) };
  }
}
