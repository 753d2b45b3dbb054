import type { Row } from '../shared/catalog.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import { alreadyExists, invalidArgument, notFound } from '../shared/domain-error.js';
import { requireFields, requireMaxLength, MAX_FIELD_LENGTH } from '../shared/validation.js';
import { streamIdOf } from '../catalog/catalog.projection.js';
import type { AddPrompt, RemovePrompt } from './prompt.commands.js';
import { templateSlots } from './prompt.slots.js';

export const PROMPT_STREAM = 'prompt';

/** The checks of AddPrompt that need no state: required fields, a name that is not blank, sizes. */
export function checkAddPrompt(cmd: AddPrompt): void {
  requireFields('PromptMetadata', {
    id: cmd.id,
    name: cmd.name,
    dataset_id: cmd.dataset_id,
    prompt_template: cmd.prompt_template,
    input_template: cmd.input_template,
    completion_template: cmd.completion_template,
  });
  if (cmd.name.trim() === '') {
    throw invalidArgument('PROMPT.NAME_BLANK', 'Prompt name cannot be an empty string or only spaces.');
  }
  requireMaxLength({ id: cmd.id, name: cmd.name, dataset_id: cmd.dataset_id });
  requireMaxLength(
    { prompt_template: cmd.prompt_template, input_template: cmd.input_template, completion_template: cmd.completion_template },
    MAX_FIELD_LENGTH,
  );
}

export function addPrompt(cmd: AddPrompt, ctx: DecideContext): Decision<Row> {
  checkAddPrompt(cmd);
  const name = cmd.name.trim();
  if (ctx.read.find('prompts', { name }).length > 0) {
    throw alreadyExists('PROMPT.NAME_TAKEN', `Prompt name '${name}' already exists.`);
  }
  if (ctx.read.get('prompts', cmd.id) || ctx.read.streamVersion(streamIdOf(PROMPT_STREAM, cmd.id)) > 0) {
    throw alreadyExists('PROMPT.ID_TAKEN', `Prompt with ID '${cmd.id}' already exists.`);
  }
  const dataset = ctx.read.get('datasets', cmd.dataset_id);
  if (!dataset) throw notFound('DATASET.NOT_FOUND', `Dataset with ID '${cmd.dataset_id}' does not exist.`);
  checkSlots(cmd, dataset);

  const row: Row = {
    id: cmd.id,
    type: cmd.type || 'in_place',
    name,
    description: cmd.description || null,
    dataset_id: cmd.dataset_id,
    prompt_template: cmd.prompt_template,
    input_template: cmd.input_template,
    completion_template: cmd.completion_template,
    created_at: ctx.now,
  };
  return {
    events: [{ type: 'PromptAdded', streamId: streamIdOf(PROMPT_STREAM, cmd.id), streamType: PROMPT_STREAM, data: { row }, expectedVersion: 0 }],
    result: row,
  };
}

/** Every `{slot}` must be one of the dataset's features (when the dataset's features are known). */
function checkSlots(cmd: AddPrompt, dataset: Row): void {
  let features: string[] = [];
  try {
    const parsed: unknown = JSON.parse(String(dataset.features ?? '[]'));
    if (Array.isArray(parsed)) features = parsed.map(String);
  } catch {
    features = [];
  }
  if (features.length === 0) return;
  for (const [field, template] of [
    ['prompt_template', cmd.prompt_template],
    ['input_template', cmd.input_template],
    ['completion_template', cmd.completion_template],
  ] as const) {
    for (const slot of templateSlots(template)) {
      if (!features.includes(slot)) {
        throw invalidArgument(
          'PROMPT.UNKNOWN_SLOT',
          `Field '${field}' uses {${slot}}, which is not a feature of dataset '${String(dataset.name)}' (features: ${features.join(', ')}).`,
        );
      }
    }
  }
}

export function removePrompt(cmd: RemovePrompt, ctx: DecideContext): Decision<void> {
  if (!cmd.id) throw invalidArgument('FIELD.REQUIRED', "Field 'id' is required in RemovePromptRequest.");
  if (!ctx.read.get('prompts', cmd.id)) throw notFound('PROMPT.NOT_FOUND', `Prompt with ID '${cmd.id}' does not exist.`);
  return {
    events: [{ type: 'PromptRemoved', streamId: streamIdOf(PROMPT_STREAM, cmd.id), streamType: PROMPT_STREAM, data: { id: cmd.id } }],
    result: undefined,
  };
}
