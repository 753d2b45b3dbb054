import type { AdapterComparisonRow } from '../catalog/tables.js';
import type { CatalogReader } from '../shared/catalog.js';
import { requireMaxLength } from '../shared/validation.js';
import { adapterComparisonNotFound } from './comparisons.errors.js';

export function getAdapterComparison(read: CatalogReader, id: string): AdapterComparisonRow {
  requireMaxLength({ id });
  const row = id ? read.get('adapter_comparisons', id) : undefined;
  if (!row) throw adapterComparisonNotFound(id);
  return row;
}

/** The adapter ids a comparison row stores (a JSON list); [] when the column is empty or not a list. */
export function comparisonAdapterIds(row: Pick<AdapterComparisonRow, 'adapter_ids'>): string[] {
  try {
    const parsed: unknown = JSON.parse(row.adapter_ids ?? '[]');
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}
