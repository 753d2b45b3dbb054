import type { ModelExportRow, NewRow } from '../catalog/tables.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import { alreadyExists, failedPrecondition, invalidArgument } from '../shared/domain-error.js';
import { adapterNotFound } from '../adapters/adapters.errors.js';
import { modelNotFound } from '../models/models.errors.js';
import { MAX_FIELD_LENGTH, requireFields, requireMaxLength, requireNotBlank } from '../shared/validation.js';
import { streamIdOf } from '../catalog/catalog.projection.js';
import { parseJobConfig, validateOptionalResources } from '../jobs/job-numbers.validation.js';
import { JOB_QUEUED, JOB_QUEUED_MESSAGE } from '../jobs/job.commands.js';
import { LIVE_STATUSES } from '../lifecycle/job.machine.js';
import {
  DEFAULT_EXPORT_GENERATION_CONFIG,
  DEFAULT_EXPORT_RESOURCES,
  MODEL_EXPORT_TYPES,
  type ExportFolderFact,
  type ExportModel,
  type ModelExportResult,
} from './model-export.commands.js';

export const MODEL_EXPORT_STREAM = 'model_export';
const REQUEST = 'ExportModelRequest';

export const MLFLOW_NOT_CONFIGURED_MESSAGE =
  'Model registry export needs MLflow: set MLFLOW_TRACKING_URI (and the CML API for registration).';

/**
 * ExportModel (spec/behaviour.md §1 Models): the type first, then the
 * shared checks with the correct message name (the original said
 * StartEvaluationJobRequest), then what each export type needs, as
 * FAILED_PRECONDITION where the original failed an assertion. The export
 * itself is work for a runner: this records the request as a stream of its
 * own, `queued`, and hands back its id.
 *
 * Types:
 *   model_registry  merge, then log + register with MLflow (needs MLFLOW_TRACKING_URI)
 *   cml_model       CML model + build + auto-deployment (needs the CML API and a project adapter)
 *   project         merge into `artifact_location`, an empty or new folder in the project (new here)
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
  if (cmd.type === 'project') {
    requireFields(REQUEST, { artifact_location: cmd.artifact_location });
    requireNotBlank({ artifact_location: cmd.artifact_location });
  }

  const model = ctx.read.get('models', cmd.base_model_id.trim());
  if (!model) throw modelNotFound(cmd.base_model_id);
  const adapter = ctx.read.get('adapters', cmd.adapter_id.trim());
  if (!adapter) throw adapterNotFound(cmd.adapter_id);
  const generationConfig = cmd.generation_config ? parseJobConfig('generation_config', cmd.generation_config).text : DEFAULT_EXPORT_GENERATION_CONFIG;
  const resources = resourcesOf(cmd);
  validateOptionalResources(cmd);

  let artifactLocation: string | null = cmd.artifact_location || null;
  if (cmd.type === 'project') {
    if (model.type !== 'huggingface' && model.type !== 'project') {
      throw failedPrecondition(
        'MODEL_EXPORT.BASE_MODEL_NOT_LOADABLE',
        `Model export of type 'project' needs a Hugging Face or project base model; model '${model.id}' is of type '${model.type}'.`,
      );
    }
    artifactLocation = targetFolder(cmd.artifact_location.trim(), cmd.artifact_location_fact, ctx);
  } else if (model.type !== 'huggingface') {
    throw failedPrecondition(
      'MODEL_EXPORT.BASE_MODEL_NOT_HUGGINGFACE',
      `Model export of type '${cmd.type}' needs a Hugging Face base model; model '${model.id}' is of type '${model.type}'.`,
    );
  }
  if (cmd.type === 'model_registry' && !cmd.mlflow_configured) {
    throw failedPrecondition('MODEL_EXPORT.MLFLOW_NOT_CONFIGURED', MLFLOW_NOT_CONFIGURED_MESSAGE);
  }
  if (cmd.type === 'cml_model') {
    if (adapter.type !== 'project') {
      throw failedPrecondition(
        'MODEL_EXPORT.ADAPTER_NOT_PROJECT',
        `Model export of type 'cml_model' needs an adapter stored in the project; adapter '${adapter.id}' is of type '${adapter.type}'.`,
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
  const deploys = cmd.type === 'cml_model';
  const row: NewRow<ModelExportRow> = {
    id,
    type: cmd.type,
    base_model_id: model.id,
    adapter_id: adapter.id,
    model_name: cmd.model_name.trim(),
    artifact_location: artifactLocation,
    model_description: cmd.model_description || null,
    generation_config: generationConfig,
    status: JOB_QUEUED,
    status_message: JOB_QUEUED_MESSAGE,
    created_at: ctx.now,
    updated_at: ctx.now,
    cpu: resources.cpu,
    memory: resources.memory,
    gpu: resources.gpu,
    replicas: deploys ? resources.replicas : null,
    disable_authentication: deploys ? (cmd.disable_authentication ? 1 : 0) : null,
  };
  return {
    events: [
      { type: 'ModelExportRequested', streamId: streamIdOf(MODEL_EXPORT_STREAM, id), streamType: MODEL_EXPORT_STREAM, data: { row }, expectedVersion: 0 },
    ],
    result: { base_model_id: model.id, adapter_id: adapter.id, export_id: id, status: JOB_QUEUED },
  };
}

/** cpu, memory, gpu, replicas: whole numbers ≥ 0, where 0 (proto3's unset) means the default. */
function resourcesOf(cmd: ExportModel): { cpu: number; memory: number; gpu: number; replicas: number } {
  const pick = (field: 'cpu' | 'memory' | 'gpu' | 'replicas', unit: string) => {
    const v = cmd[field] ?? 0;
    const fallback = DEFAULT_EXPORT_RESOURCES[field];
    if (!(Number.isInteger(v) && v >= 0)) {
      throw invalidArgument(
        'MODEL_EXPORT.RESOURCES_INVALID',
        `Field '${field}' must be a whole number of ${unit}, or 0 for the default (${fallback}).`,
      );
    }
    return v === 0 ? fallback : v;
  };
  return { cpu: pick('cpu', 'CPUs'), memory: pick('memory', 'GB'), gpu: pick('gpu', 'GPUs'), replicas: pick('replicas', 'replicas') };
}

/**
 * A `project` export's folder: inside the project, a folder that does not
 * exist yet or has no files, and not the target of another export that is
 * still running. Returns the project-relative path that is stored.
 */
function targetFolder(requested: string, fact: ExportFolderFact | undefined, ctx: DecideContext): string {
  if (!fact) throw invalidArgument('MODEL_EXPORT.ARTIFACT_LOCATION_INVALID', `Folder '${requested}' could not be checked.`);
  if (fact.kind === 'refused') throw fact.error;
  if (fact.kind === 'file' || fact.kind === 'other') {
    throw invalidArgument(
      'MODEL_EXPORT.ARTIFACT_LOCATION_NOT_FOLDER',
      `'${requested}' is not a folder; choose an empty or new folder for the merged model.`,
    );
  }
  if (fact.kind === 'directory') {
    throw alreadyExists('MODEL_EXPORT.ARTIFACT_LOCATION_NOT_EMPTY', `Folder '${requested}' already has files; choose an empty or new folder.`);
  }
  const busy = ctx.read
    .find('model_exports', { type: 'project', artifact_location: fact.relative })
    .find((r) => (LIVE_STATUSES as readonly string[]).includes(r.status ?? ''));
  if (busy) {
    throw alreadyExists(
      'MODEL_EXPORT.ARTIFACT_LOCATION_NOT_EMPTY',
      `Folder '${requested}' is the target of model export '${busy.id}', which has not finished; choose an empty or new folder.`,
    );
  }
  return fact.relative;
}
