import type { ModelAdded, ModelRemoved } from './model.events.js';
import type { NewEventOf } from '../shared/event.js';
import type { ModelRow } from '../catalog/tables.js';
import type { CatalogReader } from '../shared/catalog.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import { alreadyExists, invalidArgument } from '../shared/domain-error.js';
import { isBlank, requireFields, requireMaxLength, requireNotBlank } from '../shared/validation.js';
import { streamIdOf } from '../catalog/catalog.projection.js';
import { requireHuggingFaceRepoId } from '../datasets/huggingface-name.js';
import { MAX_PATH_LENGTH } from '../datasets/dataset.decider.js';
import { modelNotFound } from './models.errors.js';
import type { AddModel, ModelPlan, ModelSource, RemoveModel } from './model.commands.js';

export const MODEL_STREAM = 'model';

const nameTaken = (read: CatalogReader, name: string) =>
  read.find('models', { name }).length > 0 || read.find('models', { huggingface_model_name: name }).length > 0;

const refuseTakenName = (read: CatalogReader, name: string) => {
  if (nameTaken(read, name)) throw alreadyExists('MODEL.NAME_TAKEN', `Model with name '${name}' already exists.`);
};

/** The last segment of a request path, without touching the filesystem ('' for `.`, `..` or the root). */
export function lastPathSegment(p: string): string {
  const parts = p.trim().split(/[\\/]+/).filter((s) => s !== '');
  const last = parts[parts.length - 1] ?? '';
  return last === '.' || last === '..' ? '' : last;
}

/**
 * The checks of AddModel that need no I/O. The original checked the Hugging
 * Face name for every type and imported nothing but `huggingface` and
 * `model_registry`; here each type checks its own fields, and `project`
 * imports a model folder from the project.
 */
export function checkAddModel(cmd: AddModel, read: CatalogReader): ModelPlan {
  requireFields('AddModelRequest', { type: cmd.type });
  requireMaxLength({
    type: cmd.type,
    huggingface_name: cmd.huggingface_name,
    model_registry_id: cmd.model_registry_id,
    name: cmd.name,
  });
  requireMaxLength({ location: cmd.location }, MAX_PATH_LENGTH);

  switch (cmd.type) {
    case 'huggingface': {
      if (isBlank(cmd.huggingface_name)) {
        throw invalidArgument('MODEL.NAME_BLANK', 'Hugging Face model name cannot be an empty string or only spaces.');
      }
      const name = cmd.huggingface_name.trim();
      requireHuggingFaceRepoId(name, 'Model', 'MODEL.HF_NAME_INVALID');
      refuseTakenName(read, name);
      return { kind: 'huggingface', type: 'huggingface', huggingface_name: name };
    }
    case 'project': {
      requireFields('AddModelRequest', { location: cmd.location });
      requireNotBlank({ location: cmd.location ?? '' });
      const location = (cmd.location ?? '').trim();
      const name = (cmd.name ?? '').trim() || lastPathSegment(location) || undefined;
      if (name) refuseTakenName(read, name);
      return { kind: 'project', type: 'project', location, ...(name ? { name } : {}) };
    }
    case 'model_registry': {
      requireFields('AddModelRequest', { model_registry_id: cmd.model_registry_id });
      requireNotBlank({ model_registry_id: cmd.model_registry_id });
      const id = cmd.model_registry_id.trim();
      if (read.find('models', { cml_registered_model_id: id }).length > 0) {
        throw alreadyExists('MODEL.REGISTRY_TAKEN', `Model registry model '${id}' has already been added.`);
      }
      return { kind: 'model_registry', type: 'model_registry', model_registry_id: id };
    }
    default:
      throw invalidArgument('MODEL.TYPE_UNSUPPORTED', 'ERROR: Cannot import model of this type.');
  }
}

/**
 * Records a model from the facts the handler looked up (`source`), after
 * repeating every check on current state.
 */
export function addModel(cmd: AddModel, source: ModelSource, ctx: DecideContext): Decision<ModelRow, NewEventOf<ModelAdded>> {
  const plan = checkAddModel(cmd, ctx.read);
  const id = ctx.newId();
  const base: ModelRow = {
    id,
    type: plan.type,
    framework: null,
    name: null,
    description: null,
    huggingface_model_name: null,
    location: null,
    cml_registered_model_id: null,
    mlflow_experiment_id: null,
    mlflow_run_id: null,
    model_family: source.model_family || null,
    created_at: ctx.now,
  };
  let row: ModelRow;
  if (plan.kind === 'huggingface') {
    row = { ...base, name: plan.huggingface_name, huggingface_model_name: plan.huggingface_name };
  } else {
    const name = plan.kind === 'project' ? (plan.name ?? source.name?.trim()) : source.name?.trim();
    if (!name) throw invalidArgument('MODEL.NAME_BLANK', 'Model name cannot be an empty string or only spaces.');
    requireMaxLength({ name });
    refuseTakenName(ctx.read, name);
    row =
      plan.kind === 'project'
        ? { ...base, name, location: source.location ?? plan.location }
        : {
            ...base,
            name,
            cml_registered_model_id: source.cml_registered_model_id ?? plan.model_registry_id,
            mlflow_experiment_id: source.mlflow_experiment_id ?? null,
            mlflow_run_id: source.mlflow_run_id ?? null,
          };
  }
  return {
    events: [{ type: 'ModelAdded', streamId: streamIdOf(MODEL_STREAM, id), streamType: MODEL_STREAM, data: { row }, expectedVersion: 0 }],
    result: row,
  };
}

export function removeModel(cmd: RemoveModel, ctx: DecideContext): Decision<void, NewEventOf<ModelRemoved>> {
  requireFields('RemoveModelRequest', { id: cmd.id });
  if (!ctx.read.get('models', cmd.id)) throw modelNotFound(cmd.id);
  return {
    events: [{ type: 'ModelRemoved', streamId: streamIdOf(MODEL_STREAM, cmd.id), streamType: MODEL_STREAM, data: { id: cmd.id } }],
    result: undefined,
  };
}

export function getModel(read: CatalogReader, id: string): ModelRow {
  const row = id ? read.get('models', id) : undefined;
  if (!row) throw modelNotFound(id);
  return row;
}
