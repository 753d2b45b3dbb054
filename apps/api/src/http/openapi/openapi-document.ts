import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject, type OperationObject, type ResponsesObject } from '@nestjs/swagger';
import { PROTO_PACKAGE, PROTO_PATH } from '@fts/proto';
import { CONTRACT_EXTENSION, QUERY_PARAMETERS, type RouteContract } from './api-contract.js';
import { HTTP_SCHEMAS } from './http-schemas.js';
import { protoSchemas, ref, type Schemas } from './proto-schemas.js';

const DESCRIPTION =
  'JSON over HTTP; bodies and responses use the proto field names (snake_case). Errors: {"error": {"code", "reason", "message"}}. ' +
  'Headers: idempotency-key, x-correlation-id, x-actor (recorded only when the server has no token); ' +
  'authorization: Bearer <token> when the server has tokens (FTS_AUTH_TOKEN / FTS_AUTH_TOKENS): 401 without a valid one, ' +
  '403 when its role (viewer: reads; editor: writes and jobs; admin: import, replay, settings) does not allow the call. ' +
  'SSE routes also take ?access_token=; POST /api/auth/session sets a session cookie that authorizes reads only. ' +
  'Schemas: one per proto message (fine_tuning_studio.proto), plus the HTTP-only views.';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** Every component schema: the proto messages, then the HTTP-only ones (a name in both is an error). */
export function contractSchemas(): Schemas {
  const proto = protoSchemas(PROTO_PATH, PROTO_PACKAGE);
  for (const name of Object.keys(HTTP_SCHEMAS)) if (proto[name]) throw new Error(`HTTP schema ${name} has the name of a proto message`);
  return { ...proto, ...HTTP_SCHEMAS };
}

function successResponse(contract: RouteContract): ResponsesObject[string] {
  if (contract.ok === null) return { description: 'Done; no content.' };
  if (contract.as === 'sse') {
    return {
      description: `Server-Sent Events${contract.events ? ` named \`${contract.events}\`` : ''}, each \`data:\` a ${contract.ok} (JSON).`,
      content: { 'text/event-stream': { schema: ref('ServerSentEvents') } },
    };
  }
  if (contract.as === 'download') {
    return {
      description: 'A JSON file (Content-Disposition: attachment), streamed.',
      headers: { 'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename="…"' } },
      content: { 'application/json': { schema: ref(contract.ok) } },
    };
  }
  return { description: contract.ok, content: { 'application/json': { schema: ref(contract.ok) } } };
}

/** Fills an operation from its route's contract: parameters, request body, success and error answers. */
function applyContract(op: OperationObject, contract: RouteContract): void {
  const status = String(contract.status ?? Object.keys(op.responses ?? {}).find((s) => /^2\d\d$/.test(s)) ?? 200);
  for (const group of contract.query ?? []) op.parameters = [...(op.parameters ?? []), ...QUERY_PARAMETERS[group]];
  if (contract.body) {
    op.requestBody = {
      required: !contract.optionalBody,
      ...(contract.rawBody ? { description: 'Read as text whatever the Content-Type, up to 64 MiB.' } : {}),
      content: { 'application/json': { schema: ref(contract.body) } },
    };
  }
  op.responses = {
    [status]: successResponse(contract),
    default: { description: 'An error (4xx/5xx).', content: { 'application/json': { schema: ref('ErrorResponse') } } },
  };
}

const pascal = (s: string) => s.replace(/(^|[-_.])(\w)/g, (_m, _sep, c: string) => c.toUpperCase());

/**
 * An operation id from the method and path (`GET /api/datasets/{id}/rows` → getDatasetsByIdRows), not
 * from the controller class and method names Nest uses: moving a route to another controller changes
 * nothing a generated client sees.
 */
export const operationIdOf = (method: string, path: string): string =>
  method +
  path
    .replace(/^\/api(\/|$)/, '/')
    .split('/')
    .filter(Boolean)
    .map((seg) => (seg.startsWith('{') ? `By${pascal(seg.slice(1, -1))}` : pascal(seg)))
    .join('');

/** Registers the schemas and applies every route's @ApiContract (routes without one are left as Nest made them); stable operation ids. */
export function withContracts(document: OpenAPIObject, schemas: Schemas = contractSchemas()): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...schemas } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (!op) continue;
      op.operationId = operationIdOf(method, path);
      const contract = op[CONTRACT_EXTENSION] as RouteContract | undefined;
      delete op[CONTRACT_EXTENSION];
      if (contract) applyContract(op, contract);
    }
  }
  return document;
}

/** The OpenAPI document of the HTTP controllers, with the contract's schemas. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder().setTitle('Fine Tuning Studio HTTP API').setDescription(DESCRIPTION).setVersion('1').addBearerAuth().build();
  return withContracts(SwaggerModule.createDocument(app, config));
}
