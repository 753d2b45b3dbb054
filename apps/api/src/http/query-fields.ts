import { invalidArgument } from '@fts/domain';
import type { WireFields } from '../platform/transport/wire-fields.js';
import { queryBool, queryInt, queryList, queryStr } from './request-shape.js';

type Query = Record<string, string | string[] | undefined>;

/** Query parameters as a request's fields: whole numbers from 0, true/false, comma-separated lists. */
export function queryFields(q: Query): WireFields {
  return {
    str: (name) => queryStr(name, q[name]),
    num: (name) => queryInt(name, q[name], 0),
    bool: (name) => queryBool(name, q[name]),
    strList: (name) => queryList(name, q[name]),
    objects: (name) => {
      if (q[name] === undefined) return [];
      throw invalidArgument('HTTP.BAD_QUERY', `Query parameter '${name}' cannot be given in the query string.`);
    },
  };
}
