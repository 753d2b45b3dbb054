import type { AdapterAdded, AdapterRemoved } from './adapter.events.js';
import type { NewEventOf } from '../shared/event.js';
import type { AdapterRow } from '../catalog/tables.js';
import type { CatalogReader } from '../shared/catalog.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import { invalidArgument } from '../shared/domain-error.js';
import { MAX_FIELD_LENGTH, requireFields, requireMaxLength, requireNotBlank } from '../shared/validation.js';
import { streamIdOf } from '../catalog/catalog.projection.js';
import { MAX_PATH_LENGTH } from '../datasets/dataset.decider.js';
import { modelNotFound } from '../models/models.errors.js';
import { fineTuningJobNotFound } from '../jobs/jobs.errors.js';
import { promptNotFound } from '../prompts/prompts.errors.js';
import { adapterNameTaken, adapterNotFound } from './adapters.errors.js';
import type { AddAdapter, AdapterLocation, RemoveAdapter } from './adapter.commands.js';

export const ADAPTER_STREAM = 'adapter';

/** spec/behaviour.md §2 AdapterType. */
export const ADAPTER_TYPES = ['project', 'huggingface', 'model_registry'] as const;

/**
 * AddAdapter checks 1 and 2 of spec/behaviour.md §1 (required, not blank),
 * plus the type (which the original did not validate) and field sizes. Check
 * 3, the location, needs the filesystem: the handler resolves it next.
 */
export function checkAddAdapter(cmd: AddAdapter): { type: string } {
  requireFields('AddAdapterRequest', { name: cmd.name, model_id: cmd.model_id, location: cmd.location });
  requireNotBlank({ name: cmd.name, model_id: cmd.model_id, location: cmd.location });
  requireMaxLength({
    type: cmd.type,
    name: cmd.name,
    model_id: cmd.model_id,
    huggingface_name: cmd.huggingface_name,
    fine_tuning_job_id: cmd.fine_tuning_job_id,
    prompt_id: cmd.prompt_id,
  });
  requireMaxLength({ location: cmd.location }, MAX_PATH_LENGTH);
  requireMaxLength({ description: cmd.description }, MAX_FIELD_LENGTH);
  const type = cmd.type?.trim() || 'project';
  if (!(ADAPTER_TYPES as readonly string[]).includes(type)) {
    throw invalidArgument(
      'ADAPTER.TYPE_UNSUPPORTED',
      `Adapter type '${cmd.type}' is not supported; use one of ${ADAPTER_TYPES.join(', ')}.`,
    );
  }
  return { type };
}

/**
 * Records an adapter whose folder the handler has resolved (check 3), then
 * checks 4 to 7 on current state: the model, the name, the training job and
 * the prompt. Names and ids are stored stripped.
 */
export function addAdapter(cmd: AddAdapter, resolved: AdapterLocation, ctx: DecideContext): Decision<AdapterRow, NewEventOf<AdapterAdded>> {
  const { type } = checkAddAdapter(cmd);
  const modelId = cmd.model_id.trim();
  if (!ctx.read.get('models', modelId)) throw modelNotFound(modelId);
  const name = cmd.name.trim();
  if (ctx.read.find('adapters', { name }).length > 0) {
    throw adapterNameTaken(name);
  }
  const jobId = cmd.fine_tuning_job_id?.trim() || null;
  if (jobId && !ctx.read.get('fine_tuning_jobs', jobId)) {
    throw fineTuningJobNotFound(jobId);
  }
  const promptId = cmd.prompt_id?.trim() || null;
  if (promptId && !ctx.read.get('prompts', promptId)) {
    throw promptNotFound(promptId);
  }
  const id = ctx.newId();
  const row: AdapterRow = {
    id,
    type,
    name,
    description: cmd.description?.trim() || null,
    huggingface_name: cmd.huggingface_name?.trim() || null,
    model_id: modelId,
    location: resolved.location,
    fine_tuning_job_id: jobId,
    prompt_id: promptId,
    cml_registered_model_id: null,
    mlflow_experiment_id: null,
    mlflow_run_id: null,
    created_at: ctx.now,
  };
  return {
    events: [{ type: 'AdapterAdded', streamId: streamIdOf(ADAPTER_STREAM, id), streamType: ADAPTER_STREAM, data: { row }, expectedVersion: 0 }],
    result: row,
  };
}

export function removeAdapter(cmd: RemoveAdapter, ctx: DecideContext): Decision<void, NewEventOf<AdapterRemoved>> {
  requireFields('RemoveAdapterRequest', { id: cmd.id });
  if (!ctx.read.get('adapters', cmd.id)) throw adapterNotFound(cmd.id);
  return {
    events: [{ type: 'AdapterRemoved', streamId: streamIdOf(ADAPTER_STREAM, cmd.id), streamType: ADAPTER_STREAM, data: { id: cmd.id } }],
    result: undefined,
  };
}

export function getAdapter(read: CatalogReader, id: string): AdapterRow {
  const row = id ? read.get('adapters', id) : undefined;
  if (!row) throw adapterNotFound(id);
  return row;
}
