import type { ConfigRow } from '../catalog/tables.js';
import type { CatalogReader } from '../shared/catalog.js';
import { requireMaxLength } from '../shared/validation.js';
import { DEFAULT_CONFIGS, type ListConfigsQuery } from './config.commands.js';
import { configNotFound } from './configs.errors.js';
import { modelNotFound } from '../models/models.errors.js';

export function getConfig(read: CatalogReader, id: string): ConfigRow {
  requireMaxLength({ id });
  const row = id ? read.get('configs', id) : undefined;
  if (!row) throw configNotFound(id);
  return row;
}

/**
 * ListConfigs (spec/behaviour.md §1): configs of `type` when it is set; with
 * `model_id`, the default configs of that model's family, falling back to
 * the whole (type-filtered) list when there are none or the family is
 * unknown. No network call: the family is the model row's `model_family`.
 * A missing model is NOT_FOUND (the original failed with an AttributeError).
 */
export function listConfigs(read: CatalogReader, q: ListConfigsQuery): ConfigRow[] {
  requireMaxLength({ type: q.type, model_id: q.model_id });
  const rows = q.type ? read.find('configs', { type: q.type }) : read.find('configs');
  if (!q.model_id) return rows;
  const model = read.get('models', q.model_id);
  if (!model) throw modelNotFound(q.model_id);
  const family = model.model_family;
  if (typeof family !== 'string' || family === '') return rows;
  const forFamily = rows.filter((c) => c.model_family === family && c.is_default === DEFAULT_CONFIGS);
  return forFamily.length ? forFamily : rows;
}
