/**
 * The fields of one request, whichever transport brought it. A slice's request
 * mapper (`<area>/<verb-noun>.request.ts`) names each field once and reads it
 * through this interface; gRPC hands it the decoded message, HTTP the JSON body
 * (`BodyFields`, which checks each field's type) or the query string
 * (`queryFields`). Absent fields read as the proto defaults: '' / 0 / false / [].
 */
export interface WireFields {
  str(name: string): string;
  num(name: string): number;
  bool(name: string): boolean;
  strList(name: string): string[];
  objects(name: string): WireFields[];
}

type Message = Record<string, unknown>;

/** A decoded gRPC message (proto-loader fills defaults; a missing one still reads as the default). */
export function messageFields(message: object | null | undefined): WireFields {
  const m = (message ?? {}) as Message;
  return {
    str: (name) => (m[name] ?? '') as string,
    num: (name) => (m[name] ?? 0) as number,
    bool: (name) => (m[name] ?? false) as boolean,
    strList: (name) => (m[name] ?? []) as string[],
    objects: (name) => ((m[name] ?? []) as (object | null)[]).map((item) => messageFields(item)),
  };
}
