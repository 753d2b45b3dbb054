import type { Row } from '../shared/catalog.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import { failedPrecondition, invalidArgument, notFound } from '../shared/domain-error.js';
import { MAX_FIELD_LENGTH, requireFields, requireMaxLength, requireNotBlank } from '../shared/validation.js';
import { streamIdOf } from '../catalog/catalog.projection.js';
import { parseJsonContent } from '../configs/config.content.js';
import { JOB_QUEUED, JOB_QUEUED_MESSAGE } from '../jobs/job.commands.js';
import {
  DEFAULT_EXPORT_GENERATION_CONFIG,
  MODEL_EXPORT_TYPES,
  type ExportModel,
  type ModelExportResult,
} from './model-export.commands.js';

export const MODEL_EXPORT_STREAM = 'model_export';
const REQUEST = 'ExportModelRequest';

/**
 * ExportModel (spec/behaviour.md §1 Models): the type first, then the
 * shared checks with the correct message name (the original said
 * StartEvaluationJobRequest), then what each export type needs, as
 * FAILED_PRECONDITION where the original failed an assertion. The export
 * itself is work for a runner: this records the request as a stream of its
 * own, `queued`, and hands back its id.
 */
export function exportModel(cmd: ExportModel, ctx: DecideContext): Decision<ModelExportResult> {
  requireFields(REQUEST, { type: cmd.type });
  requireMaxLength({ type: cmd.type });
  if (!(MODEL_EXPORT_TYPES as readonly string[]).includes(cmd.type)) {
    throw invalidArgument('MODEL_EXPORT.TYPE_UNSUPPORTED', `Model export of type '${cmd.type}' is not supported.`);
  }
  requireFields(REQUEST, { base_model_id: cmd.base_model_id, adapter_id: cmd.adapter_id, model_name: cmd.model_name });
  requireMaxLength({
    base_model_id: cmd.base_model_id,
    adapter_id: cmd.adapter_id,
    model_name: cmd.model_name,
    artifact_location: cmd.artifact_location,
  });
  requireMaxLength({ model_description: cmd.model_description, generation_config: cmd.generation_config }, MAX_FIELD_LENGTH);
  requireNotBlank({ base_model_id: cmd.base_model_id, adapter_id: cmd.adapter_id, model_name: cmd.model_name });

  const model = ctx.read.get('models', cmd.base_model_id.trim());
  if (!model) throw notFound('MODEL.NOT_FOUND', `Model with ID '${cmd.base_model_id}' does not exist.`);
  const adapter = ctx.read.get('adapters', cmd.adapter_id.trim());
  if (!adapter) throw notFound('ADAPTER.NOT_FOUND', `Adapter with ID '${cmd.adapter_id}' does not exist.`);
  const generationConfig = cmd.generation_config
    ? parseJsonContent(cmd.generation_config, "Field 'generation_config'").text
    : DEFAULT_EXPORT_GENERATION_CONFIG;

  if (model.type !== 'huggingface') {
    throw failedPrecondition(
      'MODEL_EXPORT.BASE_MODEL_NOT_HUGGINGFACE',
      `Model export of type '${cmd.type}' needs a Hugging Face base model; model '${String(model.id)}' is of type '${String(model.type)}'.`,
    );
  }
  if (cmd.type === 'cml_model') {
    if (adapter.type !== 'project') {
      throw failedPrecondition(
        'MODEL_EXPORT.ADAPTER_NOT_PROJECT',
        `Model export of type 'cml_model' needs an adapter stored in the project; adapter '${String(adapter.id)}' is of type '${String(adapter.type)}'.`,
      );
    }
    if (!cmd.cml_configured) {
      throw failedPrecondition(
        'MODEL_EXPORT.CML_NOT_CONFIGURED',
        "Model export of type 'cml_model' needs the CML API: set CDSW_API_URL, CDSW_APIV2_KEY and CDSW_PROJECT_ID for the server.",
      );
    }
  }

  const id = ctx.newId();
  const row: Row = {
    id,
    type: cmd.type,
    base_model_id: String(model.id),
    adapter_id: String(adapter.id),
    model_name: cmd.model_name.trim(),
    artifact_location: cmd.artifact_location || null,
    model_description: cmd.model_description || null,
    generation_config: generationConfig,
    status: JOB_QUEUED,
    status_message: JOB_QUEUED_MESSAGE,
    created_at: ctx.now,
    updated_at: ctx.now,
  };
  return {
    events: [
      { type: 'ModelExportRequested', streamId: streamIdOf(MODEL_EXPORT_STREAM, id), streamType: MODEL_EXPORT_STREAM, data: { row }, expectedVersion: 0 },
    ],
    result: { base_model_id: String(model.id), adapter_id: String(adapter.id), export_id: id, status: JOB_QUEUED },
  };
}
