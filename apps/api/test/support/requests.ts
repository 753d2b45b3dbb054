/**
 * Builds requests for any RPC from the .proto's own descriptors: every field
 * filled with a chosen value by type (strings, integers, floats, bools,
 * nested and repeated messages), for input fuzzing across the whole service.
 */
import type { ServiceDefinition } from '@grpc/proto-loader';
import { packageDefinition, type Msg } from './grpc-client.js';

interface FieldDescriptor {
  name: string;
  label: string;
  type: string;
  typeName: string;
}

export interface Fill {
  str: string;
  int: number;
  float: number;
  bool: boolean;
}

function messageFields(typeName: string): FieldDescriptor[] {
  const def = packageDefinition()[`fine_tuning_studio.${typeName}`] as unknown as { type: { field: FieldDescriptor[] } } | undefined;
  if (!def) throw new Error(`no message ${typeName}`);
  return def.type.field;
}

export function requestTypeName(rpc: string): string {
  const svc = packageDefinition()['fine_tuning_studio.FineTuningStudio'] as ServiceDefinition;
  const m = svc[rpc] as unknown as { requestType: { type: { name: string } } };
  return m.requestType.type.name;
}

export function isStreaming(rpc: string): boolean {
  const svc = packageDefinition()['fine_tuning_studio.FineTuningStudio'] as ServiceDefinition;
  return svc[rpc].responseStream;
}

/** A message of `typeName` with every field set from `fill` (depth-bounded). */
export function fillMessage(typeName: string, fill: Fill, depth = 0): Msg {
  const out: Msg = {};
  for (const f of messageFields(typeName)) {
    let v: unknown;
    switch (f.type) {
      case 'TYPE_STRING':
        v = fill.str;
        break;
      case 'TYPE_BYTES':
        v = Buffer.from(fill.str);
        break;
      case 'TYPE_BOOL':
        v = fill.bool;
        break;
      case 'TYPE_FLOAT':
      case 'TYPE_DOUBLE':
        v = fill.float;
        break;
      case 'TYPE_INT32':
      case 'TYPE_INT64':
      case 'TYPE_SINT32':
      case 'TYPE_SINT64':
        v = fill.int;
        break;
      case 'TYPE_UINT32':
      case 'TYPE_UINT64':
        v = Math.abs(fill.int);
        break;
      case 'TYPE_MESSAGE':
        if (depth > 3) continue;
        v = fillMessage(f.typeName.split('.').pop()!, fill, depth + 1);
        break;
      default:
        continue;
    }
    out[f.name] = f.label === 'LABEL_REPEATED' ? [v, v] : v;
  }
  return out;
}

export function fillRequest(rpc: string, fill: Fill): Msg {
  return fillMessage(requestTypeName(rpc), fill);
}
