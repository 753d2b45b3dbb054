import type { AdapterComparisonQueued } from './adapter-comparison.events.js';
import type { NewEventOf } from '../shared/event.js';
import type { AdapterComparisonRow } from '../catalog/tables.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import { invalidArgument } from '../shared/domain-error.js';
import { MAX_FIELD_LENGTH, requireFields, requireMaxLength, requireNotBlank } from '../shared/validation.js';
import { streamIdOf } from '../catalog/catalog.projection.js';
import { parseJsonContent } from '../configs/config.content.js';
import { pyJsonStringList } from '@fts/py-compat';
import { isPyDict } from '@fts/py-compat';
import { DEFAULT_EXPORT_GENERATION_CONFIG } from '../exports/model-export.commands.js';
import { JOB_QUEUED, JOB_QUEUED_MESSAGE } from '../jobs/job.commands.js';
import { adapterNotFound } from '../adapters/adapters.errors.js';
import { modelNotFound } from '../models/models.errors.js';
import {
  ADAPTER_COMPARISON_STREAM,
  DEFAULT_COMPARISON_CPU,
  DEFAULT_COMPARISON_GPU,
  DEFAULT_COMPARISON_MEMORY,
  MAX_COMPARISON_ADAPTERS,
  MAX_COMPARISON_INPUT_LENGTH,
  type StartAdapterComparison,
} from './adapter-comparison.commands.js';
import { adapterOfAnotherModel } from './comparisons.errors.js';
import { requireFiniteNumbers, validateOptionalResources } from '../jobs/job-numbers.validation.js';

const REQUEST = 'StartAdapterComparisonRequest';

/** A resource count: 0 takes the default, a negative or fractional one is refused. */
function resource(field: 'cpu' | 'gpu' | 'memory', value: number, fallback: number): number {
  const v = value ?? 0;
  if (!Number.isInteger(v) || v < 0) {
    throw invalidArgument(`ADAPTER_COMPARISON.${field.toUpperCase()}_INVALID`, `Field '${field}' must be a whole number, 0 (the default, ${fallback}) or greater.`);
  }
  return v === 0 ? fallback : v;
}

/**
 * StartAdapterComparison: shape first (required fields, bounds, resources,
 * generation config), then references (the base model, then each adapter,
 * which must exist and, when it names a model, belong to the base model).
 * Records the comparison as its own stream, `queued`, for the supervisor to
 * run like any other job. Defaults: 2 vCPU, 8 GB, 1 GPU; the original's
 * generation config (the one exports use) when none is given.
 */
export function startAdapterComparison(cmd: StartAdapterComparison, ctx: DecideContext): Decision<AdapterComparisonRow, NewEventOf<AdapterComparisonQueued>> {
  const adapterIds = (cmd.adapter_ids ?? []).map((a) => a ?? '');
  // No adapters is allowed: the base model alone is run.
  requireFields(REQUEST, { base_model_id: cmd.base_model_id, input_text: cmd.input_text });
  if (adapterIds.length > MAX_COMPARISON_ADAPTERS) {
    throw invalidArgument(
      'ADAPTER_COMPARISON.TOO_MANY_ADAPTERS',
      `At most ${MAX_COMPARISON_ADAPTERS} adapters can be compared at once; ${adapterIds.length} were given.`,
    );
  }
  requireMaxLength({ base_model_id: cmd.base_model_id });
  adapterIds.forEach((a) => requireMaxLength({ adapter_ids: a }));
  requireMaxLength({ input_text: cmd.input_text }, MAX_COMPARISON_INPUT_LENGTH);
  requireMaxLength({ generation_config: cmd.generation_config }, MAX_FIELD_LENGTH);
  requireNotBlank({ base_model_id: cmd.base_model_id, input_text: cmd.input_text });
  adapterIds.forEach((a) => requireNotBlank({ adapter_ids: a }));
  const cpu = resource('cpu', cmd.cpu, DEFAULT_COMPARISON_CPU);
  const gpu = resource('gpu', cmd.gpu, DEFAULT_COMPARISON_GPU);
  const memory = resource('memory', cmd.memory, DEFAULT_COMPARISON_MEMORY);
  const gpuLabelId = cmd.gpu_label_id ?? 0;
  if (!Number.isInteger(gpuLabelId)) {
    throw invalidArgument('ADAPTER_COMPARISON.GPU_LABEL_INVALID', "Field 'gpu_label_id' must be a whole number.");
  }
  validateOptionalResources(cmd);

  let generationConfig = DEFAULT_EXPORT_GENERATION_CONFIG;
  if (cmd.generation_config && cmd.generation_config.trim() !== '') {
    const parsed = parseJsonContent(cmd.generation_config, "Field 'generation_config'");
    if (!isPyDict(parsed.value)) {
      throw invalidArgument(
        'ADAPTER_COMPARISON.GENERATION_CONFIG_NOT_OBJECT',
        `Field 'generation_config' must be a JSON object, such as {"max_new_tokens": 60}.`,
      );
    }
    requireFiniteNumbers('generation_config', parsed.value);
    generationConfig = parsed.text;
  }

  const baseModelId = cmd.base_model_id.trim();
  if (!ctx.read.get('models', baseModelId)) throw modelNotFound(cmd.base_model_id);
  const seen = new Set<string>();
  const adapters = adapterIds.map((raw) => {
    const id = raw.trim();
    if (seen.has(id)) {
      throw invalidArgument('ADAPTER_COMPARISON.DUPLICATE_ADAPTER', `Adapter '${id}' is listed more than once; list each adapter once.`);
    }
    seen.add(id);
    const adapter = ctx.read.get('adapters', id);
    if (!adapter) throw adapterNotFound(raw);
    const modelId = adapter.model_id ?? '';
    if (modelId && modelId !== baseModelId) throw adapterOfAnotherModel(id, modelId, baseModelId);
    return id;
  });

  const id = ctx.newId();
  const row: AdapterComparisonRow = {
    id,
    base_model_id: baseModelId,
    adapter_ids: pyJsonStringList(adapters),
    input_text: cmd.input_text,
    generation_config: generationConfig,
    cpu,
    gpu,
    memory,
    gpu_label_id: gpuLabelId,
    outputs: null,
    status: JOB_QUEUED,
    status_message: JOB_QUEUED_MESSAGE,
    created_at: ctx.now,
    updated_at: ctx.now,
  };
  return {
    events: [
      {
        type: 'AdapterComparisonQueued',
        streamId: streamIdOf(ADAPTER_COMPARISON_STREAM, id),
        streamType: ADAPTER_COMPARISON_STREAM,
        data: { row },
        expectedVersion: 0,
      },
    ],
    result: row,
  };
}
