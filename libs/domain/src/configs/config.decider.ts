import type { ConfigAdded, ConfigRemoved } from './config.events.js';
import type { NewEventOf } from '../shared/event.js';
import type { ConfigRow } from '../catalog/tables.js';
import type { CatalogReader } from '../shared/catalog.js';
import type { DecideContext, Decision } from '../shared/decider.js';
import { invalidArgument } from '../shared/domain-error.js';
import { MAX_FIELD_LENGTH, requireFields, requireMaxLength } from '../shared/validation.js';
import { streamIdOf } from '../catalog/catalog.projection.js';
import { CONFIG_TYPES, USER_CONFIGS, isConfigType, type AddConfig, type RemoveConfig } from './config.commands.js';
import { configContentKey, parseConfigContent, tryParseStored } from './config.content.js';
import { pyEquals } from '@fts/py-compat';
import { configNotFound } from './configs.errors.js';

export const CONFIG_STREAM = 'config';


/**
 * The model family a config belongs to: the `model_family` of the model whose
 * Hugging Face name is the description (the original asked the Hub for the
 * architecture; this reads what the models table already knows), else null.
 */
export function modelFamilyOf(read: CatalogReader, description: string | undefined): string | null {
  const name = description?.trim();
  if (!name) return null;
  const model = read.find('models', { huggingface_model_name: name })[0];
  const family = model?.model_family;
  return typeof family === 'string' && family !== '' ? family : null;
}

/** What AddConfig decides: the config to hand back, and the event when it is new. */
export interface ConfigPlan {
  row: ConfigRow;
  event?: NewEventOf<ConfigAdded>;
}

/**
 * AddConfig as a content-addressed cache (spec/behaviour.md §1 Configs): a
 * config of the same type and model family whose parsed content equals the
 * request's is handed back and nothing is written; otherwise a new config
 * is recorded with its normalised text. Used by AddConfig and by
 * StartFineTuningJob (its `user_config`).
 */
export function planConfig(cmd: AddConfig, ctx: DecideContext): ConfigPlan {
  requireFields('AddConfigRequest', { type: cmd.type });
  requireMaxLength({ type: cmd.type, description: cmd.description });
  if (!isConfigType(cmd.type)) {
    throw invalidArgument(
      'CONFIG.TYPE_UNSUPPORTED',
      `Config type '${cmd.type}' is not supported; use one of ${CONFIG_TYPES.join(', ')}.`,
    );
  }
  requireFields('AddConfigRequest', { config: cmd.config });
  requireMaxLength({ config: cmd.config }, MAX_FIELD_LENGTH);
  const content = parseConfigContent(cmd.type, cmd.config);
  const model_family = modelFamilyOf(ctx.read, cmd.description);

  // Rows come in creation order; the first equal one wins (the original asserted there was at most one).
  // Equal contents share a content key, so the index's candidates hold every equal config.
  const candidates = ctx.read.findConfigsByContent
    ? ctx.read.findConfigsByContent(cmd.type, model_family, configContentKey(content.value))
    : ctx.read.find('configs', { type: cmd.type, model_family });
  const same = candidates.find((c) => {
    const stored = tryParseStored(cmd.type, c.config);
    return stored !== undefined && pyEquals(stored, content.value);
  });
  if (same) return { row: same };

  const id = ctx.newId();
  const row: ConfigRow = {
    id,
    type: cmd.type,
    description: cmd.description ? cmd.description : null,
    config: content.text,
    model_family,
    is_default: USER_CONFIGS,
    created_at: ctx.now,
  };
  return {
    row,
    event: { type: 'ConfigAdded', streamId: streamIdOf(CONFIG_STREAM, id), streamType: CONFIG_STREAM, data: { row }, expectedVersion: 0 },
  };
}

export function addConfig(cmd: AddConfig, ctx: DecideContext): Decision<ConfigRow, NewEventOf<ConfigAdded>> {
  const plan = planConfig(cmd, ctx);
  return { events: plan.event ? [plan.event] : [], result: plan.row };
}

export function removeConfig(cmd: RemoveConfig, ctx: DecideContext): Decision<void, NewEventOf<ConfigRemoved>> {
  requireFields('RemoveConfigRequest', { id: cmd.id });
  requireMaxLength({ id: cmd.id });
  if (!ctx.read.get('configs', cmd.id)) throw configNotFound(cmd.id);
  return {
    events: [{ type: 'ConfigRemoved', streamId: streamIdOf(CONFIG_STREAM, cmd.id), streamType: CONFIG_STREAM, data: { id: cmd.id } }],
    result: undefined,
  };
}
