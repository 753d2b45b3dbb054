import type { PromptRemoved } from '../prompts/prompt.events.js';
import type { DatasetAdded, DatasetRemoved } from './dataset.events.js';
import type { NewEventOf } from '../shared/event.js';
import type { DatasetRow } from '../catalog/tables.js';
import type { CatalogReader } from '../shared/catalog.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import { isBlank, requireFields, requireMaxLength } from '../shared/validation.js';
import { streamIdOf } from '../catalog/catalog.projection.js';
import type { AddDataset, DatasetFileFormat, DatasetPlan, DatasetSource, RemoveDataset } from './dataset.commands.js';
import { requireHuggingFaceRepoId } from './huggingface-name.js';
import { datasetNameBlank, datasetNameTaken, datasetNotFound, datasetTypeUnsupported, datasetWrongSuffix } from './datasets.errors.js';
import { pyJsonStringList } from '@fts/py-compat';

export const DATASET_STREAM = 'dataset';
const PROMPT_STREAM = 'prompt';

/** Longest path a request may carry. */
export const MAX_PATH_LENGTH = 4096;

const FILE_FORMATS: Record<string, DatasetFileFormat> = {
  project_csv: 'csv',
  project_json: 'json',
  project_jsonl: 'jsonl',
};

const hasSuffix = (location: string, format: DatasetFileFormat) => location.trim().toLowerCase().endsWith(`.${format}`);

/**
 * The checks of AddDataset that need no I/O, in the original's order
 * (spec/behaviour.md §1): type, then by type the name/location/suffix checks
 * and the duplicate name. Returns what must be fetched next. The handler runs
 * this before any Hub call or file read, and addDataset runs it again on
 * fresh state inside the write transaction.
 */
export function checkAddDataset(cmd: AddDataset, read: CatalogReader): DatasetPlan {
  requireFields('AddDatasetRequest', { type: cmd.type });
  requireMaxLength({ type: cmd.type, huggingface_name: cmd.huggingface_name, name: cmd.name });
  requireMaxLength({ location: cmd.location }, MAX_PATH_LENGTH);

  if (cmd.type === 'huggingface') {
    requireFields('AddDatasetRequest', { huggingface_name: cmd.huggingface_name });
    if (isBlank(cmd.huggingface_name)) {
      throw datasetNameBlank();
    }
    const name = cmd.huggingface_name.trim();
    requireHuggingFaceRepoId(name, 'Dataset', 'DATASET.HF_NAME_INVALID');
    if (read.find('datasets', { huggingface_name: name }).length > 0 || read.find('datasets', { name }).length > 0) {
      throw datasetNameTaken(name, 'huggingface');
    }
    return { kind: 'huggingface', type: 'huggingface', huggingface_name: name };
  }

  let format = FILE_FORMATS[cmd.type];
  if (format) {
    if (!hasSuffix(cmd.location, format)) {
      throw datasetWrongSuffix(cmd.location, `.${format}`);
    }
  } else if (cmd.type === 'project') {
    // The original accepted `project` and then refused it. Here it means "a
    // project file whose format is its suffix", stored as that concrete type.
    requireFields('AddDatasetRequest', { location: cmd.location });
    const inferred = (['csv', 'jsonl', 'json'] as const).find((f) => hasSuffix(cmd.location, f));
    if (!inferred) {
      throw datasetWrongSuffix(cmd.location, '.csv, .json or .jsonl');
    }
    format = inferred;
  } else {
    throw datasetTypeUnsupported(cmd.type);
  }

  requireFields('AddDatasetRequest', { location: cmd.location });
  if (isBlank(cmd.name)) {
    throw datasetNameBlank();
  }
  const name = cmd.name.trim();
  const type = `project_${format}` as const;
  if (read.find('datasets', { name }).length > 0) {
    throw datasetNameTaken(name, cmd.type);
  }
  return { kind: 'file', type, format, location: cmd.location.trim(), name };
}

/**
 * Records a dataset from the facts the handler fetched (`source`), after
 * repeating every check on current state, so a concurrent add of the same
 * name still gets ALREADY_EXISTS.
 */
export function addDataset(cmd: AddDataset, source: DatasetSource, ctx: DecideContext): Decision<DatasetRow, NewEventOf<DatasetAdded>> {
  const plan = checkAddDataset(cmd, ctx.read);
  const features = pyJsonStringList(source.features.map(String));
  const id = ctx.newId();
  let row: DatasetRow;
  if (plan.kind === 'huggingface') {
    row = {
      id,
      type: plan.type,
      name: plan.huggingface_name,
      description: source.description ?? '',
      huggingface_name: plan.huggingface_name,
      location: null,
      features,
      created_at: ctx.now,
    };
  } else {
    const location = source.location ?? plan.location;
    row = {
      id,
      type: plan.type,
      name: plan.name,
      // The original shows the file as the description; kept for its clients.
      description: location,
      huggingface_name: null,
      location,
      features,
      created_at: ctx.now,
    };
  }
  return {
    events: [{ type: 'DatasetAdded', streamId: streamIdOf(DATASET_STREAM, id), streamType: DATASET_STREAM, data: { row }, expectedVersion: 0 }],
    result: row,
  };
}

/** Removes a dataset and, when asked, every prompt of it, in one command. */
export function removeDataset(cmd: RemoveDataset, ctx: DecideContext): Decision<void, NewEventOf<DatasetRemoved | PromptRemoved>> {
  requireFields('RemoveDatasetRequest', { id: cmd.id });
  if (!ctx.read.get('datasets', cmd.id)) throw datasetNotFound(cmd.id);
  const prompts = cmd.remove_prompts ? ctx.read.find('prompts', { dataset_id: cmd.id }) : [];
  return {
    events: [
      { type: 'DatasetRemoved', streamId: streamIdOf(DATASET_STREAM, cmd.id), streamType: DATASET_STREAM, data: { id: cmd.id } },
      ...prompts.map((p) => ({
        type: 'PromptRemoved' as const,
        streamId: streamIdOf(PROMPT_STREAM, p.id),
        streamType: PROMPT_STREAM,
        data: { id: p.id },
      })),
    ],
    result: undefined,
  };
}

