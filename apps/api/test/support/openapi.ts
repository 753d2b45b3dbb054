/**
 * The served OpenAPI document as a checker: every $ref it holds, and a JSON
 * schema validator (ajv, with OpenAPI 3.0's `nullable`) of an answer against
 * the schema the document declares for that route and status.
 */
import { Ajv } from 'ajv';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Doc = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every `$ref` in the document, with where it is. */
export function refsOf(node: unknown, at = '#', out: { at: string; ref: string }[] = []): { at: string; ref: string }[] {
  if (Array.isArray(node)) node.forEach((v, i) => refsOf(v, `${at}/${i}`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push({ at, ref: v });
      else refsOf(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
    }
  }
  return out;
}

/** The value a local `#/...` JSON pointer names in the document, or undefined. */
export function resolvePointer(doc: Doc, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export interface Operation {
  method: string;
  path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  op: Record<string, any>;
}

export function operationsOf(doc: Doc): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Doc)) for (const method of METHODS) if (item[method]) out.push({ method, path, op: item[method] });
  return out;
}

/** The operation whose path template matches a concrete path (`/api/jobs/{id}/logs` ← `/api/jobs/abc/logs`). */
export function operationFor(doc: Doc, method: string, urlPath: string): Operation | undefined {
  const path = urlPath.split('?')[0];
  return operationsOf(doc).find((o) => {
    if (o.method !== method.toLowerCase()) return false;
    const re = new RegExp(`^${o.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return re.test(path);
  });
}

export class OpenApiChecker {
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });

  constructor(readonly doc: Doc) {
    this.ajv.addSchema({ $id: 'openapi.json', components: doc.components }, 'openapi.json');
  }

  /** Compiles every component schema (a broken one throws here). */
  compileAll(): string[] {
    const names = Object.keys(this.doc.components.schemas);
    for (const n of names) this.schemaFn(n);
    return names;
  }

  private schemaFn(name: string) {
    const fn = this.ajv.getSchema(`openapi.json#/components/schemas/${name}`);
    if (!fn) throw new Error(`no schema ${name}`);
    return fn;
  }

  /**
   * Problems of one answer: its status must be declared (or fall under `default`), and a JSON
   * body must validate against the declared schema. An empty list: it matches.
   */
  check(method: string, urlPath: string, status: number, contentType: string | null, body: unknown): string[] {
    const found = operationFor(this.doc, method, urlPath);
    if (!found) return [`${method} ${urlPath}: no such operation in the document`];
    const declared = found.op.responses?.[String(status)] ?? (status >= 400 ? found.op.responses?.default : undefined);
    if (!declared) return [`${method} ${urlPath}: status ${status} is not declared (declared: ${Object.keys(found.op.responses ?? {}).join(', ')})`];
    const media = Object.keys(declared.content ?? {});
    if (media.length === 0) return body === undefined || body === '' ? [] : [`${method} ${urlPath}: ${status} declares no content, got some`];
    const type = (contentType ?? '').split(';')[0].trim();
    if (!media.includes(type)) return [`${method} ${urlPath}: ${status} answered ${type}, declared ${media.join(', ')}`];
    if (type !== 'application/json') return [];
    const schema = declared.content[type].schema as { $ref?: string };
    const name = schema.$ref?.replace('#/components/schemas/', '');
    if (!name) return [`${method} ${urlPath}: ${status} has an inline schema; the contract uses components`];
    return this.validate(name, body).map((e) => `${method} ${urlPath} (${status}, ${name}): ${e}`);
  }

  /** Problems of `value` against the component schema `name`. */
  validate(name: string, value: unknown): string[] {
    const fn = this.schemaFn(name);
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}
