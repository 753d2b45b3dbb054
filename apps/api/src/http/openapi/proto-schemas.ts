import protobuf from 'protobufjs';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';

export type Schema = SchemaObject | ReferenceObject;
export type Schemas = Record<string, SchemaObject>;

/** `{ $ref: '#/components/schemas/<name>' }` */
export const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

/**
 * Fields the server sends as JSON `null` where the proto has a double: a NaN
 * (JSON.stringify writes null). Only these; every other float is finite.
 */
const NULLABLE_FIELDS = new Set(['JobCheckpoint.loss', 'JobCheckpoint.eval_loss']);

/**
 * Messages the server always builds whole (a presenter, not a table row): every
 * scalar, list and map field is sent, so the schema marks them required; a
 * message-typed field may still be absent, as in proto3. Rows of the catalog
 * are not here: the HTTP API leaves their NULL columns out.
 */
const FILLED = new Set([
  'PlanFineTuningJobResponse',
  'PlanRows',
  'PlanDroppedRows',
  'PlanRenderedRow',
  'PlanLengths',
  'PlanHistogramBucket',
  'PlanTokens',
  'PlanSteps',
  'PlanMemory',
  'PlanGpuFit',
  'PlanDuration',
  'PlanEvaluationJobResponse',
  'PlanEvaluationRun',
  'PlanEvaluationRow',
  'JobMetricPoint',
  'JobCheckpoint',
  'JobUpdate',
  'JobLogChunk',
  'AdapterComparison',
  'ComparisonOutput',
  'EvaluationRunResult',
  'EvaluationRowResult',
  'ImportReport',
  'ImportTableReport',
  'ExportModelResponse',
  'GetDatasetSplitByAdapterMetadata',
  'RemoveAdapterResponse',
  'RemoveFineTuningJobResponse',
]);

const SCALARS: Record<string, SchemaObject> = {
  string: { type: 'string' },
  bool: { type: 'boolean' },
  bytes: { type: 'string', format: 'byte' },
  int32: { type: 'integer', format: 'int32' },
  sint32: { type: 'integer', format: 'int32' },
  sfixed32: { type: 'integer', format: 'int32' },
  uint32: { type: 'integer', format: 'int32', minimum: 0 },
  fixed32: { type: 'integer', format: 'int32', minimum: 0 },
  // int64 travels as a JSON number (the server loads longs as Number).
  int64: { type: 'integer', format: 'int64' },
  sint64: { type: 'integer', format: 'int64' },
  sfixed64: { type: 'integer', format: 'int64' },
  uint64: { type: 'integer', format: 'int64', minimum: 0 },
  fixed64: { type: 'integer', format: 'int64', minimum: 0 },
  float: { type: 'number', format: 'float' },
  double: { type: 'number', format: 'double' },
};

const describe = (comment: string | null | undefined): { description?: string } => {
  const text = comment?.replace(/\s*\n\s*/g, ' ').trim();
  return text ? { description: text } : {};
};

function valueSchema(type: string, resolved: protobuf.ReflectionObject | null): Schema {
  if (resolved instanceof protobuf.Type) return ref(resolved.name);
  if (resolved instanceof protobuf.Enum) return { type: 'string', enum: Object.keys(resolved.values) };
  const scalar = SCALARS[type];
  if (!scalar) throw new Error(`proto type ${type} has no JSON schema`);
  return { ...scalar };
}

function fieldSchema(message: protobuf.Type, field: protobuf.Field): Schema {
  let schema: Schema;
  if (field instanceof protobuf.MapField) {
    schema = { type: 'object', additionalProperties: valueSchema(field.type, field.resolvedType) };
  } else {
    const value = valueSchema(field.type, field.resolvedType);
    if (NULLABLE_FIELDS.has(`${message.name}.${field.name}`) && !('$ref' in value)) value.nullable = true;
    schema = field.repeated ? { type: 'array', items: value } : value;
  }
  const description = describe(field.comment);
  // A $ref carries no siblings in OpenAPI 3.0: a described message field wraps it in allOf.
  if (description.description && '$ref' in schema) return { allOf: [schema], ...description };
  return { ...schema, ...description };
}

/**
 * A JSON schema per message of the .proto, by message name, as the HTTP API
 * writes them: proto field names; every field optional (the HTTP API leaves
 * NULL columns out) except in the FILLED messages; extra properties allowed
 * (the HTTP rows carry a few columns the gRPC messages do not).
 */
export function protoSchemas(protoPath: string, packageName: string): Schemas {
  const root = new protobuf.Root();
  root.loadSync(protoPath, { keepCase: true, alternateCommentMode: true });
  root.resolveAll();
  const pkg = root.lookup(packageName);
  if (!(pkg instanceof protobuf.Namespace)) throw new Error(`package ${packageName} not found in ${protoPath}`);
  const out: Schemas = {};
  const visit = (ns: protobuf.Namespace) => {
    for (const item of ns.nestedArray) {
      if (item instanceof protobuf.Type) {
        if (out[item.name]) throw new Error(`two proto messages are named ${item.name}`);
        const properties: Record<string, Schema> = {};
        for (const f of item.fieldsArray) properties[f.name] = fieldSchema(item, f);
        const required = FILLED.has(item.name) ? item.fieldsArray.filter((f) => !(f.resolvedType instanceof protobuf.Type) || f.repeated || f.map).map((f) => f.name) : [];
        out[item.name] = { type: 'object', ...describe(item.comment), ...(required.length ? { required } : {}), properties };
      }
      if (item instanceof protobuf.Namespace) visit(item);
    }
  };
  visit(pkg);
  for (const name of FILLED) if (!out[name]) throw new Error(`FILLED names ${name}, which is not a message of ${protoPath}`);
  return out;
}
