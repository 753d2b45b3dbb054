import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { TokenTable } from '../platform/auth/token-table.js';
import { errorBody } from './http-errors.js';
import { httpAuthMiddleware, pathOf } from './http-auth.js';
import { consoleMiddleware } from './static-console.js';
import { importBodyReader } from './import-body.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';

/** Largest JSON body of an ordinary request. */
export const MAX_JSON_BODY = '1mb';
/** Largest database import document (POST /api/database/import), as on gRPC. */
export const MAX_IMPORT_BODY = '64mb';
export const MAX_IMPORT_BODY_BYTES = 64 * 1024 * 1024;
export const IMPORT_PATH = '/api/database/import';

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  message?: string;
}

/**
 * Auth first (before any body is read), then body parsing with bounded sizes
 * (a compressed body is refused as soon as its inflated size passes the limit),
 * parse errors in the API's error shape, the console, and the API docs (behind auth).
 */
export function setupHttp(app: NestExpressApplication, tokens: TokenTable, webDir: string): void {
  const logger = new Logger('HTTP');
  app.use(httpAuthMiddleware(tokens));
  // The import document is read as bytes (any content type) and handed on as they came: the import's child process decodes, parses and checks it.
  app.use(importBodyReader((req: IncomingMessage) => req.method === 'POST' && pathOf(req) === IMPORT_PATH, MAX_IMPORT_BODY_BYTES));
  app.useBodyParser('json', { limit: MAX_JSON_BODY });
  app.use((err: BodyParserError, _req: IncomingMessage, res: ServerResponse, next: (e?: unknown) => void) => {
    if (!err?.type || res.headersSent) return next(err);
    let status = err.status ?? err.statusCode ?? 400;
    let body;
    if (err.type === 'entity.too.large') {
      status = 413;
      body = errorBody('RESOURCE_EXHAUSTED', 'HTTP.BODY_TOO_LARGE', 'The request body is larger than this server accepts.');
    } else if (err.type === 'entity.parse.failed') {
      status = 400;
      body = errorBody('INVALID_ARGUMENT', 'HTTP.MALFORMED_JSON', `The request body is not valid JSON: ${err.message ?? ''}`);
    } else {
      logger.warn(`request body refused: ${err.type}`);
      body = errorBody('INVALID_ARGUMENT', `HTTP.BODY_${err.type.toUpperCase().replace(/\W/g, '_')}`, err.message ?? 'The request body could not be read.');
    }
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  });
  app.use(consoleMiddleware(webDir));
  setupOpenApi(app);
}

/** OpenAPI 3 from the HTTP controllers and the contract's schemas: the UI at /api/docs (served from swagger-ui-dist, no CDN), JSON at /api/openapi.json. */
export function setupOpenApi(app: NestExpressApplication): void {
  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'api/openapi.json', raw: ['json'] });
}
