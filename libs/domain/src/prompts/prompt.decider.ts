import type { PromptAdded, PromptRemoved } from './prompt.events.js';
import type { NewEventOf } from '../shared/event.js';
import type { DatasetRow, PromptRow } from '../catalog/tables.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import { invalidArgument } from '../shared/domain-error.js';
import { requireFields, requireMaxLength, MAX_FIELD_LENGTH } from '../shared/validation.js';
import { streamIdOf } from '../catalog/catalog.projection.js';
import type { AddPrompt, RemovePrompt } from './prompt.commands.js';
import { templateSlots } from './prompt.slots.js';
import { datasetNotFound } from '../datasets/datasets.errors.js';
import { promptIdTaken, promptNameBlank, promptNameTaken, promptNotFound } from './prompts.errors.js';

export const PROMPT_STREAM = 'prompt';

/** A prompt of this type has no templates: the base model's chat template renders each row's `messages`. */
export const CHAT_PROMPT_TYPE = 'chat';
export const CHAT_MESSAGES_FEATURE = 'messages';

/** The checks of AddPrompt that need no state: required fields, a name that is not blank, sizes. */
export function checkAddPrompt(cmd: AddPrompt): void {
  const chat = cmd.type === CHAT_PROMPT_TYPE;
  requireFields('PromptMetadata', {
    id: cmd.id,
    name: cmd.name,
    dataset_id: cmd.dataset_id,
    ...(chat ? {} : { prompt_template: cmd.prompt_template, input_template: cmd.input_template, completion_template: cmd.completion_template }),
  });
  if (cmd.name.trim() === '') {
    throw promptNameBlank();
  }
  requireMaxLength({ id: cmd.id, name: cmd.name, dataset_id: cmd.dataset_id });
  requireMaxLength(
    { prompt_template: cmd.prompt_template, input_template: cmd.input_template, completion_template: cmd.completion_template },
    MAX_FIELD_LENGTH,
  );
}

export function addPrompt(cmd: AddPrompt, ctx: DecideContext): Decision<PromptRow, NewEventOf<PromptAdded>> {
  checkAddPrompt(cmd);
  const chat = cmd.type === CHAT_PROMPT_TYPE;
  const name = cmd.name.trim();
  if (ctx.read.find('prompts', { name }).length > 0) {
    throw promptNameTaken(name);
  }
  if (ctx.read.get('prompts', cmd.id) || ctx.read.streamVersion(streamIdOf(PROMPT_STREAM, cmd.id)) > 0) {
    throw promptIdTaken(cmd.id);
  }
  const dataset = ctx.read.get('datasets', cmd.dataset_id);
  if (!dataset) throw datasetNotFound(cmd.dataset_id);
  if (chat) checkChatDataset(cmd, dataset);
  else checkSlots(cmd, dataset);

  const row: PromptRow = {
    id: cmd.id,
    type: cmd.type || 'in_place',
    name,
    description: cmd.description || null,
    dataset_id: cmd.dataset_id,
    prompt_template: chat ? '' : cmd.prompt_template,
    input_template: chat ? '' : cmd.input_template,
    completion_template: chat ? '' : cmd.completion_template,
    created_at: ctx.now,
  };
  return {
    events: [{ type: 'PromptAdded', streamId: streamIdOf(PROMPT_STREAM, cmd.id), streamType: PROMPT_STREAM, data: { row }, expectedVersion: 0 }],
    result: row,
  };
}

function featuresOf(dataset: DatasetRow): string[] {
  try {
    const parsed: unknown = JSON.parse(dataset.features ?? '[]');
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** A chat prompt renders `messages` (OpenAI's fine-tuning format): the dataset must have them (when its features are known). */
function checkChatDataset(cmd: AddPrompt, dataset: DatasetRow): void {
  const features = featuresOf(dataset);
  if (features.length && !features.includes(CHAT_MESSAGES_FEATURE)) {
    throw invalidArgument(
      'PROMPT.CHAT_NEEDS_MESSAGES',
      `A chat prompt needs a dataset whose rows hold 'messages' ([{role, content}]); dataset '${dataset.name}' has ${features.join(', ')}.`,
    );
  }
}

/** Every `{slot}` must be one of the dataset's features (when the dataset's features are known). */
function checkSlots(cmd: AddPrompt, dataset: DatasetRow): void {
  const features = featuresOf(dataset);
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
          `Field '${field}' uses {${slot}}, which is not a feature of dataset '${dataset.name}' (features: ${features.join(', ')}).`,
        );
      }
    }
  }
}

export function removePrompt(cmd: RemovePrompt, ctx: DecideContext): Decision<void, NewEventOf<PromptRemoved>> {
  if (!cmd.id) throw invalidArgument('FIELD.REQUIRED', "Field 'id' is required in RemovePromptRequest.");
  if (!ctx.read.get('prompts', cmd.id)) throw promptNotFound(cmd.id);
  return {
    events: [{ type: 'PromptRemoved', streamId: streamIdOf(PROMPT_STREAM, cmd.id), streamType: PROMPT_STREAM, data: { id: cmd.id } }],
    result: undefined,
  };
}
