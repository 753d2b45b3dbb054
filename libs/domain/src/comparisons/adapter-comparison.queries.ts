import type { CatalogReader, Row } from '../shared/catalog.js';
import { requireMaxLength } from '../shared/validation.js';
import { adapterComparisonNotFound } from './comparisons.errors.js';

export function getAdapterComparison(read: CatalogReader, id: string): Row {
  requireMaxLength({ id });
  const row = id ? read.get('adapter_comparisons', id) : undefined;
  if (!row) throw adapterComparisonNotFound(id);
  return row;
}

/** The adapter ids a comparison row stores (a JSON list); [] when the column is empty or not a list. */
export function comparisonAdapterIds(row: Row): string[] {
  try {
    const parsed: unknown = JSON.parse(String(row.adapter_ids ?? '[]'));
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}
