import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { errorBody } from './http-errors.js';
import { consoleMiddleware, webDirOf } from './static-console.js';

/** Largest JSON body of an ordinary request. */
export const MAX_JSON_BODY = '1mb';
/** Largest database import document (POST /api/database/import), as on gRPC. */
export const MAX_IMPORT_BODY = '64mb';
export const IMPORT_PATH = '/api/database/import';

/** Routes read by EventSource, which cannot set headers: `?access_token=` stands for the bearer token there. */
const SSE_PATH = /^\/api\/(events\/stream|jobs\/[^/]+\/(updates|logs\/stream))\/?$/;

interface BodyParserError {
  type?: string;
  status?: number;
  statusCode?: number;
  message?: string;
}

const pathOf = (req: IncomingMessage) => (req.url ?? '/').split('?')[0];

/** Body parsing with bounded sizes, parse errors in the API's error shape, and the SSE token. */
export function setupHttp(app: NestExpressApplication, env: NodeJS.ProcessEnv = process.env): void {
  const logger = new Logger('HTTP');
  app.use((req: IncomingMessage, _res: ServerResponse, next: () => void) => {
    if (!req.headers.authorization && SSE_PATH.test(pathOf(req))) {
      const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('access_token');
      if (token) req.headers.authorization = `Bearer ${token}`;
    }
    next();
  });
  // The import document is read as text (any content type) and handed on as is: the handler parses and checks it.
  app.useBodyParser('text', { type: (req: IncomingMessage) => req.method === 'POST' && pathOf(req) === IMPORT_PATH, limit: MAX_IMPORT_BODY });
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
  app.use(consoleMiddleware(webDirOf(env)));
  setupOpenApi(app);
}

/** OpenAPI 3 from the HTTP controllers: the UI at /api/docs (served from swagger-ui-dist, no CDN), JSON at /api/openapi.json. */
export function setupOpenApi(app: NestExpressApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Fine Tuning Studio HTTP API')
    .setDescription(
      'JSON over HTTP; bodies and responses use the proto field names (snake_case). Errors: {"error": {"code", "reason", "message"}}. ' +
        'Headers: idempotency-key, x-correlation-id, x-actor; authorization: Bearer <FTS_AUTH_TOKEN> when the server has a token ' +
        '(SSE routes also take ?access_token=).',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json', raw: ['json'] });
}
