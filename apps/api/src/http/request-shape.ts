import { invalidArgument } from '@fts/domain';

/**
 * Shape checks at the HTTP edge: a JSON body must be an object and each field
 * must have the proto's type; query parameters must parse. A wrong shape is
 * INVALID_ARGUMENT (400) naming the field; everything else is the handler's.
 * Missing fields take the proto defaults ('' / 0 / false / []), as on gRPC.
 */
const shapeError = (field: string, expected: string) =>
  invalidArgument('HTTP.BAD_FIELD', `Field '${field}' must be ${expected}.`);

export class BodyFields {
  private readonly body: Record<string, unknown>;

  constructor(body: unknown) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw invalidArgument('HTTP.BODY_NOT_OBJECT', 'The request body must be a JSON object (Content-Type: application/json).');
    }
    this.body = body as Record<string, unknown>;
  }

  private value(name: string): unknown {
    const v = this.body[name];
    return v === null ? undefined : v;
  }

  str(name: string): string {
    const v = this.value(name);
    if (v === undefined) return '';
    if (typeof v !== 'string') throw shapeError(name, 'a string');
    return v;
  }

  num(name: string): number {
    const v = this.value(name);
    if (v === undefined) return 0;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw shapeError(name, 'a number');
    return v;
  }

  bool(name: string): boolean {
    const v = this.value(name);
    if (v === undefined) return false;
    if (typeof v !== 'boolean') throw shapeError(name, 'true or false');
    return v;
  }

  strList(name: string): string[] {
    const v = this.value(name);
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw shapeError(name, 'a list of strings');
    return v as string[];
  }

  objects(name: string): BodyFields[] {
    const v = this.value(name);
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw shapeError(name, 'a list of objects');
    return v.map((x, i) => {
      if (x === null || typeof x !== 'object' || Array.isArray(x)) throw shapeError(`${name}[${i}]`, 'an object');
      return new BodyFields(x);
    });
  }
}

type QueryValue = string | string[] | undefined;

const single = (name: string, v: QueryValue): string | undefined => {
  if (Array.isArray(v)) {
    if (v.length > 1) throw invalidArgument('HTTP.BAD_QUERY', `Query parameter '${name}' must be given once.`);
    return v[0];
  }
  return v;
};

export function queryStr(name: string, v: QueryValue): string {
  return single(name, v) ?? '';
}

export function queryList(name: string, v: QueryValue): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).filter((s) => s !== '');
}

/** An integer query parameter in [min, max]; `fallback` when absent or empty. */
export function queryInt(name: string, v: QueryValue, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const s = single(name, v);
  if (s === undefined || s === '') return fallback;
  const n = Number(s);
  if (!/^-?\d+$/.test(s.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw invalidArgument('HTTP.BAD_QUERY', `Query parameter '${name}' must be a whole number from ${min} to ${max}; got '${s.slice(0, 100)}'.`);
  }
  return n;
}

export function queryBool(name: string, v: QueryValue): boolean {
  const s = single(name, v);
  if (s === undefined || s === '' || s === 'false' || s === '0') return false;
  if (s === 'true' || s === '1') return true;
  throw invalidArgument('HTTP.BAD_QUERY', `Query parameter '${name}' must be true or false.`);
}

/** page_size and page_token, as the List RPCs take them. */
export function pageOf(q: { page_size?: QueryValue; page_token?: QueryValue }) {
  return { page_size: queryInt('page_size', q.page_size, 0, 0, 1_000_000), page_token: queryStr('page_token', q.page_token) };
}
